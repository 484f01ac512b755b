import { randomUUID } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import {
  DISCOVERY_DEADLINE_MS,
  DISCOVERY_STEP_LABELS,
  DiscoveryCandidateSchema,
  DiscoveryRequestSchema,
  DiscoveryResultSchema,
  SOURCE_RANK,
  type DiscoveryCandidate,
  type DiscoveryCandidateInput,
  type DiscoveryProgress,
  type DiscoveryRequest,
  type DiscoveryResult,
  type DiscoveryStep,
  type DiscoveryStepId,
  type DiscoveryStepStatus,
} from '../../../shared/domain/discovery';
import { fail, ok, type Result } from '../../../shared/result';
import {
  NETWORK_STEPS,
  StepFailure,
  builtInCandidate,
  type DiscoveryDependencies,
  type DiscoveryStepDefinition,
  type StepTimeouts,
} from './discovery-steps';
import { splitAddress } from './domain-names';
import { ispdbCandidates } from './ispdb/ispdb-lookup';
import { createHttpsFetcher } from './https-fetcher';
import { createSmtpProbe } from './smtp-probe';

/** The ceiling: whatever happens, the user has an answer (or manual entry) within 10 s. */
export const MAX_DEADLINE_MS = DISCOVERY_DEADLINE_MS;
export const DEFAULT_STEP_TIMEOUTS: StepTimeouts = { dnsMs: 4_000, httpMs: 6_000, probeMs: 6_000 };
export const THUNDERBIRD_ISPDB = 'https://autoconfig.thunderbird.net/v1.1/';

export type DiscoverOptions = {
  /** Cancels discovery; the result is then a CANCELLED error. */
  signal?: AbortSignal;
  onProgress?: (progress: DiscoveryProgress) => void;
  /** Overall deadline, at most (and by default) 10 s. */
  deadlineMs?: number;
  timeouts?: Partial<StepTimeouts>;
  /** Replace the network (tests point these at local peers). */
  dependencies?: Partial<DiscoveryDependencies>;
};

/** The production network: system DNS servers, normal HTTPS with Node's CA roots, the real ISPDB. */
export function defaultDiscoveryDependencies(): DiscoveryDependencies {
  return {
    resolver: new Resolver({ timeout: 3_000, tries: 2 }),
    fetchHttps: createHttpsFetcher(),
    probeSmtp: createSmtpProbe(),
    ispdbBaseUrl: THUNDERBIRD_ISPDB,
  };
}

const STEP_ORDER: readonly DiscoveryStepId[] = [
  'built-in',
  'autoconfig',
  'well-known',
  'srv',
  'ispdb',
  'mx',
  'guess',
];

/** Implicit TLS on 465 and STARTTLS on 587 are what submission should look like (RFC 8314). */
function transportScore(c: DiscoveryCandidateInput): number {
  const { port, security } = c.settings;
  if ((security === 'tls' && port === 465) || (security === 'starttls' && port === 587)) return 0;
  if (security !== 'none') return 1;
  return 2;
}

type StepState = {
  id: DiscoveryStepId;
  status: DiscoveryStepStatus;
  detail?: string;
  ms?: number;
  candidates: DiscoveryCandidateInput[];
};

/**
 * Finds outgoing settings for an email address. Every network step starts at once, each with its
 * own timeout, under one overall deadline; discovery ends as soon as no pending step could beat
 * the best answer so far. Never throws: a bad address is INVALID_REQUEST, a cancel is CANCELLED,
 * and "nothing found" is a normal result (found: false, with `problem` saying what to do).
 */
