import tls, { type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../../shared/domain/verification';
import { normalizeFingerprint } from './transport-options';

function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function toPem(raw: Buffer): string {
  const body =
    raw
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/**
 * The server certificate as the user needs to judge it. `includePem` is set when the certificate is not
 * trusted, so the UI can offer to pin exactly this certificate for this account.
 */
export function describeCertificate(
  cert: PeerCertificate | DetailedPeerCertificate,
  host: string,
  facts: { chainTrusted: boolean; pinnedFingerprint?: string | undefined; includePem: boolean },
): CertificateInfo {
  const fingerprint256 = normalizeFingerprint(cert.fingerprint256 ?? '');
  const validTo = new Date(cert.valid_to);
  const validFrom = new Date(cert.valid_from);
  const now = Date.now();
  const issuerCert = 'issuerCertificate' in cert ? cert.issuerCertificate : undefined;
  const subject = distinguishedName(cert.subject);
  const issuer = distinguishedName(cert.issuer);
  const info: CertificateInfo = {
    subject,
    sans: (cert.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
    issuer,
    validFrom: Number.isNaN(validFrom.getTime()) ? cert.valid_from : validFrom.toISOString(),
    validTo: Number.isNaN(validTo.getTime()) ? cert.valid_to : validTo.toISOString(),
    fingerprint256,
    hostnameMatches: tls.checkServerIdentity(host, cert) === undefined,
    chainTrusted: facts.chainTrusted,
    selfSigned:
      (issuerCert !== undefined && issuerCert.fingerprint256 === cert.fingerprint256) || subject === issuer,
    expired: validTo.getTime() < now || validFrom.getTime() > now,
    pinned:
      facts.pinnedFingerprint !== undefined &&
      normalizeFingerprint(facts.pinnedFingerprint) === fingerprint256,
  };
  if (facts.includePem && cert.raw) info.pem = toPem(cert.raw);
  return info;
}

export function certificateDetail(c: CertificateInfo): string {
  const cn = /CN=([^,]+)/.exec(c.subject)?.[1] ?? c.subject;
  const by = /CN=([^,]+)/.exec(c.issuer)?.[1] ?? /O=([^,]+)/.exec(c.issuer)?.[1] ?? c.issuer;
  const trust = c.pinned
    ? 'pinned for this account'
    : c.chainTrusted
      ? 'trusted'
      : c.selfSigned
        ? 'self-signed, not trusted'
        : 'not trusted';
  return `${cn}, issued by ${c.selfSigned ? 'itself' : by}, valid until ${c.validTo.slice(0, 10)}, ${trust}${c.hostnameMatches ? '' : ', name does not match'}`;
}
