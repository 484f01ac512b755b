import { useEffect, useState } from 'react';
import type { SentMessage } from '../../../shared/domain/sent-message';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

export type SentMessageState =
  | { status: 'loading' }
  | { status: 'loaded'; message: SentMessage }
  | { status: 'failed'; error: MailroomError };

/** The stored message behind a sent entry, read when it is selected (the list carries only metadata). */
export function useSentMessage(id: string): SentMessageState {
  const [state, setState] = useState<{ id: string; value: SentMessageState }>({
    id,
    value: { status: 'loading' },
  });
  useEffect(() => {
    let current = true;
    void mailroom()
      .readSentMessage({ id })
      .then((result) => {
        if (!current) return;
        setState({
          id,
          value: result.ok
            ? { status: 'loaded', message: result.value }
            : { status: 'failed', error: result.error },
        });
      });
    return () => {
      current = false;
    };
  }, [id]);
  return state.id === id ? state.value : { status: 'loading' };
}
