/** Entries keep their times as ISO strings; these convert to and from epoch milliseconds. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** An absent time counts as the epoch, so it sorts first and is always due. */
export const time = (value: string | undefined) => (value ? Date.parse(value) : 0);
