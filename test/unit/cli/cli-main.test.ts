import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/cli-main';
import type { CliIo } from '../../../electron/cli/cli-io';
import { stripOneNewline } from '../../../electron/cli/password-stdin';
import { verifyDocument } from '../../../electron/cli/output/json-output';

// Command-line parsing in process (no profile is opened for any of these): every usage error exits 2
// with one line of reason and a pointer to --help, before anything touches the network or keychain.

function io(stdinText: string | Buffer = '', tty = false): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(stdinText);
  return {
    stdout,
    stderr,
    stdin,
    env: { MAILROOM_PROFILE: '/nonexistent/profile' },
    cwd: '/tmp',
    out: () => out,
    err: () => err,
  };
}

describe('usage errors', () => {
  it.each([
    [[], /no command given/],
    [['launch'], /unknown command 'launch'/],
    [['accounts'], /'accounts' needs a subcommand: add, list, remove/],
    [['outbox', 'purge'], /unknown command 'outbox purge'/],
    [['--verbose', 'verify'], /unknown option '--verbose' before the command/],
    [['verify'], /--host is required/],
    [['verify', '--host', 'h', '--port', 'abc'], /--port must be a whole number/],
    [['verify', '--host', 'h', '--port', '70000'], /--port must be between 1 and 65535/],
    [
      ['verify', '--host', 'h', '--port', '587', '--security', 'ssl'],
      /--security must be one of tls, starttls, none/,
    ],
    [['verify', '--host', 'h', '--security', 'tls'], /--security needs --port/],
    [['verify', '--host', 'h', '--user', 'u'], /--user needs --password-stdin/],
    [['verify', '--host', 'h', '--password-stdin'], /--password-stdin needs --user/],
    [['verify', '--host', 'h', '--timeout', '10'], /--timeout must be between 500 and 120000/],
    [
      ['verify', '--host', 'h', '--trust-fingerprint', 'AB:CD'],
      /--trust-fingerprint must be a SHA-256 fingerprint/,
    ],
    [['verify', '--host', 'h', '--port'], /--port/],
    [['discover'], /EMAIL is required/],
    [['discover', 'not-an-address'], /EMAIL: “not-an-address” is not a valid email address: it has no @/],
    [['accounts', 'add', '--email', 'a@b.test'], /--password-stdin is required/],
    [
      ['accounts', 'add', '--email', 'a@b.test', '--host', 'h', '--password-stdin'],
      /--host needs --port or --security/,
    ],
    [
      ['accounts', 'add', '--email', 'a@b.test', '--port', '587', '--password-stdin'],
      /--port and --security need --host/,
    ],
    [['accounts', 'remove'], /the account id or email address is required/],
    [['send', '--subject', 's', '--text', 't'], /at least one --to is required/],
    [['send', '--to', 'a@b.test', '--text', 't'], /--subject is required/],
    [
      ['send', '--to', 'a@b.test', '--subject', 's', '--text', 't', '--text-file', 'f'],
      /either --text or --text-file/,
    ],
    [
      ['send', '--to', 'a@b.test', '--cc', 'nope', '--subject', 's', '--text', 't'],
      /--cc: “nope” is not a valid email address: it has no @/,
    ],
    [
      ['send', '--to', 'a@b', '--subject', 's', '--text', 't'],
      /^mailroom send: --to: “a@b” is not a valid email address: the domain “b” has no dot \(expected one like example.com\)\.$/,
    ],
    [
      ['accounts', 'add', '--email', 'ctl\x01@b.example', '--password-stdin'],
      /--email: “ctl\\u\{1\}@b.example” is not a valid email address: it contains a control character \(U\+0001\)/,
    ],
    // A rejected value is echoed cut to 60 characters, never in full.
    [['verify', '--host', 'h', '--port', '9x'.repeat(150)], new RegExp(`not “${'9x'.repeat(30)}…”$`)],
    [['verify', '--host', 'h', '--security', 'x'.repeat(300)], new RegExp(`not “${'x'.repeat(60)}…”$`)],
    [['verify', `--${'y'.repeat(300)}`], new RegExp(`Unknown option “--${'y'.repeat(58)}…”$`)],
    [
      ['send', '--to', `${'z'.repeat(300)}@b.example`, '--subject', 's', '--text', 't'],
      /“z{60}…” is not a valid email address: the part before @ is longer than 64 characters \(it has 300\)/,
    ],
    [
      ['send', '--to', 'a@b.test', '--subject', 's', '--text', 't', '--charset', 'klingon'],
      /--charset klingon is not an encoding Mailroom knows/,
    ],
    // Node hands over bytes that were not UTF-8 as U+FFFD: refused, naming the option.
    [
      ['send', '--to', 'a@b.test', '--subject', 'Caf\uFFFD', '--text', 't'],
      /^mailroom send: --subject: the value is not valid UTF-8/,
    ],
    [
      ['send', '--to', 'a@b.test', '--subject', 's', '--text=\uFFFD'],
      /^mailroom send: --text: the value is not valid UTF-8/,
    ],
    [['outbox', 'list', 'extra'], /unexpected argument 'extra'/],
  ])('%j', async (argv, reason) => {
    const streams = io();
    expect(await runCli(argv, streams)).toBe(2);
    const lines = streams.err().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(reason);
    expect(lines[1]).toMatch(/^Run 'mailroom( [a-z]+)*( [a-z]+)? --help' for usage\.$/);
    expect(streams.out()).toBe('');
  });

  it('refuses to read a password from a terminal, where it would be echoed', async () => {
    const streams = io('', true);
    expect(await runCli(['verify', '--host', 'h', '--user', 'u', '--password-stdin'], streams)).toBe(2);
    expect(streams.err()).toMatch(/--password-stdin reads the password from a pipe/);
  });

  it('refuses a password on stdin that is not UTF-8 instead of turning it into another password', async () => {
    const streams = io(Buffer.from('gr\xfc\xdfe\n', 'latin1'));
    expect(await runCli(['verify', '--host', 'h', '--user', 'u', '--password-stdin'], streams)).toBe(2);
    expect(streams.err()).toMatch(
      /^mailroom verify: --password-stdin: the password on stdin is not valid UTF-8 text$/m,
    );
  });

  it('refuses an empty password on stdin', async () => {
    const streams = io('\n');
    expect(
      await runCli(
        [
          'accounts',
          'add',
          '--email',
          'a@b.test',
          '--no-verify',
          '--host',
          'h',
          '--port',
          '587',
          '--password-stdin',
        ],
        streams,
      ),
    ).toBe(2);
    expect(streams.err()).toMatch(/empty password/);
  });

  it('prints help for the program and for each command with exit 0', async () => {
    for (const argv of [
      ['--help'],
      ['help', 'send'],
      ['send', '--help'],
      ['accounts', 'add', '-h'],
      ['--profile', 'x', 'outbox', 'flush', '--help'],
    ]) {
      const streams = io();
      expect(await runCli(argv, streams)).toBe(0);
      expect(streams.out()).toMatch(/^Usage: mailroom /);
      expect(streams.out()).toMatch(/Exit codes:/);
    }
  });
});

