import { fail, type Result } from '../../../shared/result';
import { KeychainError } from '../credentials/keychain-errors';
import { SettingsUnreadableError } from '../settings/settings-store';

/** Settings and keychain failures become Results; anything else is a bug and stays a throw. */
export async function guardAccounts<T>(action: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await action();
  } catch (error) {
    return guardAccounts.sync(error);
  }
}

/** The same for an error caught in synchronous code. */
guardAccounts.sync = function asResult(error: unknown): Result<never> {
  if (error instanceof SettingsUnreadableError) return fail(error.error);
  if (error instanceof KeychainError) return fail(error.toMailroomError());
  throw error;
};
