import { describe, expect, it } from 'vitest';
import { DiscoveryResultSchema } from '../../../../shared/domain/discovery';
import {
  EMPTY_SERVER,
  mergeDiscovered,
  usernameFor,
  usernameFormOf,
  type ServerField,
} from '../../../../renderer/src/setup/server-form';

const found = (username: string, host = 'smtp.example.test') =>
  DiscoveryResultSchema.parse({
    found: true,
    email: 'ada.l@example.test',
    domain: 'example.test',
    settings: { host, port: 465, security: 'tls', authMethod: 'password', username },
  });

describe('the setup form and discovery', () => {
  it('fills only the fields the user has not touched', () => {
    const typed = { ...EMPTY_SERVER, port: '2525', security: 'starttls' as const };
    const merged = mergeDiscovered(typed, new Set<ServerField>(['port', 'security']), found('ada.l'));
    expect(merged).toMatchObject({ host: 'smtp.example.test', port: '2525', security: 'starttls' });
  });

  it('keeps a trusted certificate while the server stays, and drops it when discovery changes the server', () => {
    const trusted = { ...EMPTY_SERVER, host: 'smtp.example.test', trustedFingerprint: 'AA:BB' };
    expect(mergeDiscovered(trusted, new Set(), found('x')).trustedFingerprint).toBe('AA:BB');
    expect(
      mergeDiscovered(trusted, new Set(), found('x', 'mail.other.test')).trustedFingerprint,
    ).toBeUndefined();
    expect(
      mergeDiscovered(trusted, new Set(['host']), found('x', 'mail.other.test')).trustedFingerprint,
    ).toBe('AA:BB');
  });

  it('reads the provider’s username form and follows the address in it', () => {
    expect(usernameFormOf(found('ada.l'), 'ada.l@example.test')).toBe('local-part');
    expect(usernameFormOf(found('ada.l@example.test'), 'ada.l@example.test')).toBe('address');
    expect(usernameFor('grace@corp.test', 'local-part')).toBe('grace');
    expect(usernameFor(' grace@corp.test ', 'address')).toBe('grace@corp.test');
  });
});
