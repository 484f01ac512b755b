import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runCli, tempProfile } from '../cli/support/run-cli';

// `mailroom merge` and the job commands as a user runs them (subprocesses on one profile, the real
// keychain, a real SMTP server): a ;-separated list with a BOM, CRLF and quotes, an HTML body, an
// attachment; --dry-run queues nothing; the job shows in outbox list, pauses, resumes, is cancelled.

const USER = 'ada@example.test';
const PASSWORD = 'merge pass 4711';
let server: TestSmtpServer;
const profile = tempProfile('merge');
const files = tempProfile('merge-files');
const certificates = makeTestCertificates();
const env = { NODE_EXTRA_CA_CERTS: certificates.caFile };
const cli = (args: string[]) => runCli([...args, '--profile', profile], { env });

interface JobJson {
  id: string;
  state: string;
  counts: Record<string, number>;
}

beforeAll(async () => {
  server = await startSmtpServer({ certificate: certificates.localhost, users: { [USER]: PASSWORD } });
  const added = await runCli(
    ['accounts', 'add', '--email', USER, '--host', '127.0.0.1', '--port', String(server.port)].concat([
      '--security',
      'starttls',
      '--password-stdin',
      '--profile',
      profile,
    ]),
    { input: `${PASSWORD}\n`, env },
  );
  expect(added.code, added.stderr).toBe(0);
  writeFileSync(
    join(files, 'guests.csv'),
    '\uFEFFE-Mail;Name;Table\r\n' +
      'bob@example.org;"Bob ""The Builder""";7\r\n' +
      'broken-address;Nobody;1\r\n' +
      'cy@example.org;"Smith; <Cy> & Co";"8;9"\r\n' +
      'dee@example.org;Dee;10\r\n',
  );
  writeFileSync(join(files, 'body.html'), '<p>Dear {{Name}},</p><p>you sit at table <b>{{Table}}</b>.</p>');
  writeFileSync(join(files, 'menu.txt'), 'Soup, then more soup.\n');
});
afterAll(async () => {
  await server?.stop();
});

const mergeArgs = () => [
  'merge',
  '--csv',
  join(files, 'guests.csv'),
  '--subject',
  'Your table, {{Name}}',
  '--html-file',
  join(files, 'body.html'),
  '--attach',
  join(files, 'menu.txt'),
];

