import { useCallback, useState } from 'react';
import type { MailroomError, Result } from '../../../shared/result';

/**
 * One change to an account at a time: whether it is running (for progress and disabled buttons) and
 * what went wrong. On success `onDone` runs with the value (usually: reload the accounts).
 */
export function useAccountAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MailroomError | null>(null);
  const run = useCallback(async <T>(action: () => Promise<Result<T>>, onDone?: (value: T) => void) => {
    setBusy(true);
    setError(null);
    try {
      const result = await action();
      if (!result.ok) {
        setError(result.error);
        return false;
      }
      onDone?.(result.value);
      return true;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clearError: () => setError(null) };
}
