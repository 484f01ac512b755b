import { HeaderTextSchema, type AccountSummary } from '../../../shared/domain/account';
import { SecuritySchema, type SmtpSettingsInput } from '../../../shared/domain/smtp-settings';
import type { MailroomError } from '../../../shared/result';
import type { CliSession } from '../cli-session';
import { readPasswordFromStdin } from '../password-stdin';
import { UsageError, choiceOption, integerOption, parseCommandArgs } from '../usage-error';
import { failureDocument, verifyDocument, verifyPassed } from '../output/json-output';
import { table } from '../output/human-output';
import { printVerifySummary, securityWords, stepPrinter } from '../output/verify-human';
import { verifySettings } from '../verify-settings';
import { discoveryProblem, emailArgument, printDiscovery, runDiscovery } from './discover-command';
import { fileOption, fingerprintOption, securityForPort } from './verify-command';
import { COMMON_OPTIONS, failed, type Command } from './command';

const ADD = 'accounts add';
const LIST = 'accounts list';
const REMOVE = 'accounts remove';

/** What `accounts list --json` shows of an account: settings and flags, never a secret. */
export function accountDocument(account: AccountSummary, defaultAccountId: string | null) {
  const identity =
    account.identities.find((i) => i.id === account.defaultIdentityId) ?? account.identities[0];
  const { trustedCertificatePem: _pem, ...smtp } = account.smtp;
  return {
    id: account.id,
    label: account.label,
    email: identity?.address ?? account.label,
    name: identity?.name ?? '',
    isDefault: account.id === defaultAccountId,
    smtp,
    identities: account.identities.map((i) => ({
      id: i.id,
      name: i.name,
      address: i.address,
      ...(i.replyTo ? { replyTo: i.replyTo } : {}),
    })),
    hasPassword: account.hasPassword,
    credentialMode: account.credentialMode,
    verifiedAt: account.verifiedAt ?? null,
  };
}

/** An account by id, or by an address it sends from (case-insensitive). */
export function findAccount(
  accounts: AccountSummary[],
  ref: string,
): { account: AccountSummary; identityId?: string } | { error: MailroomError } {
  const byId = accounts.find((a) => a.id === ref);
  if (byId) return { account: byId };
  const wanted = ref.trim().toLowerCase();
  const matches = accounts.flatMap((a) =>
    a.identities
      .filter((i) => i.address.toLowerCase() === wanted)
      .map((i) => ({ account: a, identityId: i.id })),
  );
  const first = matches[0];
  if (matches.length === 1 && first) return first;
  if (matches.length > 1) {
    return {
      error: {
        code: 'INVALID_REQUEST',
        message: `${ref} belongs to ${matches.length} accounts, so it does not say which one to use.`,
        hint: `Use the account id instead (mailroom accounts list): ${matches.map((m) => m.account.id).join(', ')}.`,
      },
    };
  }
  return {
    error: {
      code: 'ACCOUNT_NOT_FOUND',
      message: `There is no account with the id or address ${ref} in this profile.`,
      hint: 'Run mailroom accounts list to see the accounts (and check --profile).',
    },
  };
}

/**
 * The account (and identity) a command sends from: --from (an id or an address), else the default
 * account. Failures are ready to report (no accounts, unknown, ambiguous).
 */
export async function sendingAccount(
  session: CliSession,
  from: string | undefined,
): Promise<{ account: AccountSummary; identityId?: string } | { error: MailroomError }> {
  const state = await session.call('getAppState', {});
  if (!state.ok) return { error: state.error };
  const ref = from ?? state.value.defaultAccountId;
  if (!ref) {
    return {
      error: {
        code: 'ACCOUNT_NOT_FOUND',
        message: `There are no accounts in ${session.profileDir} to send from.`,
        hint: 'Add one with mailroom accounts add (or in the app), or pass --profile.',
      },
    };
  }
  return findAccount(state.value.accounts, ref);
}

