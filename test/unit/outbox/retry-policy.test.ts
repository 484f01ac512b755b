import { describe, expect, it } from 'vitest';
import { backoffMs, isTemporary } from '../../../electron/core/outbox/retry-policy';

describe('outbox retry policy', () => {
  it('retries 4xx replies and network trouble, fails 5xx replies and problems the user must fix', () => {
    expect(isTemporary({ code: 'SERVER_TEMPORARY', message: '', details: { responseCode: 451 } })).toBe(true);
    expect(isTemporary({ code: 'PROTOCOL_ERROR', message: '', details: { responseCode: 421 } })).toBe(true);
    expect(isTemporary({ code: 'CONNECTION_REFUSED', message: '' })).toBe(true);
    expect(isTemporary({ code: 'NETWORK_ERROR', message: '' })).toBe(true);
    expect(isTemporary({ code: 'KEYCHAIN_LOCKED', message: '' })).toBe(true);
    expect(isTemporary({ code: 'MESSAGE_REJECTED', message: '', details: { responseCode: 550 } })).toBe(
      false,
    );
    expect(isTemporary({ code: 'PROTOCOL_ERROR', message: '', details: { responseCode: 554 } })).toBe(false);
    expect(isTemporary({ code: 'AUTH_FAILED', message: '', details: { responseCode: 535 } })).toBe(false);
    expect(isTemporary({ code: 'TLS_CERT_UNTRUSTED', message: '' })).toBe(false);
    expect(isTemporary({ code: 'PASSWORD_MISSING', message: '' })).toBe(false);
  });

  it('backs off exponentially with jitter, never past the cap and never under half a step', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, high))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, low))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(40, 1000, 60_000, high)).toBe(60_000);
    expect(backoffMs(40, 1000, 60_000, low)).toBe(30_000);
  });
});