describe('pieces', () => {
  it('drops exactly one trailing newline from a piped password', () => {
    expect(stripOneNewline('secret\n')).toBe('secret');
    expect(stripOneNewline('secret\r\n')).toBe('secret');
    expect(stripOneNewline('secret\n\n')).toBe('secret\n');
    expect(stripOneNewline(' secret ')).toBe(' secret ');
  });

  it('maps a verify report to the JSON contract, with null for what was not reached', () => {
    const doc = verifyDocument({
      ok: false,
      host: 'smtp.example.test',
      port: 587,
      security: 'starttls',
      steps: [
        { name: 'dns', status: 'passed', ms: 3, detail: '192.0.2.1' },
        { name: 'connect', status: 'failed', ms: 10, detail: 'refused', code: 'CONNECTION_REFUSED' },
        { name: 'greeting', status: 'skipped', detail: 'Not reached' },
      ],
      error: { code: 'CONNECTION_REFUSED', message: 'refused', hint: 'Check the port.' },
      transcript: ['C: AUTH PLAIN <redacted>'],
      addresses: [],
      summary: [],
    });
    expect(doc).toEqual({
      ok: false,
      host: 'smtp.example.test',
      port: 587,
      security: 'starttls',
      steps: [
        { name: 'dns', ok: true, ms: 3, detail: '192.0.2.1', status: 'passed' },
        {
          name: 'connect',
          ok: false,
          ms: 10,
          detail: 'refused',
          status: 'failed',
          code: 'CONNECTION_REFUSED',
        },
        { name: 'greeting', ok: false, ms: null, detail: 'Not reached', status: 'skipped' },
      ],
      capabilities: null,
      tls: null,
      auth: null,
      certificate: null,
      summary: [],
      error: { code: 'CONNECTION_REFUSED', message: 'refused', hint: 'Check the port.' },
    });
  });
});
