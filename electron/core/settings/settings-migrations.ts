/**
 * The settings file's schema version and the steps that bring an older file up to date.
 *
 * Version 1 is the walking skeleton's file: `accounts` and `defaultAccountId`, no `schemaVersion`.
 * Version 2 stamps `schemaVersion` and normalises what hand edits and the first release left loose:
 * every identity has a signature (possibly empty), an empty reply-to is dropped, every account's
 * default identity and credential mode exist, and the default account points at an existing account.
 *
 * A step gets a plain object and returns a new one; it never throws for a shape it does not know
 * (the account schema reports those, with the file named), so a migration cannot lose data.
 */

export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const CURRENT_SCHEMA_VERSION = 2;

type Data = Record<string, unknown>;

interface Migration {
  /** The version this step produces; it runs on files older than that. */
  to: number;
  migrate(data: Data): Data;
}

const isObject = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function v1ToV2(data: Data): Data {
  const accounts = Array.isArray(data['accounts']) ? data['accounts'] : undefined;
  const next: Data = { ...data };
  if (accounts) {
    next['accounts'] = accounts.map((raw: unknown) => {
      if (!isObject(raw)) return raw;
      const account: Data = { ...raw };
      const identities = Array.isArray(account['identities'])
        ? account['identities'].map((rawIdentity: unknown) => {
            if (!isObject(rawIdentity)) return rawIdentity;
            const identity: Data = { ...rawIdentity };
            if (typeof identity['signature'] !== 'string') identity['signature'] = '';
            if (identity['replyTo'] === '' || identity['replyTo'] === null) delete identity['replyTo'];
            return identity;
          })
        : account['identities'];
      account['identities'] = identities;
      const ids = Array.isArray(identities)
        ? identities.filter(isObject).map((identity) => identity['id'])
        : [];
      if (!ids.includes(account['defaultIdentityId']) && typeof ids[0] === 'string') {
        account['defaultIdentityId'] = ids[0];
      }
      if (account['credentialMode'] === undefined) account['credentialMode'] = 'keychain';
      if (typeof account['secretStored'] !== 'boolean') {
        // Assume a secret may exist, so a keychain answering "nothing" is reported, not believed.
        const smtp = isObject(account['smtp']) ? account['smtp'] : {};
        account['secretStored'] = smtp['authMethod'] !== 'none';
      }
      return account;
    });
    const accountIds = (next['accounts'] as unknown[]).filter(isObject).map((a) => a['id']);
    if (!accountIds.includes(next['defaultAccountId'])) {
      if (typeof accountIds[0] === 'string') next['defaultAccountId'] = accountIds[0];
      else delete next['defaultAccountId'];
    }
  }
  next[SCHEMA_VERSION_KEY] = 2;
  return next;
}

/** In order. Add a step for every future change of the file's shape; never edit a released step. */
const MIGRATIONS: readonly Migration[] = [{ to: 2, migrate: v1ToV2 }];

export type VersionCheck =
  | { kind: 'current' }
  | { kind: 'older'; version: number }
  | { kind: 'newer'; version: number }
  | { kind: 'invalid'; reason: string };

/** A file without a version is version 1 (it predates the key). */
export function checkVersion(data: Data): VersionCheck {
  const raw = data[SCHEMA_VERSION_KEY];
  if (raw === undefined) return { kind: 'older', version: 1 };
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    return {
      kind: 'invalid',
      reason: `"${SCHEMA_VERSION_KEY}" is ${JSON.stringify(raw)}, not a version number`,
    };
  }
  if (raw > CURRENT_SCHEMA_VERSION) return { kind: 'newer', version: raw };
  if (raw < CURRENT_SCHEMA_VERSION) return { kind: 'older', version: raw };
  return { kind: 'current' };
}

/** Runs every step newer than `fromVersion`, in order. */
export function migrateSettingsData(data: Data, fromVersion: number): Data {
  return MIGRATIONS.filter((step) => step.to > fromVersion).reduce(
    (current, step) => ({ ...step.migrate(current), [SCHEMA_VERSION_KEY]: step.to }),
    data,
  );
}
