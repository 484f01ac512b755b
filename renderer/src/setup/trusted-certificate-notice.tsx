/** A certificate the user chose to trust for this account, and the way to take that back. */
export function TrustedCertificateNotice({
  fingerprint,
  onStopTrusting,
}: {
  fingerprint: string;
  onStopTrusting: () => void;
}) {
  return (
    <p className="notice notice-warning" role="status">
      Trusting the certificate with SHA-256 fingerprint <code className="fingerprint">{fingerprint}</code> for
      this account.{' '}
      <button type="button" className="link-button" onClick={onStopTrusting}>
        Stop trusting it
      </button>
    </p>
  );
}
