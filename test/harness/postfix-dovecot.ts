import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTestCertificates } from './test-certificates';
import { freePort } from './free-port';

const run = promisify(execFile);

/**
 * Postfix 3.7 (submission 587-style STARTTLS-required + 465-style implicit TLS, SASL via Dovecot) and
 * Dovecot 2.3 (auth only) from Debian, started from a temp dir on free 127.0.0.1 ports: nothing under
 * /etc is touched and systemd is not involved. Every recipient at TEST_DOMAIN is accepted and delivered
 * to one catch-all Maildir (Delivered-To tells them apart); mail for any other domain is refused by the error transport, so nothing ever leaves
 * the machine. Needs root (Postfix's master runs as root and drops privileges).
 */
export const TEST_DOMAIN = 'mailroom.test';

export interface PostfixDovecot {
  host: '127.0.0.1';
  /** STARTTLS required before AUTH (like 587). */
  submissionPort: number;
  /** Implicit TLS (like 465). */
  smtpsPort: number;
  user: string;
  password: string;
  /** PEM of the private CA that signed the server certificate (CN localhost, IP 127.0.0.1). */
  caPem: string;
  caFile: string;
  dir: string;
  /** Raw RFC 5322 messages delivered so far, oldest first. */
  readDelivered(): Promise<string[]>;
  /** Waits until at least `count` messages are delivered (Postfix delivers asynchronously). */
  waitForDelivered(count: number, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

function numericId(name: string, database: 'passwd' | 'group'): number {
  const line = execFileSync('getent', [database, name], { encoding: 'utf8' });
  return Number(line.split(':')[2]);
}

/** Daemons must not inherit our stdio (a piped caller would hang waiting for EOF). */
function daemonCommand(command: string, args: string[], logFile: string): Promise<unknown> {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return run('sh', ['-c', `${quoted} </dev/null >>'${logFile}' 2>&1`]);
}

export async function startPostfixDovecot(
  options: { authFailureDelaySeconds?: number } = {},
): Promise<PostfixDovecot> {
  if (process.getuid?.() !== 0)
    throw new Error('startPostfixDovecot needs root: Postfix master runs as root.');
  const certs = makeTestCertificates();
  const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-postfix-'));
  chmodSync(dir, 0o755);
  const [submissionPort, smtpsPort] = [await freePort(), await freePort()];
  const user = `tester@${TEST_DOMAIN}`;
  const password = `pw-${Math.random().toString(36).slice(2)}-Mailroom`;
  const vmailUid = numericId('nobody', 'passwd');
  const vmailGid = numericId('nogroup', 'group');

  const conf = path.join(dir, 'postfix');
  const queue = path.join(dir, 'queue');
  const data = path.join(dir, 'data');
  const mail = path.join(dir, 'mail');
  const dovecotRun = path.join(dir, 'dovecot-run');
  const authSocket = path.join(dir, 'dovecot-auth');
  for (const d of [conf, queue, data, mail, dovecotRun]) mkdirSync(d, { recursive: true });
  chownSync(mail, vmailUid, vmailGid);
  chownSync(data, numericId('postfix', 'passwd'), numericId('postfix', 'group'));
  writeFileSync(path.join(conf, 'server.key'), certs.localhost.key, { mode: 0o600 });
  writeFileSync(path.join(conf, 'server.crt'), certs.localhost.cert + certs.ca.cert);

  writeFileSync(
    path.join(conf, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.${TEST_DOMAIN}
mydomain = ${TEST_DOMAIN}
myorigin = ${TEST_DOMAIN}
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file = ${dir}/postfix.log
# Postfix only writes logs under approved prefixes (default /var, /dev/stdout).
maillog_file_prefixes = ${dir}
alias_maps =
alias_database =
local_recipient_maps =
# Nothing may leave this machine: every non-test destination is refused by the error transport.
default_transport = error:outbound mail is disabled in the Mailroom test server
relay_transport = error:outbound mail is disabled in the Mailroom test server
local_transport = error:local delivery is disabled in the Mailroom test server
virtual_mailbox_domains = ${TEST_DOMAIN}
virtual_mailbox_base = ${mail}
# Catch-all: every recipient at the test domain lands in one Maildir (the virtual agent does not allow
# regexp substitution, so per-user folders would need a table listing every address).
virtual_mailbox_maps = static:${TEST_DOMAIN}/catch-all/
virtual_uid_maps = static:${vmailUid}
virtual_gid_maps = static:${vmailGid}
virtual_minimum_uid = 1
smtpd_banner = $myhostname ESMTP Mailroom test Postfix
smtpd_tls_cert_file = ${conf}/server.crt
smtpd_tls_key_file = ${conf}/server.key
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_sasl_type = dovecot
smtpd_sasl_path = ${authSocket}
smtpd_sasl_auth_enable = no
smtpd_recipient_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
message_size_limit = 10240000
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
`,
  );
  const submission =
    '-o smtpd_sasl_auth_enable=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject';
  writeFileSync(
    path.join(conf, 'master.cf'),
    `127.0.0.1:${submissionPort} inet n - n - - smtpd -o syslog_name=postfix/submission -o smtpd_tls_security_level=encrypt -o smtpd_tls_auth_only=yes ${submission}
127.0.0.1:${smtpsPort} inet n - n - - smtpd -o syslog_name=postfix/smtps -o smtpd_tls_wrappermode=yes ${submission}
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`,
  );

  const dovecotConf = path.join(dir, 'dovecot.conf');
  writeFileSync(path.join(dir, 'dovecot-users'), `${user}:{PLAIN}${password}\n`, { mode: 0o640 });
  chownSync(path.join(dir, 'dovecot-users'), 0, numericId('dovecot', 'group'));
  writeFileSync(
    dovecotConf,
    `# Dovecot as a SASL server for Postfix only: no IMAP/POP listeners.
protocols =
listen = 127.0.0.1
base_dir = ${dovecotRun}
state_dir = ${dir}/dovecot-state
log_path = ${dir}/dovecot.log
ssl = no
auth_mechanisms = plain login
auth_failure_delay = ${options.authFailureDelaySeconds ?? 2} secs
disable_plaintext_auth = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/dovecot-users
}
userdb {
  driver = static
  args = uid=${vmailUid} gid=${vmailGid} home=${mail}/%d/%n
}
service auth {
  unix_listener ${authSocket} {
    mode = 0666
  }
}
`,
  );

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    for (const [cmd, args] of [
      ['postfix', ['-c', conf, 'stop']],
      ['dovecot', ['-c', dovecotConf, 'stop']],
    ] as const) {
      try {
        execFileSync(
          'sh',
          ['-c', `${cmd} ${args.map((a) => `'${a}'`).join(' ')} </dev/null >>'${dir}/stop.log' 2>&1`],
          { timeout: 15_000 },
        );
      } catch {
        // Already stopped or never started.
      }
    }
  };
  // If the test process dies without calling stop(), do not leave daemons running.
  process.once('exit', stopSync);

  try {
    await daemonCommand('dovecot', ['-c', dovecotConf], path.join(dir, 'dovecot-start.log'));
    await daemonCommand('postfix', ['-c', conf, 'start'], path.join(dir, 'postfix-start.log'));
    await waitForListening(submissionPort, 20_000);
    await waitForListening(smtpsPort, 5_000);
    await waitForPath(authSocket, 10_000);
  } catch (error) {
    stopSync();
    const logs = ['postfix-start.log', 'postfix.log', 'dovecot-start.log', 'dovecot.log']
      .map((f) => path.join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${path.basename(f)}\n${readFileSync(f, 'utf8').slice(-2000)}`)
      .join('\n');
    throw new Error(`Postfix/Dovecot did not start: ${(error as Error).message}\n${logs}`);
  }

  const readDelivered = async (): Promise<string[]> => {
    const files: Array<{ file: string; name: string }> = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (path.basename(d) === 'new' || path.basename(d) === 'cur')
          files.push({ file: full, name: entry.name });
      }
    };
    walk(mail);
    // Maildir names start with the delivery time in seconds, then a unique part: sort for "oldest first".
    files.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    return files.map((f) => readFileSync(f.file, 'utf8'));
  };

  return {
    host: '127.0.0.1',
    submissionPort,
    smtpsPort,
    user,
    password,
    caPem: certs.ca.cert,
    caFile: certs.caFile,
    dir,
    readDelivered,
    async waitForDelivered(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const delivered = await readDelivered();
        if (delivered.length >= count) return delivered;
        if (Date.now() > deadline)
          throw new Error(
            `Only ${delivered.length} of ${count} messages were delivered; see ${dir}/postfix.log`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      stopSync();
      process.removeListener('exit', stopSync);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForPath(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
