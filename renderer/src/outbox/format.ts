import { formatDateTime } from '../../../shared/domain/date-time';

/** The outbox's times through the one shared date formatter (the user's locale, always with the day). */
export function formatTime(iso: string | undefined): string {
  return iso ? formatDateTime(iso) : '';
}
