import { useId } from 'react';
import type { VerifyReport } from '../../../shared/domain/diagnostics';

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
          <pre className="transcript" aria-labelledby={transcriptId}>
            {report.transcript.join('\n')}
          </pre>
        </details>
      )}
    </div>
  );
}
