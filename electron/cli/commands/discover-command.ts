import { randomUUID } from 'node:crypto';
import type { DiscoveryProgress, DiscoveryResult } from '../../../shared/domain/discovery';
import type { MailroomError, Result } from '../../../shared/result';
import type { CliSession } from '../cli-session';
import { addressOption } from '../address-options';
import { UsageError, parseCommandArgs } from '../usage-error';
import { failureDocument, publicError } from '../output/json-output';
import { formatMs } from '../output/human-output';
import { securityWords } from '../output/verify-human';
import { COMMON_OPTIONS, type Command } from './command';
import { dnsServerOption } from '../dns-server-option';

const NAME = 'discover';

const DISCOVER_OPTIONS = { ...COMMON_OPTIONS, 'dns-server': { type: 'string' } } as const;

export function emailArgument(command: string, value: string | undefined, what = 'an email address'): string {
  if (value === undefined) throw new UsageError(`${what} is required`, command);
  return addressOption(command, what, value);
}

/** When nothing was found: discovery's own explanation, or a plain one. */
export function discoveryProblem(result: DiscoveryResult): MailroomError {
  return (
    result.problem ?? {
      code: 'DISCOVERY_NOT_FOUND',
      message: `No outgoing server settings were found for ${result.domain || result.email}.`,
      hint: 'Look up the SMTP server, port and security in your provider’s setup guide and pass them with --host, --port and --security.',
    }
  );
}

/** The app's discoverSettings, with its steps shown as they run. */
export async function runDiscovery(session: CliSession, email: string): Promise<Result<DiscoveryResult>> {
  const requestId = randomUUID();
  const { human } = session;
  human.note(`Looking up the outgoing server for ${email}…`);
  return session.call('discoverSettings', { email, requestId }, (event, payload) => {
    if (event !== 'discoveryProgress') return;
    const p = payload as DiscoveryProgress;
    if (p.requestId !== requestId) return;
    const label = p.label ?? p.step;
    if (p.status === 'running') human.progress(`  … ${label}`);
    else if (human.live)
      human.done(`  ${p.status === 'found' ? '✓' : '-'} ${label}${p.detail ? `  ${p.detail}` : ''}`);
  });
}

export function printDiscovery(session: CliSession, result: DiscoveryResult): void {
  const { human } = session;
  if (!human.live) {
    for (const step of result.steps) {
      const mark = step.status === 'found' ? '✓' : step.status === 'failed' ? '✗' : '-';
      human.line(
        `  ${mark} ${step.label}${step.ms !== undefined ? `  ${formatMs(step.ms)}` : ''}${step.detail ? `  ${step.detail}` : ''}`,
      );
    }
  }
  if (!result.found || !result.settings) return;
  const s = result.settings;
  human.line();
  human.line(`Outgoing server for ${result.email}: ${s.host}, port ${s.port}, ${securityWords(s.security)}`);
  if (result.source)
    human.line(`Found in: ${result.source}${result.provider ? ` (${result.provider.name})` : ''}`);
  for (const note of result.notes) human.line(`Note: ${note}`);
  if (result.thirdParty) human.line(`Note: ${result.thirdParty.reason}`);
  if (result.instructionsUrl) human.line(`Provider instructions: ${result.instructionsUrl}`);
  for (const alt of result.alternatives) {
    human.line(
      `Also possible: ${alt.settings.host}, port ${alt.settings.port}, ${securityWords(alt.settings.security)} (${alt.source})`,
    );
  }
}

export const discoverCommand: Command = {
  name: NAME,
  summary: 'Find the outgoing server settings for an email address',
  help: `Usage: mailroom discover EMAIL [--dns-server HOST:PORT] [--json] [--profile DIR]

Looks up the outgoing (SMTP) settings for EMAIL the way the app's setup wizard does: Mailroom's
provider list, the domain's published settings (autoconfig), DNS SRV records, Thunderbird's ISPDB,
the domain's MX, and common server names confirmed by a probe.

  --json    print one JSON document: {ok, email, domain, settings, source, notes, alternatives,
            steps, error?}
  --dns-server HOST:PORT
            ask only this DNS server (an IP address, port 53 by default), e.g.
            127.0.0.1:5353: every lookup and connection of discovery goes through it

Exit codes: 0 settings found, 1 nothing found (the code is in the output), 2 usage error.`,

  async run(args, context) {
    const { values, positionals } = parseCommandArgs(NAME, args, DISCOVER_OPTIONS, true);
    if (positionals.length > 1)
      throw new UsageError(`expected one email address, got ${positionals.length} arguments`, NAME);
    const email = emailArgument(NAME, positionals[0], 'EMAIL');
    const dnsServer = dnsServerOption(NAME, values['dns-server']);
    const session = context.session(values.profile, values.json, { dnsServer });
    const result = await runDiscovery(session, email);
    if (!result.ok) {
      session.human.error(result.error);
      return { exitCode: 1, document: failureDocument(result.error) };
    }
    printDiscovery(session, result.value);
    const { problem: _problem, ...found } = result.value;
    if (!result.value.found) {
      const problem = discoveryProblem(result.value);
      session.human.error(problem);
      return { exitCode: 1, document: { ...found, ok: false, error: publicError(problem) } };
    }
    return { exitCode: 0, document: { ok: true, ...found } };
  },
};
