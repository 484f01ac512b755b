/**
 * The largest sending limits an account can be given, per minute and per day. Kept apart from the
 * schemas that enforce them (mail-merge.ts) so the window's form can check what is typed against
 * the same numbers without loading those schemas.
 */
export const MAX_PER_MINUTE = 10_000;
export const MAX_PER_DAY = 1_000_000;