export async function discoverSettings(
  request: DiscoveryRequest,
  options: DiscoverOptions = {},
): Promise<Result<DiscoveryResult>> {
  const startedAt = Date.now();
  const parsedRequest = DiscoveryRequestSchema.safeParse(request);
  const address = parsedRequest.success ? splitAddress(parsedRequest.data.email) : undefined;
  if (!parsedRequest.success || !address) {
    return fail({
      code: 'INVALID_REQUEST',
      message: `“${String(request.email ?? '').slice(0, 80)}” is not an email address Mailroom can look up.`,
      hint: 'Enter the full address, like name@example.com.',
    });
  }
  if (options.signal?.aborted) return fail(cancelledError());

  const requestId = parsedRequest.data.requestId ?? randomUUID();
  const { email, localPart, domain } = address;
  const states = new Map<DiscoveryStepId, StepState>(
    STEP_ORDER.map((id) => [id, { id, status: 'running', candidates: [] }]),
  );
  let closed = false;
  /** Steps that got no answer at all (DNS silent, or their own timeout): "nothing published" is unknown there. */
  const unanswered = new Map<DiscoveryStepId, 'dns' | 'timeout'>();

  const update = (
    id: DiscoveryStepId,
    status: DiscoveryStepStatus,
    detail?: string,
    candidates: DiscoveryCandidateInput[] = [],
  ): void => {
    const state = states.get(id);
    if (!state || closed) return;
    // Validate here, not at the end: a candidate a hostile or broken file made invalid must not
    // count as an answer that lets discovery stop early.
    state.candidates = candidates.filter((c) => DiscoveryCandidateSchema.safeParse(c).success);
    if (status === 'found' && state.candidates.length === 0) {
      status = 'nothing';
      detail = `${detail ?? ''} (but the settings given were not usable)`.trim();
    }
    state.status = status;
    if (detail !== undefined) state.detail = detail;
    if (status !== 'running') state.ms = Date.now() - startedAt;
    try {
      options.onProgress?.({
        requestId,
        step: id,
        label: DISCOVERY_STEP_LABELS[id],
        status,
        ...(detail !== undefined ? { detail } : {}),
      });
    } catch {
      // A failing progress listener must not break discovery itself.
    }
  };

  const finish = (problem?: DiscoveryResult['problem']): Result<DiscoveryResult> => {
    closed = true;
    return ok(buildResult({ email, domain, states, startedAt, problem }));
  };

  // Step 1, instant: a provider we know by domain needs no network at all.
  update('built-in', 'running');
  const builtIn = builtInCandidate({ email, localPart, domain });
  if (builtIn) {
    update('built-in', 'found', `${domain} is ${builtIn.provider?.name ?? 'a known provider'}`, [builtIn]);
    for (const step of NETWORK_STEPS)
      update(step.id, 'skipped', 'Not needed: Mailroom already knows this provider');
    return finish();
  }
  // Then Thunderbird's provider database, shipped with the app: still no network, and no third
  // party learns which provider the user has.
  const listed = ispdbCandidates(email, domain);
  if (listed.length > 0) {
    const name = listed[0]?.provider?.name ?? domain;
    update('built-in', 'found', `${domain} is ${name} (Thunderbird’s provider database, built in)`, listed);
    for (const step of NETWORK_STEPS)
      update(step.id, 'skipped', 'Not needed: the built-in provider database lists this domain');
    return finish();
  }
  update('built-in', 'nothing', `${domain} is not in Mailroom’s list`);

  const deadlineMs = Math.min(Math.max(options.deadlineMs ?? MAX_DEADLINE_MS, 1), MAX_DEADLINE_MS);
  const stop = new AbortController();
  let reason: 'decided' | 'deadline' | 'cancelled' | undefined;
  let wake: () => void = () => undefined;
  const decided = new Promise<void>((resolve) => (wake = resolve));
  const halt = (why: 'decided' | 'deadline' | 'cancelled'): void => {
    reason ??= why;
    stop.abort();
    wake();
  };
  const timer = setTimeout(() => halt('deadline'), deadlineMs);
  const onCancel = (): void => halt('cancelled');
  options.signal?.addEventListener('abort', onCancel, { once: true });

  // Only build the production network pieces the caller did not replace (a test must never reach out).
  const given = options.dependencies ?? {};
  const deps: DiscoveryDependencies = {
    resolver: given.resolver ?? new Resolver({ timeout: 3_000, tries: 2 }),
    fetchHttps: given.fetchHttps ?? createHttpsFetcher(),
    probeSmtp: given.probeSmtp ?? createSmtpProbe(),
    ispdbBaseUrl: given.ispdbBaseUrl ?? THUNDERBIRD_ISPDB,
  };
  const timeouts: StepTimeouts = { ...DEFAULT_STEP_TIMEOUTS, ...options.timeouts };
  const ctx = { email, localPart, domain, signal: stop.signal, deps, timeouts };

  const pending = new Set<DiscoveryStepDefinition>(NETWORK_STEPS);
  const canDecide = (): boolean => {
    let best = Infinity;
    for (const state of states.values())
      for (const c of state.candidates) best = Math.min(best, SOURCE_RANK[c.sourceKind]);
    if (best === Infinity) return pending.size === 0;
    return [...pending].every((s) => s.rank >= best);
  };

  for (const step of NETWORK_STEPS) {
    update(step.id, 'running');
    void step
      .run(ctx)
      .then(
        (outcome) =>
          update(
            step.id,
            outcome.candidates.length ? 'found' : 'nothing',
            outcome.detail,
            outcome.candidates,
          ),
        (err: unknown) => {
          if (err instanceof StepFailure && err.noAnswer) unanswered.set(step.id, err.noAnswer);
          update(
            step.id,
            'failed',
            err instanceof StepFailure ? err.message : `Unexpected error: ${(err as Error).message}`,
          );
        },
      )
      .finally(() => {
        pending.delete(step);
        if (canDecide()) halt('decided');
      });
  }

  await decided;
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onCancel);
  if (reason === 'cancelled') {
    closed = true;
    return fail(cancelledError());
  }
  for (const step of pending) {
    update(
      step.id,
      reason === 'deadline' ? 'failed' : 'skipped',
      reason === 'deadline'
        ? `No answer within the ${Math.round(deadlineMs / 1000)} s limit`
        : 'Not needed: a better source already answered',
    );
  }

  const anyFound = [...states.values()].some((s) => s.candidates.length > 0);
  if (anyFound) return finish();
  // Say what really happened: a silent DNS server is not "the domain publishes none".
  const dnsSilent = [...unanswered].filter(([, kind]) => kind === 'dns').map(([id]) => id);
  if (dnsSilent.length > 0) {
    return finish({
      code: 'DISCOVERY_TIMEOUT',
      message: `Mailroom could not look up the settings for ${domain}: the DNS server did not answer (${dnsSilent.map((id) => DISCOVERY_STEP_LABELS[id]).join(', ')}), so it cannot tell whether ${domain} publishes any.`,
      hint: 'Check the network connection (or the DNS server it uses) and try again, or enter the outgoing server by hand from your provider’s setup guide.',
    });
  }
  const failedSteps = [...states.values()].filter((s) => s.status === 'failed');
  if (failedSteps.length > 0 && reason !== 'deadline' && unanswered.size === 0) {
    return finish({
      code: 'DISCOVERY_NOT_FOUND',
      message: `Mailroom could not find outgoing settings for ${domain}; some lookups failed (${failedSteps.map((s) => DISCOVERY_STEP_LABELS[s.id]).join(', ')}): the list below says what happened.`,
      hint: 'Enter the outgoing server by hand: your provider’s help pages list the server name, port and security. Mailroom checks them before saving.',
    });
  }
  if (reason === 'deadline' || unanswered.size > 0) {
    return finish({
      code: 'DISCOVERY_TIMEOUT',
      message: `Mailroom could not find outgoing settings for ${domain} within ${Math.round(deadlineMs / 1000)} seconds: some servers did not answer in time.`,
      hint: 'Enter the outgoing server by hand (your provider’s help pages list server name, port and security), or try again later.',
    });
  }
  return finish({
    code: 'DISCOVERY_NOT_FOUND',
    message: `Mailroom could not find outgoing settings for ${domain}: the domain publishes none and no common server name answered.`,
    hint: 'Enter the outgoing server by hand: your provider’s help pages list the server name, port and security. Mailroom checks them before saving.',
  });
}

