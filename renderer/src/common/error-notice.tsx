import type { MailroomError } from '../../../shared/result';

/** What happened, and what to do about it: every failure the user sees goes through here. */
export function ErrorNotice({ error, title }: { error: MailroomError; title?: string }) {
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      {title && <strong>{title}</strong>}
      <p className="notice-message">{error.message}</p>
      {error.hint && <p className="notice-hint">{error.hint}</p>}
    </div>
  );
}
