import type { AccountService } from '../accounts/account-service';
import { accountNotFound } from '../accounts/account-errors';
import type { ServerLimits } from '../../../shared/domain/drafts';
import { fail, ok, type Result } from '../../../shared/result';
import { verifySmtpSettings } from '../smtp/smtp-verify';

const UNKNOWN: ServerLimits = { sizeLimitBytes: null, smtpUtf8: null };

/**
 * SIZE and SMTPUTF8 as the account's server announces them in EHLO (after STARTTLS), asked once per
 * account and server while the app runs, without signing in. When the server cannot be reached the
 * limits are "unknown" and compose falls back to warnings; that is not cached, so it is asked again.
 */
export class ServerLimitsCache {
  private readonly known = new Map<string, Promise<ServerLimits>>();

  constructor(
    private readonly accounts: AccountService,
    private readonly timeoutMs = 8000,
  ) {}

  async limitsFor(accountId: string): Promise<Result<ServerLimits>> {
    const account = this.accounts.summary(accountId);
    if (!account) {
      return fail(accountNotFound());
    }
    const key = `${account.id}|${account.smtp.host}|${account.smtp.port}|${account.smtp.security}`;
    let pending = this.known.get(key);
    if (!pending) {
      pending = verifySmtpSettings(account.smtp, { skipAuth: true, timeoutMs: this.timeoutMs }).then((report) =>
        report.capabilities
          ? { sizeLimitBytes: report.capabilities.size.limitBytes, smtpUtf8: report.capabilities.smtpUtf8 }
          : UNKNOWN,
      );
      this.known.set(key, pending);
    }
    const limits = await pending;
    if (limits === UNKNOWN) this.known.delete(key);
    return ok(limits);
  }
}
