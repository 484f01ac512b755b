import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runCli, tempProfile } from './support/run-cli';

// `mailroom test-message ACCOUNT [--to ADDRESS]` as a subprocess against a real smtp-server that
// answers DATA as Postfix does ("queued as ID"): the message arrives from the account to itself (or
// to --to), the command prints the server's reply and queue ID, and a failure is the coded error.

const USER = 'lin@example.test';
const PASSWORD = 'test-message secret 7';

let server: TestSmtpServer;
const profile = tempProfile('test-message');
const certificates = makeTestCertificates();
const env = { NODE_EXTRA_CA_CERTS: certificates.caFile };
const cli = (args: string[], input?: string) => runCli([...args, '--profile', profile], { input, env });

beforeAll(async () => {
  server = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD },
    queueIds: true,
    rejectRecipient: (address) =>
      address.startsWith('nobody@') ? { code: 550, text: '5.1.1 User unknown' } : undefined,
  });
  const added = await cli(
    [
      'accounts',
      'add',
      '--email',
      USER,
      '--host',
      '127.0.0.1',
      '--port',
      String(server.port),
      '--security',
      'starttls',
      '--password-stdin',
    ],
    `${PASSWORD}\n`,
  );
  expect(added.code, added.stderr).toBe(0);
});
afterAll(async () => {
  await server?.stop();
});

describe.sequential('mailroom test-message', () => {
  it('sends a test message from the account to itself and prints the reply and queue ID', async () => {
    const run = await cli(['test-message', USER]);
    expect(run.code, run.stderr).toBe(0);
    expect(server.messages).toHaveLength(1);
    const received = server.messages[0]!;
    const parsed = await simpleParser(received.raw);
    expect(parsed.from?.value[0]?.address).toBe(USER);
    expect(received.to).toEqual([USER]);
    expect(parsed.subject).toBe('Mailroom test message');
    expect(run.stdout).toContain(`Queue ID: ${received.queueId}`);
    expect(run.stdout).toContain(`queued as ${received.queueId}`);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it('sends to --to and reports it in JSON', async () => {
    const run = await cli(['test-message', USER, '--to', 'someone@example.org', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const received = server.messages.at(-1)!;
    expect(received.to).toEqual(['someone@example.org']);
    expect(run.json()).toMatchObject({
      ok: true,
      from: USER,
      to: 'someone@example.org',
      subject: 'Mailroom test message',
      queueId: received.queueId,
    });
  });

  it('reports a refused recipient as the coded failure, and leaves nothing queued', async () => {
    const before = server.messages.length;
    const run = await cli(['test-message', USER, '--to', 'nobody@example.org', '--json']);
    expect(run.code).toBe(1);
    expect(run.json()).toMatchObject({ ok: false, error: { code: 'RECIPIENT_REJECTED' } });
    expect(server.messages).toHaveLength(before);
    const listed = await cli(['outbox', 'list', '--json']);
    expect(
      listed
        .json<{ entries: { state: string }[] }>()
        .entries.filter((e) => e.state !== 'sent' && e.state !== 'cancelled' && e.state !== 'failed'),
    ).toEqual([]);
  });

  it('refuses a bad --to as a usage error', async () => {
    const run = await cli(['test-message', USER, '--to', 'not an address']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--to');
  });
});