export const accountsAddCommand: Command = {
  name: ADD,
  summary: 'Add an account (discovered or given settings, verified, password in the keychain)',
  help: `Usage: mailroom accounts add --email EMAIL [--name NAME] [--host HOST --port PORT --security MODE]
                             [--user USER] --password-stdin [--ca FILE | --trust-fingerprint SHA256]
                             [--no-verify] [--json] [--profile DIR]

Adds an outgoing account to the profile, as the app's setup wizard does. Without --host the settings
are discovered from the address. They are checked against the server (with sign-in) before anything
is saved, unless --no-verify. The password goes to the system keychain, never to a file.

  --email EMAIL            the address to send from
  --name NAME              the sender name shown to recipients
  --host HOST              the outgoing server; with --port and/or --security (the other one follows:
                           465 is tls, other ports starttls; tls is 465, starttls 587)
  --user USER              the sign-in name, if it is not the email address
  --password-stdin         read the password from stdin (one trailing newline is dropped)
  --ca FILE                trust this CA certificate (PEM) for this account
  --trust-fingerprint FP   trust the server certificate with this SHA-256 fingerprint
  --no-verify              save without checking the settings first
  --json                   print one JSON document: {ok, account, verify?}

Exit codes: 0 added, 1 failed (nothing saved; the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values } = parseCommandArgs(
      ADD,
      args,
      {
        ...COMMON_OPTIONS,
        email: { type: 'string' },
        name: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        security: { type: 'string' },
        user: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        ca: { type: 'string' },
        'trust-fingerprint': { type: 'string' },
        'no-verify': { type: 'boolean' },
      },
      false,
    );
    const email = emailArgument(ADD, values.email, '--email');
    const name = values.name ?? '';
    if (!HeaderTextSchema.safeParse(name).success)
      throw new UsageError('--name must be one line of at most 998 characters', ADD);
    let port = integerOption(ADD, 'port', values.port, 1, 65535);
    let security = choiceOption(ADD, 'security', values.security, SecuritySchema.options);
    const host = values.host?.trim();
    if (!host && (port !== undefined || security))
      throw new UsageError('--port and --security need --host', ADD);
    if (host && port === undefined && !security)
      throw new UsageError('--host needs --port or --security (or both)', ADD);
    if (host) {
      port ??= security === 'tls' ? 465 : security === 'none' ? 25 : 587;
      security ??= securityForPort(port);
    }
    if (values.ca && values['trust-fingerprint'])
      throw new UsageError('use either --ca or --trust-fingerprint, not both', ADD);
    if (!values['password-stdin'])
      throw new UsageError('--password-stdin is required (the password is read from stdin)', ADD);
    const trustedFingerprint = fingerprintOption(ADD, values['trust-fingerprint']);
    const caFile = fileOption(context.io.cwd, values.ca);
    const password = await readPasswordFromStdin(context.io.stdin, ADD);

    const session = context.session(values.profile, values.json);
    const { human } = session;

    let endpoint: { host: string; port: number; security: 'tls' | 'starttls' | 'none' };
    if (host && port !== undefined && security) {
      endpoint = { host, port, security };
    } else {
      const discovered = await runDiscovery(session, email);
      if (!discovered.ok) return failed(session, discovered.error);
      printDiscovery(session, discovered.value);
      const settings = discovered.value.settings;
      if (!discovered.value.found || !settings) return failed(session, discoveryProblem(discovered.value));
      if (discovered.value.thirdParty) {
        // The wizard asks before trusting another organisation's server with the password; a command
        // line cannot ask, so the user states it by naming the server.
        return failed(session, {
          code: 'DISCOVERY_NOT_FOUND',
          message: `The settings found point at another organisation: ${discovered.value.thirdParty.reason} Mailroom did not send your password there without asking.`,
          hint: `If that is right, run the command again with --host ${settings.host} --port ${settings.port} --security ${settings.security}.`,
        });
      }
      endpoint = { host: settings.host, port: settings.port, security: settings.security };
    }

    const smtp: SmtpSettingsInput = {
      ...endpoint,
      authMethod: 'password',
      username: values.user ?? email,
      ...(trustedFingerprint ? { trustedFingerprint } : {}),
      ...(caFile ? { caFile } : {}),
    };

    let verifiedAt: string | undefined;
    let verify: Record<string, unknown> | undefined;
    if (!values['no-verify']) {
      human.note(
        `Checking ${endpoint.host}:${endpoint.port} (${securityWords(endpoint.security)}) with sign-in…`,
      );
      const checked = await verifySettings(session, {
        smtp,
        password,
        onStep: stepPrinter(human),
        onPinning: (fp) =>
          human.note(
            `The server's certificate matches --trust-fingerprint (${fp}): checking again with it trusted…`,
          ),
      });
      if (!checked.ok) return failed(session, checked.error);
      const report = checked.value.report;
      verify = verifyDocument(report);
      const passed = verifyPassed(report);
      if (!passed) {
        printVerifySummary(human, report, false);
        human.note('The account was not saved. Fix the settings, or add it with --no-verify.');
        const error = report.error ?? {
          code: 'PROTOCOL_ERROR' as const,
          message: 'The settings check did not pass.',
        };
        return { exitCode: 1, document: failureDocument(error, { verify }) };
      }
      if (checked.value.pinnedPem) smtp.trustedCertificatePem = checked.value.pinnedPem;
      verifiedAt = new Date().toISOString();
    }

    const created = await session.call('createAccount', {
      email,
      displayName: name,
      smtp,
      password,
      credentialMode: 'keychain',
      ...(verifiedAt ? { verifiedAt } : {}),
    });
    if (!created.ok) return failed(session, created.error, verify ? { verify } : {});
    const state = await session.call('getAppState', {});
    const defaultId = state.ok ? state.value.defaultAccountId : null;
    const account = accountDocument(created.value, defaultId);
    human.line();
    human.line(
      `Added ${email} (id ${account.id}): ${endpoint.host}:${endpoint.port}, ${securityWords(endpoint.security)}.`,
    );
    human.line(
      verifiedAt
        ? 'Settings verified; password saved in the system keychain.'
        : 'Settings NOT verified (--no-verify); password saved in the system keychain.',
    );
    return { exitCode: 0, document: { ok: true, account, ...(verify ? { verify } : {}) } };
  },
};

