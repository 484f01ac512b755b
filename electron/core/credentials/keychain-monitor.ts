import { randomBytes } from 'node:crypto';
import type { KeychainStatus } from '../../../shared/domain/account';
import type { SecretStore } from './secret-store';
import { KeychainError, describeKeychainFailure, type KeychainProblem } from './keychain-errors';

/** The keychain entry the probe writes and removes again; never an account id (those are UUIDs). */
export const PROBE_ENTRY = 'mailroom-keychain-check';

const LOCKED = (): KeychainProblem =>
  describeKeychainFailure(new Error('Cannot create an item in a locked collection'));

type Known = { available: true } | { available: false; problem: KeychainProblem };

/**
 * Knows whether the keychain can be used right now. A locked Secret Service answers reads with null
 * and deletes with false, without an error, so reads prove nothing: the probe writes a random canary,
 * reads it back and deletes it. A good answer is remembered until something fails; a bad one is
 * re-checked on every status request, so unlocking the keyring is noticed without a restart.
 */
export class KeychainMonitor {
  private known: Known | undefined;
  constructor(private readonly secrets: SecretStore) {}

  async status(): Promise<KeychainStatus> {
    const known = await this.check();
    if (known.available) return { available: true };
    const { reason, problem, fix } = known.problem;
    return { available: false, reason, problem, fix };
  }

  /** Throws the KeychainError for the current problem, if there is one. */
  async requireUsable(): Promise<void> {
    const known = await this.check();
    if (!known.available) throw new KeychainError(known.problem);
  }

  /** Called when an operation showed the keychain is not usable after all (e.g. null for a saved secret). */
  markLocked(): KeychainError {
    const problem = LOCKED();
    this.known = { available: false, problem };
    return new KeychainError(problem);
  }

  /** Forget a good answer, e.g. after a write failed: the next request probes again. */
  forget(): void {
    this.known = undefined;
  }

  private async check(): Promise<Known> {
    if (this.known?.available) return this.known;
    this.known = await this.probe();
    return this.known;
  }

  private async probe(): Promise<Known> {
    const canary = randomBytes(12).toString('hex');
    try {
      await this.secrets.set(PROBE_ENTRY, canary);
      const readBack = await this.secrets.get(PROBE_ENTRY);
      await this.secrets.delete(PROBE_ENTRY);
      return readBack === canary ? { available: true } : { available: false, problem: LOCKED() };
    } catch (error) {
      return {
        available: false,
        problem: error instanceof KeychainError ? error.problem : describeKeychainFailure(error),
      };
    }
  }
}
