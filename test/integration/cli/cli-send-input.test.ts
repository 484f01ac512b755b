import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, startSmtpServer, type TestSmtpServer } from '../../harness/smtp-test-server';
import { runCli, tempProfile, type CliRun } from './support/run-cli';

// `mailroom send` as a subprocess against a real smtp-server (STARTTLS + sign-in, password in the
// test keyring): addresses checked by the app's own rule before anything is queued, body text that is
// not UTF-8 refused or converted with --charset, and a send some recipients were refused for told
// apart from a full success by its exit code and one line per refused recipient.

const USER = 'ada@example.test';
const PASSWORD = 'correct horse battery staple';
const BIN = resolve(__dirname, '../../../bin/mailroom.mjs');

let server: TestSmtpServer;
const profile = tempProfile('send-input');
const files = tempProfile('send-input-files');
const certificates = makeTestCertificates();
const env = { NODE_EXTRA_CA_CERTS: certificates.caFile };

beforeAll(async () => {
  server = await startSmtpServer({
    certificate: certificates.localhost,
    users: { [USER]: PASSWORD },
    rejectRecipient: (address) =>
      address.startsWith('nobody@')
        ? { code: 550, text: '5.1.1 <nobody@example.test>: Recipient address rejected: User unknown' }
        : address.startsWith('busy@')
          ? { code: 421, text: '4.7.0 Too many connections, closing' }
          : undefined,
  });
  const added = await runCli(
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
      '--profile',
      profile,
    ],
    { input: `${PASSWORD}\n`, env },
  );
  expect(added.code, added.stderr).toBe(0);
});
afterAll(async () => {
  await server?.stop();
});

const send = (args: string[], input?: string) =>
  runCli(['send', '--subject', 'Hello', ...args, '--profile', profile], { input, env });

async function outboxIsEmpty(): Promise<void> {
  const listed = await runCli(['outbox', 'list', '--json', '--profile', profile], { env });
  expect(listed.json()).toMatchObject({ entries: [] });
}

/** The last message the server received, parsed. */
async function lastReceived() {
  const last = server.messages.at(-1);
  if (!last) throw new Error('the server received nothing');
  return { envelopeTo: last.to, parsed: await simpleParser(last.raw) };
}

/** Runs the CLI through bash, so an argument can hold bytes that are not UTF-8 (printf '\xe9'). */
function runWithRawArgument(shellArgs: string): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', `exec "$NODE" "$BIN" send ${shellArgs} --profile "$PROFILE"`], {
      env: { ...process.env, ...env, MAILROOM_PROFILE: '', NODE: process.execPath, BIN, PROFILE: profile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({ code: code ?? -1, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }),
    );
    child.stdin.end();
  });
}

