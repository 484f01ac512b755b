import { FingerprintSchema, SecuritySchema, type Security } from '../../../shared/domain/smtp-settings';
import { isAbsolute, resolve } from 'node:path';
import { readPasswordFromStdin } from '../password-stdin';
import { UsageError, choiceOption, integerOption, parseCommandArgs } from '../usage-error';
import { failureDocument, verifyDocument, verifyPassed } from '../output/json-output';
import { printVerifySummary, securityWords, stepPrinter } from '../output/verify-human';
import { verifySettings } from '../verify-settings';
import { COMMON_OPTIONS, type Command } from './command';
import type { VerifyReport } from '../../../shared/domain/verification';
import { addressOption } from '../address-options';
import { DNS_SERVER_HELP, dnsServerOption } from '../dns-server-option';
import { deliveryDocument, printDeliveryCheck } from '../output/delivery-output';

const NAME = 'verify';

export const VERIFY_OPTIONS = {
  ...COMMON_OPTIONS,
  host: { type: 'string' },
  port: { type: 'string' },
  security: { type: 'string' },
  user: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  ca: { type: 'string' },
  'trust-fingerprint': { type: 'string' },
  timeout: { type: 'string' },
  from: { type: 'string' },
  'dns-server': { type: 'string' },
} as const;

/** 465 speaks TLS from the first byte; every other submission port starts plain and upgrades. */
export function securityForPort(port: number): Security {
  return port === 465 ? 'tls' : 'starttls';
}

/** --trust-fingerprint in any common spelling (colons or not, any case) -> the stored form. */
export function fingerprintOption(command: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = FingerprintSchema.safeParse(value);
  if (!parsed.success)
    throw new UsageError('--trust-fingerprint must be a SHA-256 fingerprint (64 hex digits)', command);
  return parsed.data;
}

export function fileOption(cwd: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return isAbsolute(value) ? value : resolve(cwd, value);
}

/** The auth step of a check that was not asked to sign in is no step of this check. */
function withoutUnaskedAuth(report: VerifyReport, signIn: boolean): VerifyReport {
  if (signIn) return report;
  return { ...report, steps: report.steps.filter((s) => s.name !== 'auth') };
}

export const verifyCommand: Command = {
  name: NAME,
  summary: 'Check SMTP settings against the server, step by step',
  help: `Usage: mailroom verify --host HOST [--port PORT] [--security tls|starttls|none]
                       [--user USER --password-stdin] [--ca FILE] [--trust-fingerprint SHA256]
                       [--timeout MS] [--from ADDRESS] [--dns-server HOST:PORT]
                       [--json] [--profile DIR]

Runs the full settings check: DNS, connect, TLS, greeting, EHLO, STARTTLS, certificate and (with
--user) sign-in. Nothing is sent: no MAIL FROM, no RCPT TO.

  --host HOST              the outgoing server, e.g. smtp.example.com
  --port PORT              without it, ports 465, 587 and 25 are probed and the best one is checked
  --security MODE          tls (SSL/TLS from the first byte), starttls, none; default from the port
                           (465: tls, otherwise starttls). Needs --port.
  --user USER              sign in as USER; the password is read with --password-stdin
  --password-stdin         read the password from stdin (one trailing newline is dropped)
  --ca FILE                also trust this CA certificate (PEM) for this check
  --trust-fingerprint FP   trust the server certificate with this SHA-256 fingerprint
  --timeout MS             per-phase timeout in milliseconds (500-120000, default 15000)
  --from ADDRESS           also check delivery for mail From ADDRESS through this server: does
                           the domain's SPF authorise it, what does its DMARC policy do with it?
                           Advice only: it never changes the exit code.
${DNS_SERVER_HELP}
  --json                   print one JSON document: {ok, host, port, security, steps, capabilities,
                           tls, auth, error?}, with --from also delivery: {checks:[{kind, status,
                           words, hint}], note}

Exit codes: 0 every step passed, 1 the check failed (the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values } = parseCommandArgs(NAME, args, VERIFY_OPTIONS, false);
    const host = values.host?.trim();
    if (!host) throw new UsageError('--host is required', NAME);
    const port = integerOption(NAME, 'port', values.port, 1, 65535);
    const security = choiceOption(NAME, 'security', values.security, SecuritySchema.options);
    if (security && port === undefined)
      throw new UsageError(
        '--security needs --port (without --port, ports 465, 587 and 25 are probed)',
        NAME,
      );
    const timeoutMs = integerOption(NAME, 'timeout', values.timeout, 500, 120_000);
    const user = values.user;
    if (values['password-stdin'] && !user) throw new UsageError('--password-stdin needs --user', NAME);
    if (user !== undefined && !values['password-stdin'])
      throw new UsageError(
        '--user needs --password-stdin (the password is read from stdin, never from the command line)',
        NAME,
      );
    const trustedFingerprint = fingerprintOption(NAME, values['trust-fingerprint']);
    const caFile = fileOption(context.io.cwd, values.ca);
    const from = values.from === undefined ? undefined : addressOption(NAME, '--from', values.from);
    const dnsServer = dnsServerOption(NAME, values['dns-server']);
    const password = user ? await readPasswordFromStdin(context.io.stdin, NAME) : undefined;

    const session = context.session(values.profile, values.json, { dnsServer });
    const { human } = session;
    const smtp = {
      host,
      ...(port !== undefined
        ? { port, security: security ?? securityForPort(port) }
        : { security: 'tls' as const }),
      authMethod: user ? ('password' as const) : ('none' as const),
      username: user ?? '',
      ...(trustedFingerprint ? { trustedFingerprint } : {}),
      ...(caFile ? { caFile } : {}),
    };
    human.note(
      port !== undefined
        ? `Checking ${host}:${port} (${securityWords(smtp.security)})…`
        : `Checking ${host}: probing ports 465, 587 and 25…`,
    );
    // DNS only, independent of the server's answers: it runs while the server is checked.
    const delivery = from
      ? session.call('checkDelivery', {
          from,
          smtpHost: host,
          ...(port !== undefined ? { smtpPort: port } : {}),
        })
      : undefined;
    const printStep = stepPrinter(human);
    const result = await verifySettings(session, {
      smtp,
      password,
      timeoutMs,
      onStep: (step) => {
        if (step.name === 'auth' && !user) return;
        printStep(step);
      },
      onPinning: (fp) =>
        human.note(
          `The server's certificate matches --trust-fingerprint (${fp}): checking again with it trusted…`,
        ),
    });
    const deliveryResult = delivery ? await delivery : undefined;
    const deliverySection = deliveryResult ? { delivery: deliveryDocument(deliveryResult) } : {};
    if (!result.ok) {
      human.error(result.error);
      if (deliveryResult) printDeliveryCheck(human, deliveryResult);
      return { exitCode: 1, document: failureDocument(result.error, deliverySection) };
    }
    const report = withoutUnaskedAuth(result.value.report, user !== undefined);
    const passed = verifyPassed(report);
    printVerifySummary(human, report, passed);
    if (deliveryResult) printDeliveryCheck(human, deliveryResult);
    return { exitCode: passed ? 0 : 1, document: { ...verifyDocument(report), ...deliverySection } };
  },
};
