import { z } from 'zod';
import { OAuthServiceIdSchema } from '../../../shared/domain/oauth';
import type { OAuthServiceId } from '../../../shared/providers';

/**
 * What an OAuth account keeps in its secret store entry (keychain item 'Mailroom SMTP' / account id):
 * the refresh token and which authorization server issued it. Access tokens are never stored.
 */
const OAuthGrantSchema = z.object({
  type: z.literal('oauth2'),
  service: OAuthServiceIdSchema,
  refreshToken: z.string().min(1),
});
export type OAuthGrant = z.infer<typeof OAuthGrantSchema>;

export function serializeGrant(service: OAuthServiceId, refreshToken: string): string {
  return JSON.stringify({ type: 'oauth2', service, refreshToken } satisfies OAuthGrant);
}

/** Undefined when the stored secret is not a grant (e.g. a password saved before the switch to OAuth). */
export function parseGrant(secret: string): OAuthGrant | undefined {
  try {
    const parsed = OAuthGrantSchema.safeParse(JSON.parse(secret));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
