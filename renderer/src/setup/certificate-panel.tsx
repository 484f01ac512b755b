import { formatCalendarDate } from '../../../shared/domain/date-time';
import type { CertificateInfo } from '../../../shared/domain/verification';

/**
 * Details of a certificate the system does not trust, and the choice to trust it for this account
 * only (pinned by its SHA-256 fingerprint; validation stays on for everything else).
 */
export function CertificatePanel({
  certificate,
  onTrust,
}: {
  certificate: CertificateInfo;
  onTrust: () => void;
}) {
  const problems = [
    certificate.selfSigned ? 'it is self-signed (no certificate authority vouches for it)' : undefined,
    !certificate.chainTrusted && !certificate.selfSigned
      ? 'it was issued by an authority this computer does not trust'
      : undefined,
    certificate.expired ? 'it has expired' : undefined,
    !certificate.hostnameMatches ? 'it was made for a different server name' : undefined,
  ].filter(Boolean);
  return (
    <section className="certificate-panel" aria-labelledby="certificate-heading">
      <h3 id="certificate-heading">The server’s certificate</h3>
      {problems.length > 0 && (
        <p>Mailroom did not trust this certificate because {problems.join(', and ')}.</p>
      )}
      <dl className="certificate-details">
        <dt>Issued to</dt>
        <dd>{certificate.subject}</dd>
        <dt>Names</dt>
        <dd>{certificate.sans.join(', ') || '—'}</dd>
        <dt>Issued by</dt>
        <dd>{certificate.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {formatCalendarDate(certificate.validFrom)} to {formatCalendarDate(certificate.validTo)}
        </dd>
        <dt>SHA-256 fingerprint</dt>
        <dd>
          <code className="fingerprint">{certificate.fingerprint256}</code>
        </dd>
      </dl>
      <p className="field-help">
        Only trust it if you run this server or your administrator gave you this exact fingerprint. If it
        changes later, Mailroom will stop and ask again.
      </p>
      {!certificate.expired && (
        <button type="button" onClick={onTrust}>
          Trust this certificate for this account
        </button>
      )}
    </section>
  );
}
