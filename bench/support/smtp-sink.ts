import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { freePort } from '../../test/harness/free-port';

/** Postfix's test server: it accepts every message and discards it, as fast as it can. */
export const SMTP_SINK = '/usr/sbin/smtp-sink';

export interface SmtpSink {
  host: '127.0.0.1';
  port: number;
  stop(): Promise<void>;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * smtp-sink on a free 127.0.0.1 port. It offers no STARTTLS, and answers AUTH with 250 where a
 * client expects 235, so both sides talk plain SMTP without AUTH to it. Run as root it must drop to
 * an unprivileged user (-u). Its output goes nowhere: a daemon holding the runner's stdout would
 * keep a piped `npm run bench | tee` from ending.
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  if (!existsSync(SMTP_SINK)) {
    throw new Error(
      `${SMTP_SINK} is missing: it ships with Debian's postfix package (apt-get install postfix).`,
    );
  }
  const port = await freePort();
  const asRoot = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  // 1024: the listen backlog; -c off, -v off: nothing is printed per session.
  const child = spawn(SMTP_SINK, [...asRoot, `127.0.0.1:${port}`, '1024'], { stdio: 'ignore' });
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const deadline = Date.now() + 10_000;
  while (!(await answers(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`smtp-sink did not answer on 127.0.0.1:${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: '127.0.0.1',
    port,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 2_000))]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
