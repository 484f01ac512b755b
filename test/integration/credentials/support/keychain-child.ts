import { readFileSync } from 'node:fs';
import { openProfileCore } from '../../../../electron/core/profile';

// Runs the real core (conf + keytar) against whatever keychain this process's environment offers,
// and prints what a user would see as one JSON line. Never prints a password.
// Usage: keychain-child.ts <profileDir> <step> <passwordFile>  (a file, so no process list shows it)
//   step "prepare": add an account with its password in the keychain (keyring still unlocked)
//   step "check":   what the app reports now; try to add a keychain account, read the password,
//                   remove an account, and add a session-only account

const [profileDir, step, passwordFile] = process.argv.slice(2);
if (!profileDir || !step || !passwordFile)
  throw new Error('usage: keychain-child.ts <profileDir> <step> <passwordFile>');
const password = readFileSync(passwordFile, 'utf8');

const core = openProfileCore(profileDir);
const noEmit = { emit: () => undefined };
const smtp = {
  host: 'smtp.example.com',
  port: 587,
  security: 'starttls' as const,
  authMethod: 'password' as const,
  username: '',
  allowUnencrypted: false,
};

async function main() {
  if (step === 'prepare') {
    const created = await core.handlers.createAccount(
      { email: 'ada@example.com', displayName: 'Ada', smtp, password, credentialMode: 'keychain' },
      noEmit,
    );
    console.log(JSON.stringify({ created: created.ok ? { ok: true, id: created.value.id } : created }));
    return;
  }
  const state = await core.handlers.getAppState({}, noEmit);
  const existing = state.ok ? state.value.accounts[0] : undefined;
  const credentials = existing ? await core.services.credentials.credentialsFor(existing.id) : undefined;
  const addToKeychain = await core.handlers.createAccount(
    { email: 'bob@example.com', displayName: 'Bob', smtp, password, credentialMode: 'keychain' },
    noEmit,
  );
  const remove = existing ? await core.handlers.removeAccount({ accountId: existing.id }, noEmit) : undefined;
  const addForSession = await core.handlers.createAccount(
    { email: 'carol@example.com', displayName: 'Carol', smtp, password, credentialMode: 'session' },
    noEmit,
  );
  const sessionCredentials = addForSession.ok
    ? await core.services.credentials.credentialsFor(addForSession.value.id)
    : undefined;
  console.log(
    JSON.stringify({
      keychain: state.ok ? state.value.keychain : state.error,
      accountsBefore: state.ok ? state.value.accounts.length : -1,
      credentials: credentials && (credentials.ok ? { ok: true } : credentials),
      addToKeychain: addToKeychain.ok ? { ok: true } : addToKeychain,
      remove,
      addForSession: addForSession.ok ? { ok: true, value: addForSession.value } : addForSession,
      sessionPasswordAvailable:
        sessionCredentials?.ok === true && sessionCredentials.value.password === password,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(`keychain-child failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