describe.sequential('mailroom send: what goes in, and what came out', () => {
  it.each([
    ['--to', 'a@b', 'a@b', 'the domain “b” has no dot (expected one like example.com)'],
    [
      '--to',
      'a 70-character local part',
      `${'x'.repeat(70)}@example.test`,
      'the part before @ is longer than 64 characters (it has 70)',
    ],
    [
      '--cc',
      'a 260-character domain',
      `a@${'d'.repeat(252)}.example`,
      'the domain is longer than 255 characters (it has 260)',
    ],
    ['--bcc', 'a@b..example', 'a@b..example', 'the domain has two dots in a row'],
    ['--to', 'a control character', 'ctl\x01@example.test', 'it contains a control character (U+0001)'],
  ])(
    'refuses %s with %s, saying what is wrong, and queues nothing',
    async (option, _label, address, problem) => {
      const before = server.messages.length;
      const extra = option === '--to' ? [] : ['--to', 'ok@example.test'];
      const run = await send([...extra, option, address, '--text', 'Hi']);
      expect(run.code).toBe(2);
      const [first, second] = run.stderr.trim().split('\n');
      expect(first).toMatch(new RegExp(`^mailroom send: ${option}: “`));
      expect(first).toContain(`is not a valid email address: ${problem}.`);
      // The rejected value is cut, and a control character is shown, not sent to the terminal.
      expect(first!.length).toBeLessThan(200);
      expect(first).not.toMatch(/\p{Cc}/u);
      expect(second).toBe("Run 'mailroom send --help' for usage.");
      await outboxIsEmpty();
      expect(server.messages.length).toBe(before);
    },
  );

  it('refuses a Latin-1 --text-file, and sends it converted with --charset windows-1252', async () => {
    const file = join(files, 'latin1.txt');
    writeFileSync(file, Buffer.from('Caf\xe9 cr\xe8me\r\n', 'latin1'));
    const refused = await send(['--to', 'ok@example.test', '--text-file', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `mailroom send: --text-file ${file} is not valid UTF-8 (the first bad byte is on line 1)`,
    );
    expect(refused.stderr).toContain('--charset windows-1252');
    await outboxIsEmpty();

    const sent = await send(['--to', 'ok@example.test', '--text-file', file, '--charset', 'windows-1252']);
    expect(sent.code, sent.stderr).toBe(0);
    expect((await lastReceived()).parsed.text).toBe('Café crème\n');
  });

  it('refuses a UTF-16 --text-file (byte order mark or NUL bytes), and sends it with --charset utf-16le', async () => {
    const withBom = join(files, 'utf16-bom.txt');
    writeFileSync(
      withBom,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Grüße aus Köln', 'utf16le')]),
    );
    const noBom = join(files, 'utf16.txt');
    writeFileSync(noBom, Buffer.from('Hello', 'utf16le'));
    const bom = await send(['--to', 'ok@example.test', '--text-file', withBom]);
    expect(bom.code).toBe(2);
    expect(bom.stderr).toContain(
      `--text-file ${withBom} is UTF-16 text (it starts with a UTF-16 byte order mark), not UTF-8; pass --charset utf-16le`,
    );
    const nul = await send(['--to', 'ok@example.test', '--text-file', noBom]);
    expect(nul.code).toBe(2);
    expect(nul.stderr).toContain('contains NUL bytes');
    await outboxIsEmpty();

    const sent = await send(['--to', 'ok@example.test', '--text-file', withBom, '--charset', 'utf-16le']);
    expect(sent.code, sent.stderr).toBe(0);
    expect((await lastReceived()).parsed.text?.trim()).toBe('Grüße aus Köln');
  });

  it('refuses a body on stdin that is not UTF-8, and an argument whose bytes were not UTF-8', async () => {
    const run = await runCli(['send', '--subject', 'Hi', '--to', 'ok@example.test', '--profile', profile], {
      env,
      input: Buffer.from('Gr\xfc\xdfe\n', 'latin1') as unknown as string,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('mailroom send: the body on stdin is not valid UTF-8');

    const argument = await runWithRawArgument(
      `--to ok@example.test --subject "$(printf 'Caf\\xe9')" --text Hi`,
    );
    expect(argument.code).toBe(2);
    expect(argument.stderr).toMatch(/^mailroom send: --subject: the value is not valid UTF-8/);
    await outboxIsEmpty();
  });

  it('exits 3 when the server refused some recipients, naming each with its reply', async () => {
    const run = await send(['--to', 'ok@example.test', '--to', 'nobody@example.test', '--text', 'Hi']);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/^Sent to 1 of 2 recipients\. Message-ID: </m);
    expect(run.stderr).toContain(
      'Refused by the server, not sent to nobody@example.test: 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown',
    );
    expect((await lastReceived()).envelopeTo).toEqual(['ok@example.test']);

    const json = await send([
      '--to',
      'ok@example.test',
      '--to',
      'nobody@example.test',
      '--text',
      'Hi',
      '--json',
    ]);
    expect(json.code).toBe(3);
    expect(json.json()).toMatchObject({
      ok: true,
      state: 'sent',
      accepted: ['ok@example.test'],
      rejected: ['nobody@example.test'],
      refused: [{ address: 'nobody@example.test', reply: expect.stringMatching(/^550 5\.1\.1 /) }],
    });
  });

  it('words a 421 at RCPT TO as a temporary problem at RCPT TO, not at CONN', async () => {
    const run = await send(['--to', 'busy@example.test', '--text', 'Hi', '--json']);
    expect(run.code).toBe(1);
    const document = run.json<{ state: string; error: { code: string; message: string } }>();
    expect(document.state).toBe('queued');
    expect(document.error.code).toBe('SERVER_TEMPORARY');
    expect(document.error.message).toContain('reported a temporary problem (at RCPT TO).');
    expect(document.error.message).not.toContain('CONN');
    const id = (document as unknown as { outboxId: string }).outboxId;
    expect((await runCli(['outbox', 'cancel', id, '--profile', profile], { env })).code).toBe(0);
  });
});
