import { useEffect, useState } from 'react';
import type { ServerLimits } from '../../../shared/domain/drafts';
import { mailroom } from '../mailroom-api';

/** What the sending account's server said it accepts (size, SMTPUTF8); unknown until it answers. */
export function useServerLimits(accountId: string | undefined): ServerLimits {
  const [limits, setLimits] = useState<ServerLimits>({ sizeLimitBytes: null, smtpUtf8: null });
  useEffect(() => {
    if (!accountId) return;
    let current = true;
    void mailroom()
      .getServerLimits({ accountId })
      .then((result) => {
        if (current && result.ok) setLimits(result.value);
      });
    return () => {
      current = false;
    };
  }, [accountId]);
  return limits;
}
