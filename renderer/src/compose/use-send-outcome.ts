import { useEffect, useRef, useState } from 'react';
import { mailroom } from '../mailroom-api';
import { nextOutcome, outcomeFromEntry, outcomeFromStatus, type Outcome } from './send-outcome';

/**
 * The outcome of this window's send, kept up to date by the sendStatus events for its request (the
 * outbox reports queued -> sending -> sent/failed). Set requestRef before sending so they are heard.
 * A message retried from here is followed by its outbox entry's changes (outboxRef).
 */
export function useSendOutcome() {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const requestRef = useRef<string | null>(null);
  const outboxRef = useRef<string | null>(null);
  useEffect(() => {
    const stopStatus = mailroom().onSendStatus((status) => {
      if (status.requestId !== requestRef.current) return;
      const event = outcomeFromStatus(status);
      setOutcome((o) => nextOutcome(o, event));
    });
    const stopChanges = mailroom().onOutboxChanged(({ entry }) => {
      if (!entry || entry.id !== outboxRef.current) return;
      const event = outcomeFromEntry(entry);
      setOutcome((o) => nextOutcome(o, event));
    });
    return () => {
      stopStatus();
      stopChanges();
    };
  }, []);
  return { outcome, setOutcome, requestRef, outboxRef };
}
