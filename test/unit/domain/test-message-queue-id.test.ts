import { describe, expect, it } from 'vitest';
import { queueIdOf } from '../../../shared/domain/test-message';

describe('queueIdOf: the queue ID in a server’s 250 reply to DATA', () => {
  it.each([
    ['250 2.0.0 Ok: queued as 4F2A1B3C9D', '4F2A1B3C9D'],
    ['250 OK id=1rXyZq-000abc-Q1', '1rXyZq-000abc-Q1'],
    ['250 2.0.0 OK  1700000000 d2-20020a05600c.12 - gsmtp', undefined],
    ['250 2.6.0 <abc@host> [InternalId=123456789, Hostname=AM0PR] Queued mail for delivery', undefined],
    ['250 OK: message queued', undefined],
  ])('%s', (reply, id) => {
    expect(queueIdOf(reply)).toBe(id);
  });
});
