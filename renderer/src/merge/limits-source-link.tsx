import type { EffectiveSendingLimits } from '../../../shared/domain/mail-merge';
import { mailroom } from '../mailroom-api';

/** The provider's own page stating its limit, opened in the system browser (as setup's instruction links are). */
export function LimitsSourceLink({ limits }: { limits: EffectiveSendingLimits }) {
  const url = limits.sourceUrl;
  if (!url) return null;
  return (
    <button type="button" className="link-button" onClick={() => void mailroom().openExternal({ url })}>
      {limits.providerName ?? 'The provider'}’s page on sending limits
    </button>
  );
}
