import {
  DELIVERY_CHECK_LABELS,
  type DeliveryCheck,
  type DeliveryStatus,
} from '../../../shared/domain/delivery-check';
import type { Result } from '../../../shared/result';
import type { HumanOutput } from './human-output';
import { publicError } from './json-output';

const MARK: Record<DeliveryStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };

/** "Delivery check for ada@example.com through smtp.example.com:" then one verdict per check. */
export function printDeliveryCheck(human: HumanOutput, result: Result<DeliveryCheck>): void {
  human.line();
  if (!result.ok) {
    human.line('Delivery check: not run.');
    human.error(result.error);
    return;
  }
  const check = result.value;
  human.line(`Delivery check for ${check.from} through ${check.smtpHost}:`);
  for (const verdict of check.checks) {
    human.line(`  ${MARK[verdict.status]} ${DELIVERY_CHECK_LABELS[verdict.kind]}`);
    human.line(`    ${verdict.words}`);
    if (verdict.hint) human.line(`    Fix: ${verdict.hint}`);
  }
  if (check.note) human.line(`  Note: ${check.note}`);
}

/**
 * The `delivery` section of verify's JSON: `{from, domain, smtpHost, serverAddresses, provider,
 * checks:[{kind, status, words, hint, record}], note}` (absent parts are null), or `{error}`.
 */
export function deliveryDocument(result: Result<DeliveryCheck>): Record<string, unknown> {
  if (!result.ok) return { error: publicError(result.error) };
  const c = result.value;
  return {
    from: c.from,
    domain: c.domain,
    smtpHost: c.smtpHost,
    serverAddresses: c.serverAddresses,
    provider: c.provider ?? null,
    checks: c.checks.map((v) => ({
      kind: v.kind,
      status: v.status,
      words: v.words,
      hint: v.hint,
      record: v.record ?? null,
    })),
    note: c.note ?? null,
  };
}
