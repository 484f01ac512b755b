import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DraftStore } from '../../../electron/core/drafts/draft-store';

const root = resolve(__dirname, '../../..');

/** Runs the writer until it has acknowledged `after` saves, then SIGKILLs it; returns the last one. */
function killDuringSaves(profile: string, draftId: string, after: number): Promise<number> {
  // One process (tsx as a loader, not its CLI, which would run the writer in a child of its own that
  // SIGKILL would leave running): the kill must stop the writer itself, mid-save.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(__dirname, 'support/draft-writer.ts'), profile, draftId],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let last = 0;
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolveKill, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      for (const match of chunk.toString().matchAll(/saved (\d+)/g)) last = Number(match[1]);
      if (last >= after && child.exitCode === null) child.kill('SIGKILL');
    });
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolveKill(last) : reject(new Error(`writer exited on its own:\n${errors}`)),
    );
  });
}

describe('drafts survive a crash in the middle of a save', () => {
  it('always reads back a whole draft, at least as new as the last acknowledged save', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'mailroom-draft-crash-'));
    try {
      const store = new DraftStore(profile);
      const draft = await store.create({});
      for (const after of [3, 11, 25]) {
        const acknowledged = await killDuringSaves(profile, draft.id, after);
        const read = await new DraftStore(profile).get(draft.id);
        expect(read.ok, read.ok ? '' : read.error.message).toBe(true);
        if (!read.ok) return;
        const saved = Number(/^edit (\d+)$/.exec(read.value.subject)?.[1]);
        // The kill may land after a save reached disk but before it was printed: never older, though.
        expect(saved).toBeGreaterThanOrEqual(acknowledged);
        expect(read.value.text.startsWith(`${saved}\n`)).toBe(true);
      }
      // Interrupted saves may leave a temp file, never a second draft.
      expect(readdirSync(join(profile, 'drafts')).filter((f) => !f.startsWith('.'))).toEqual([
        `${draft.id}.json`,
      ]);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
