import {
  SendingLimitsSchema,
  type AccountSendingLimits,
  type EffectiveSendingLimits,
  type SendingLimits,
} from '../../../shared/domain/mail-merge';
import type { AccountSummary } from '../../../shared/domain/account';
import { findProviderByDomain, findProviderByServer } from '../../../shared/providers';
import type { SettingsStore } from '../settings/settings-store';

/** Settings key: the user's own limits per account id. */
export const SENDING_LIMITS_KEY = 'sendingLimits';

const NONE: EffectiveSendingLimits = { perMinute: null, perDay: null, source: 'none' };

/**
 * Where a merge's pace comes from: the limits the user set for the account (their own server's
 * policy), else the ones its provider publishes (curated provider data, with the page that says so),
 * else none. Read on every use, so a change applies to a job already running.
 */
export class SendingLimitsBook {
  constructor(
    private readonly settings: SettingsStore,
    private readonly account: (accountId: string) => AccountSummary | undefined,
  ) {}

  private ownAll(): Record<string, SendingLimits> {
    const raw = this.settings.get(SENDING_LIMITS_KEY);
    if (!raw || typeof raw !== 'object') return {};
    const out: Record<string, SendingLimits> = {};
    for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
      const parsed = SendingLimitsSchema.safeParse(value);
      if (parsed.success) out[id] = parsed.data;
    }
    return out;
  }

  own(accountId: string): SendingLimits | null {
    const limits = this.ownAll()[accountId];
    return limits && (limits.perDay !== null || limits.perMinute !== null) ? limits : null;
  }

  provider(accountId: string): EffectiveSendingLimits | null {
    const account = this.account(accountId);
    if (!account) return null;
    const domain = account.identities[0]?.address.split('@').pop() ?? '';
    // The address's own provider first: Gmail and Google Workspace share smtp.gmail.com.
    const provider = findProviderByDomain(domain) ?? findProviderByServer(account.smtp.host);
    const limits = provider?.sendingLimits;
    if (!provider || !limits) return null;
    return {
      perMinute: limits.perMinute ?? null,
      perDay: limits.perDay ?? null,
      source: 'provider',
      providerName: provider.name,
      sourceUrl: limits.sourceUrl,
      note: limits.note,
    };
  }

  effective(accountId: string): EffectiveSendingLimits {
    const own = this.own(accountId);
    if (own) return { ...own, source: 'account' };
    return this.provider(accountId) ?? NONE;
  }

  describe(accountId: string): AccountSendingLimits {
    return {
      accountId,
      own: this.own(accountId),
      provider: this.provider(accountId),
      effective: this.effective(accountId),
    };
  }

  set(accountId: string, limits: SendingLimits | null): void {
    const all = this.ownAll();
    if (limits && (limits.perDay !== null || limits.perMinute !== null)) all[accountId] = limits;
    else delete all[accountId];
    this.settings.set(SENDING_LIMITS_KEY, all);
  }
}
