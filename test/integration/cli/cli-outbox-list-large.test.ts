import { copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxEntrySchema } from '../../../shared/domain/outbox';
import { Outbox } from '../../../electron/core/outbox/outbox';
import { plainAccounts } from '../outbox/support/plain-accounts';
import { runCli, tempProfile } from './support/run-cli';

// `mailroom outbox list` over a large queue-only outbox, as a user runs it (the bundled CLI in its
// own process): every entry listed once, oldest first, in its own state, with exactly the
// contract's fields (the CLI prints listOutbox's answer without the response schema check), and
// entries that are damaged or in an older shape handled as the outbox README says.

const COUNT = 10_000;
const REAL = 40;
const profile = tempProfile('list-large');
const dir = join(profile, 'outbox');
const ACCOUNT = 'acc-list-large';

/** What the list must say: id -> state, and the ids oldest first. */
const expectedState = new Map<string, string>();
let expectedOrder: string[] = [];
let damagedId = '';
let extraKeyId = '';
let olderShapeId = '';

beforeAll(async () => {
  // A few real entries, written by the outbox itself with delivery off (as send --queue-only does),
  // some of them cancelled; then copies of them under new ids up to COUNT, each with its own time.
  const queuer = new Outbox({
    dir,
    accounts: plainAccounts(9),
    settings: () => ({}),
    log: () => undefined,
    deliver: false,
  });
  await queuer.ready;
  const real: string[] = [];
  for (let i = 0; i < REAL; i++) {
    const queued = await queuer.enqueue({
      accountId: ACCOUNT,
      to: [`rcpt${i}@example.test`],
      cc: [],
      bcc: [],
      subject: `Real ${i}`,
      text: `Body ${i}\n`,
      attachments: [],
      undoDelayMs: 0,
    });
    if (!queued.ok) throw new Error(queued.error.message);
    real.push(queued.value.id);
    if (i % 4 === 3) {
      const cancelled = await queuer.cancel(queued.value.id);
      if (!cancelled.ok) throw new Error(cancelled.error.message);
    }
  }
  await queuer.close();

  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const times: { id: string; at: number }[] = [];
  for (let n = 0; n < COUNT; n++) {
    const source = real[n % REAL]!;
    const entry = JSON.parse(readFileSync(join(dir, `${source}.json`), 'utf8')) as Record<string, unknown>;
    // Times not in the order the files are written or named: the list sorts them.
    const at = base + ((n * 7919) % COUNT) * 1000;
    const id = n < REAL ? source : randomUUID();
    const createdAt = new Date(at).toISOString();
    if (n >= REAL) {
      copyFileSync(join(dir, `${source}.eml`), join(dir, `${id}.eml`));
      // Its envelope line and its texts line, each with the copy's id.
      const [envelope, texts] = readFileSync(join(dir, `${source}.envelope-texts`), 'utf8')
        .split('\n')
        .map((line) => JSON.parse(line || '{}') as Record<string, unknown>);
      writeFileSync(
        join(dir, `${id}.envelope-texts`),
        `${JSON.stringify({ ...envelope, id, createdAt })}\n${JSON.stringify({ ...texts, id })}\n`,
      );
    }
    const copy: Record<string, unknown> = { ...entry, id, createdAt, subject: `Message ${n}` };
    if (n === 100) {
      // Valid JSON, not a valid entry: must be listed as damaged, not as the state it claims.
      damagedId = id;
      copy['state'] = 'exploded';
    } else if (n === 101) {
      // A key the schema does not name is dropped, never printed.
      extraKeyId = id;
      copy['internalNote'] = 'not for the list';
    } else if (n === 102) {
      // An older shape (no cc/bcc in the draft): the schema fills them in.
      olderShapeId = id;
      const { cc: _cc, bcc: _bcc, ...draft } = copy['draft'] as Record<string, unknown>;
      copy['draft'] = draft;
    }
    writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(copy, null, 2)}\n`);
    expectedState.set(id, id === damagedId ? 'failed' : String(entry['state']));
    times.push({ id, at });
  }
  expectedOrder = times.sort((a, b) => a.at - b.at).map((t) => t.id);
}, 120_000);

afterAll(() => rmSync(profile, { recursive: true, force: true }));

type Listed = { id: string; state: string; subject: string; lastError?: { code: string } };

describe('mailroom outbox list with 10,000 queue-only entries', () => {
  it('--json lists every entry once, oldest first, in its state, with only the contract fields', async () => {
    const run = await runCli(['outbox', 'list', '--json', '--profile', profile]);
    expect(run.code, run.stderr).toBe(0);
    const doc = run.json<{ ok: boolean; pending: number; entries: Listed[]; sent: unknown[] }>();
    expect(doc.ok).toBe(true);
    expect(doc.entries).toHaveLength(COUNT);
    expect(doc.entries.map((e) => e.id)).toEqual(expectedOrder);
    expect(new Map(doc.entries.map((e) => [e.id, e.state]))).toEqual(expectedState);
    expect(doc.pending).toBe([...expectedState.values()].filter((s) => s !== 'cancelled').length);
    expect(doc.sent).toEqual([]);
    // Exactly what the contract names: no bookkeeping (draft, envelope, draftFile…), no stray key.
    const strict = OutboxEntrySchema.strict();
    for (const entry of doc.entries) expect(strict.safeParse(entry).success, entry.id).toBe(true);
    const byId = new Map(doc.entries.map((e) => [e.id, e]));
    expect(byId.get(damagedId)?.lastError?.code).toBe('OUTBOX_ENTRY_DAMAGED');
    expect(byId.get(extraKeyId)).not.toHaveProperty('internalNote');
    expect(byId.get(olderShapeId)?.state).toBe(expectedState.get(olderShapeId));
    // The damaged entry is kept for a human to look at, never deleted.
    expect(readdirSync(dir)).toContain(`${damagedId}.json.corrupt`);
  }, 60_000);

  it('prints one row per entry, oldest first, with its state', async () => {
    const run = await runCli(['outbox', 'list', '--profile', profile]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+TO\s+SUBJECT/);
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(COUNT);
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual(expectedOrder);
    const cancelled = rows.filter((row) => /\sCancelled\s/i.test(row)).length;
    expect(cancelled).toBe([...expectedState.values()].filter((s) => s === 'cancelled').length);
    expect(lines.at(-1)).toBe('0 sent message(s) in the history.');
  }, 60_000);
});