describe.sequential('mailroom merge', () => {
  let jobId = '';

  it('--dry-run shows every row as it would go and the rows left out, and queues nothing', async () => {
    const run = await cli([...mergeArgs(), '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 of 4 rows would be sent');
    expect(run.stdout).toContain(
      'Row 2: To Bob "The Builder" <bob@example.org>  Subject: Your table, Bob "The Builder"',
    );
    expect(run.stdout).toContain('Row 4: To Smith; <Cy> & Co <cy@example.org>');
    expect(run.stdout).toContain('Dry run: nothing was queued.');
    expect(run.stderr).toMatch(/Left out: Row 3: “broken-address” is not a valid email address/);
    const json = await cli([...mergeArgs(), '--dry-run', '--json']);
    expect(json.json()).toMatchObject({
      ok: true,
      dryRun: true,
      preview: {
        delimiter: ';',
        recipientField: 'E-Mail',
        sendableRows: 3,
        skipped: [{ row: 3, reason: 'bad-address' }],
      },
    });
    const listed = (await cli(['outbox', 'list', '--json'])).json<{ entries: unknown[]; jobs: unknown[] }>();
    expect(listed).toMatchObject({ entries: [], jobs: [] });
    expect(server.messages).toHaveLength(0);
  });

  it('queues the job; outbox list shows it with its rows; pause holds it, resume and flush send it', async () => {
    const run = await cli([...mergeArgs(), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const queued = run.json<{ jobId: string; queued: number; skipped: { row: number }[] }>();
    expect(queued).toMatchObject({ queued: 3, skipped: [{ row: 3 }] });
    jobId = queued.jobId;

    const listed = (await cli(['outbox', 'list', '--json'])).json<{
      entries: { merge?: unknown }[];
      jobs: JobJson[];
    }>();
    expect(listed.jobs).toMatchObject([
      { id: jobId, state: 'active', counts: { total: 3, queued: 3, skipped: 1 } },
    ]);
    expect(listed.entries.map((e) => e.merge)).toEqual([
      { jobId, row: 2 },
      { jobId, row: 4 },
      { jobId, row: 5 },
    ]);
    const human = await cli(['outbox', 'list']);
    expect(human.stdout).toMatch(
      new RegExp(
        `${jobId}  active  guests\\.csv  “Your table, \\{\\{Name\\}\\}”: 0 of 3 sent, 3 waiting, 1 left out`,
      ),
    );

    expect((await cli(['outbox', 'pause', jobId, '--json'])).json()).toMatchObject({
      job: { state: 'paused' },
    });
    // A paused job's rows are not due: flush says they wait and returns at once, not after --wait.
    const held = await cli(['outbox', 'flush', '--json']);
    expect(held.code, held.stderr).toBe(0);
    expect(held.json<{ paced: { jobId: string; row: number }[] }>().paced).toEqual([
      { id: expect.any(String), jobId, row: 2 },
      { id: expect.any(String), jobId, row: 4 },
      { id: expect.any(String), jobId, row: 5 },
    ]);
    expect((await cli(['outbox', 'flush'])).stdout).toMatch(
      /3 mail-merge row\(s\) wait for their job's pace or a paused job/,
    );
    expect(server.messages).toHaveLength(0);

    expect((await cli(['outbox', 'resume', jobId, '--json'])).json()).toMatchObject({
      job: { state: 'active' },
    });
    const flushed = await cli(['outbox', 'flush', '--json']);
    expect(flushed.code, flushed.stderr).toBe(0);
    // Two connections: in any order.
    expect(server.messages.map((m) => m.to).sort()).toEqual([
      ['bob@example.org'],
      ['cy@example.org'],
      ['dee@example.org'],
    ]);
    const cy = await simpleParser(server.messages.find((m) => m.to[0] === 'cy@example.org')!.raw);
    expect(cy.subject).toBe('Your table, Smith; <Cy> & Co');
    expect(cy.html).toContain(
      '<p style="margin:0">Dear Smith; &#60;Cy&#62; &#38; Co,</p><p style="margin:0">you sit at table <b>8;9</b>.</p>',
    );
    expect(cy.text).toContain('Dear Smith; <Cy> & Co,');
    expect(cy.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
      ['menu.txt', 'Soup, then more soup.\n'],
    ]);
    const done = (await cli(['outbox', 'list', '--json'])).json<{ jobs: JobJson[] }>();
    expect(done.jobs).toMatchObject([{ id: jobId, state: 'done', counts: { sent: 3, queued: 0 } }]);
  });

  it('outbox cancel JOB cancels the rows not sent yet; a job id that does not exist is named', async () => {
    const run = await cli([...mergeArgs(), '--json']);
    const second = run.json<{ jobId: string }>().jobId;
    const cancelled = await cli(['outbox', 'cancel', second, '--json']);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.json()).toMatchObject({
      job: { state: 'cancelled', counts: { cancelled: 3, sent: 0 } },
    });
    expect((await cli(['outbox', 'flush', '--json'])).code).toBe(0);
    expect(server.messages).toHaveLength(3);
    const missing = await cli(['outbox', 'pause', 'merge-0000000000000000', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'MERGE_JOB_NOT_FOUND' } });
    expect((await cli(['outbox', 'pause', 'not-a-job'])).code).toBe(2);
  });

  it('refuses a list with no sendable row, and usage errors, queueing nothing', async () => {
    writeFileSync(join(files, 'bad.csv'), 'email,Name,Table\nnope,X,1\n');
    const none = await cli([
      'merge',
      '--csv',
      join(files, 'bad.csv'),
      '--subject',
      'Hi {{Name}}',
      '--html-file',
      join(files, 'body.html'),
      '--json',
    ]);
    expect(none.code).toBe(1);
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'MERGE_NO_SENDABLE_ROWS' } });
    expect((await cli(['merge', '--csv', join(files, 'guests.csv'), '--subject', 'x'])).code).toBe(2);
    const drafts = await cli(['outbox', 'list', '--json']);
    expect(drafts.json<{ jobs: unknown[] }>().jobs).toHaveLength(2);
  });

  it('accounts limits shows and sets the account’s own limits, which the next job is paced to', async () => {
    const shown = await cli(['accounts', 'limits', USER]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('Your own limits: none set');
    expect(shown.stdout).toContain('A mail merge from this account goes at: none');
    const set = await cli(['accounts', 'limits', USER, '--per-minute', '30', '--json']);
    expect(set.json()).toMatchObject({
      own: { perMinute: 30, perDay: null },
      effective: { source: 'account' },
    });
    const day = await cli(['accounts', 'limits', USER, '--per-day', '200', '--json']);
    expect(day.json()).toMatchObject({ own: { perMinute: 30, perDay: 200 } });
    const dry = await cli([...mergeArgs(), '--dry-run', '--json']);
    expect(dry.json()).toMatchObject({
      preview: { pacing: { limits: { perMinute: 30, perDay: 200, source: 'account' } } },
    });
    const cleared = await cli(['accounts', 'limits', USER, '--clear', '--json']);
    expect(cleared.json()).toMatchObject({ own: null, effective: { source: 'none' } });
    expect((await cli(['accounts', 'limits', USER, '--per-day', '0'])).code).toBe(2);
  });
});
