import { useId } from 'react';
import type { VerifyReport } from '../../../shared/domain/verification';

/** What the server offers in plain sentences, plus the expert detail (transcript) on request. */
export function VerificationSummary({ report }: { report: VerifyReport }) {
  const transcriptId = useId();
  return (
    <div className="verification-summary">
      {report.summary.length > 0 && (
        <ul>
          {report.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {report.probe?.recommendation && (
        <p>
          Recommended: port {report.probe.recommendation.port} ({report.probe.recommendation.security}).{' '}
          {report.probe.recommendation.reason}
        </p>
      )}
      {report.transcript.length > 0 && (
        <details>
          <summary id={transcriptId}>Show the conversation with the server (passwords hidden)</summary>
          {/* A named region (ARIA does not allow naming a plain <pre>), focusable so the scrolling
              transcript can be read with the keyboard. */}
          <pre className="transcript" role="region" aria-labelledby={transcriptId} tabIndex={0}>
            {report.transcript.join('\n')}
          </pre>
        </details>
      )}
    </div>
  );
}