export const accountsListCommand: Command = {
  name: LIST,
  summary: 'List the accounts in the profile',
  help: `Usage: mailroom accounts list [--json] [--profile DIR]

Lists the accounts the app and the command line share. Passwords are never shown: only whether one
is saved.

  --json    print one JSON document: {ok, accounts:[{id, email, name, isDefault, smtp, identities,
            hasPassword, credentialMode, verifiedAt}], defaultAccountId, keychain}

Exit codes: 0 listed, 1 the profile could not be read (the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(LIST, args, COMMON_OPTIONS, true);
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`, LIST);
    const session = context.session(values.profile, values.json);
    const state = await session.call('getAppState', {});
    if (!state.ok) return failed(session, state.error);
    const { accounts, defaultAccountId, keychain } = state.value;
    const documents = accounts.map((a) => accountDocument(a, defaultAccountId));
    const { human } = session;
    if (documents.length === 0)
      human.line(`No accounts in ${session.profileDir}. Add one with: mailroom accounts add --email …`);
    else {
      const rows = [['', 'ID', 'EMAIL', 'SERVER', 'PASSWORD', 'VERIFIED']];
      for (const a of documents) {
        rows.push([
          a.isDefault ? '*' : '',
          a.id,
          a.email,
          `${a.smtp.host}:${a.smtp.port} ${securityWords(a.smtp.security)}`,
          a.hasPassword ? (a.credentialMode === 'keychain' ? 'keychain' : 'this session') : 'none',
          a.verifiedAt ? a.verifiedAt.slice(0, 10) : 'no',
        ]);
      }
      for (const row of table(rows)) human.line(row);
      human.line('* default account');
    }
    if (!keychain.available)
      human.note(`Keychain: ${keychain.problem ?? 'not available'}${keychain.fix ? ` ${keychain.fix}` : ''}`);
    return { exitCode: 0, document: { ok: true, accounts: documents, defaultAccountId, keychain } };
  },
};

export const accountsRemoveCommand: Command = {
  name: REMOVE,
  summary: 'Remove an account and its saved password',
  help: `Usage: mailroom accounts remove ID|EMAIL [--json] [--profile DIR]

Removes the account (by id or by an address it sends from) and deletes its password from the system
keychain.

Exit codes: 0 removed, 1 failed (the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(REMOVE, args, COMMON_OPTIONS, true);
    const ref = positionals[0];
    if (ref === undefined) throw new UsageError('the account id or email address is required', REMOVE);
    if (positionals.length > 1)
      throw new UsageError(`expected one account, got ${positionals.length} arguments`, REMOVE);
    const session = context.session(values.profile, values.json);
    const state = await session.call('getAppState', {});
    if (!state.ok) return failed(session, state.error);
    const found = findAccount(state.value.accounts, ref);
    if ('error' in found) return failed(session, found.error);
    const removed = await session.call('removeAccount', { accountId: found.account.id });
    if (!removed.ok) return failed(session, removed.error);
    session.human.line(`Removed ${found.account.label} (id ${found.account.id}) and its saved password.`);
    return {
      exitCode: 0,
      document: { ok: true, removed: { id: found.account.id, label: found.account.label } },
    };
  },
};
