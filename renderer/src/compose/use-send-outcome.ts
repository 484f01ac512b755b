import { useEffect, useRef, useState } from 'react';
import { mailroom } from '../mailroom-api';
import { nextOutcome, outcomeFromStatus, type Outcome } from './send-outcome';

/**
 * The outcome of this window's send, kept up to date by the sendStatus events for its request (the
 * outbox reports queued -> sending -> sent/failed). Set requestRef before sending so they are heard.
 */
export function useSendOutcome() {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const requestRef = useRef<string | null>(null);
  useEffect(
    () =>
      mailroom().onSendStatus((status) => {
        if (status.requestId !== requestRef.current) return;
        const event = outcomeFromStatus(status);
        setOutcome((o) => nextOutcome(o, event));
      }),
    [],
  );
  return { outcome, setOutcome, requestRef };
}