function cancelledError() {
  return {
    code: 'CANCELLED' as const,
    message: 'Looking up settings was cancelled.',
    hint: 'Start again, or enter the settings by hand.',
  };
}

function buildResult(args: {
  email: string;
  domain: string;
  states: Map<DiscoveryStepId, StepState>;
  startedAt: number;
  problem: DiscoveryResult['problem'] | undefined;
}): DiscoveryResult {
  const ordered: { c: DiscoveryCandidateInput; step: number; index: number }[] = [];
  STEP_ORDER.forEach((id, step) => {
    args.states.get(id)?.candidates.forEach((c, index) => ordered.push({ c, step, index }));
  });
  ordered.sort(
    (a, b) =>
      SOURCE_RANK[a.c.sourceKind] - SOURCE_RANK[b.c.sourceKind] ||
      transportScore(a.c) - transportScore(b.c) ||
      a.step - b.step ||
      a.index - b.index,
  );
  // Drop duplicates: the same server found again by a lesser source.
  const seen = new Set<string>();
  const candidates: DiscoveryCandidate[] = [];
  for (const { c } of ordered) {
    const key = `${c.settings.host}:${c.settings.port}:${c.settings.security}`;
    if (seen.has(key)) continue;
    const parsed = DiscoveryCandidateSchema.safeParse(c);
    if (!parsed.success) continue;
    seen.add(key);
    candidates.push(parsed.data);
  }
  const steps: DiscoveryStep[] = STEP_ORDER.map((id) => {
    const s = args.states.get(id);
    return {
      step: id,
      label: DISCOVERY_STEP_LABELS[id],
      status: s?.status ?? 'skipped',
      ...(s?.detail !== undefined ? { detail: s.detail } : {}),
      ...(s?.ms !== undefined ? { ms: s.ms } : {}),
    };
  });
  const [best, ...alternatives] = candidates;
  return DiscoveryResultSchema.parse({
    found: best !== undefined,
    email: args.email,
    domain: args.domain,
    ...(best
      ? {
          settings: best.settings,
          sourceKind: best.sourceKind,
          source: best.source,
          notes: best.notes,
          provider: best.provider,
          instructionsUrl: best.instructionsUrl,
          authKind: best.authKind,
          oauth2Available: best.oauth2Available,
          thirdParty: best.thirdParty,
        }
      : {}),
    alternatives,
    steps,
    ...(args.problem && !best ? { problem: args.problem } : {}),
    ms: Date.now() - args.startedAt,
  });
}
