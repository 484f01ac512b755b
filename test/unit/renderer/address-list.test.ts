import { describe, expect, it } from 'vitest';
import { splitAddressList } from '../../../renderer/src/compose/address-list';

describe('To field parsing', () => {
  it('keeps a quoted display name with a comma together', () => {
    expect(splitAddressList('"Doe, Jane" <jane@x.org>, bob@y.com')).toEqual({
      valid: ['jane@x.org', 'bob@y.com'],
      invalid: [],
    });
  });
  it('reports what is not an address', () => {
    expect(splitAddressList('bob@y.com; nonsense').invalid).toEqual(['nonsense']);
  });
});
