import { z } from 'zod';
import { ErrorCodeSchema } from './error-codes';

/** What crosses every boundary instead of a thrown Error: Electron only forwards `message` of a throw. */
export const MailroomErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  hint: z.string().optional(),
  /** Structured extras a UI can act on (e.g. the certificate to offer for trust). Never secrets. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type MailroomError = z.infer<typeof MailroomErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: MailroomError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: MailroomError): Result<T> => ({ ok: false, error });
