import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MergeJobs, type MergeManifest } from '../../../electron/core/merge/merge-jobs';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const manifest: MergeManifest = {
  version: 1,
  id: 'merge-abcdef12',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  state: 'active',
  fileName: 'list.csv',
  from: 'Ada <ada@example.test>',
  template: {
    accountId: 'a',
    subject: 'Hi {{name}}',
    mode: 'plain',
    html: '',
    text: 'Hello',
    attachments: [],
  },
  recipientField: 'email',
  rows: [{ row: 1, entryId: 'e1' }],
  skipped: [],
};
const slowDown = { perMinute: 15, until: 1_800_000_000_000, reply: '451 4.7.1 slow down', strikes: 1 };

describe("a merge job's manifest", () => {
  it('keeps every change made at the same moment: a Cancel while a "slow down" is written is not undone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-merge-jobs-'));
    dirs.push(dir);
    const jobs = new MergeJobs(dir);
    await jobs.write(manifest);
    // Both read the manifest before either is on disk, as the delivery's "slow down" and the
    // user's Cancel do when they meet.
    await Promise.all([
      jobs.update(manifest.id, (current) => current && { ...current, throttle: slowDown }),
      jobs.update(manifest.id, (current) => current && { ...current, state: 'cancelled' }),
    ]);
    expect(jobs.get(manifest.id)).toMatchObject({ state: 'cancelled', throttle: slowDown });
    // And so on disk, as the next process reads it.
    const later = new MergeJobs(dir);
    await later.refresh();
    expect(later.get(manifest.id)).toMatchObject({ state: 'cancelled', throttle: slowDown });
  });

  it('a change can leave the manifest as it is, and one of a job that is gone writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-merge-jobs-'));
    dirs.push(dir);
    const jobs = new MergeJobs(dir);
    const written = await jobs.write(manifest);
    expect(await jobs.update(manifest.id, () => undefined)).toBe(written);
    expect(await jobs.update('merge-00000000', (current) => current)).toBeUndefined();
    const later = new MergeJobs(dir);
    await later.refresh();
    expect(later.all().map((m) => m.id)).toEqual([manifest.id]);
  });
});
