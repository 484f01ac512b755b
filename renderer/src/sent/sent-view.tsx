import { OutboxView } from '../outbox/outbox-view';

/** Sent mail, its own place in the sidebar: for now the sent history as the outbox list shows it. */
export function SentView() {
  return <OutboxView view="sent" />;
}
