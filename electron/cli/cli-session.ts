import { isAbsolute, resolve } from 'node:path';
import { defaultProfileDir } from '../core/profile-dir';
import type { EventChannel, InvokeChannel } from '../../shared/ipc/channel-names';
import type { EventPayload, RequestInputOf, ResponseOf } from '../../shared/ipc/contract';
import { fail, type MailroomError, type Result } from '../../shared/result';
import type { Handlers } from '../core/ipc/dispatch';
import type { openProfileCore } from '../core/profile';
import type { Outbox } from '../core/outbox/outbox';
import type { CliIo } from './cli-io';
import type { CliCore } from './cli-core';
import { HumanOutput } from './output/human-output';
import { waitUntilNothingSending } from './outbox-wait';

type Core = ReturnType<typeof openProfileCore>;
type CoreChannel = keyof Core['handlers'];
type Listener = <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;

/**
 * Channels whose answer is printed as the handler built it, without the response schema check (see
 * DispatchOptions in dispatch.ts): listOutbox's entries were validated when the outbox loaded them
 * and publicView keeps only the contract's fields; checking 10,000 of them again was a quarter of
 * `outbox list`. Every other channel, and every window, keeps the check.
 */
const RESPONSE_CHECK_SKIPPED: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>(['listOutbox']);

const notHere = (what: string): MailroomError => ({
  code: 'UNKNOWN_CHANNEL',
  message: `${what} is only available in the Mailroom app.`,
});

export interface SessionOptions {
  /** --dns-server: discovery and the delivery check ask only this DNS server (HOST:PORT). */
  dnsServer?: string | undefined;
}

/** The profile a command uses: --profile, else $MAILROOM_PROFILE, else the app's; relative to the cwd. */
export function profileDirOf(io: CliIo, profileOption: string | undefined): string {
  const dir = profileOption ?? defaultProfileDir(io.env);
  return isAbsolute(dir) ? dir : resolve(io.cwd, dir);
}

/**
 * One command's view of the profile: the same core (conf settings file + OS keychain) the desktop app
 * builds, reached through the same dispatch (schema checks in and out), so a command behaves exactly
 * like the app. Opened lazily: `mailroom --help` never touches the profile.
 */
export class CliSession {
  readonly profileDir: string;
  readonly human: HumanOutput;
  private core: Core | undefined;
  private handlers: Handlers | undefined;
  private outboxWanted: 'deliver' | 'quiet' | undefined;

  constructor(
    readonly io: CliIo,
    profileOption: string | undefined,
    readonly json: boolean,
    private readonly coreCode: CliCore,
    private readonly options: SessionOptions = {},
  ) {
    this.profileDir = profileDirOf(io, profileOption);
    this.human = new HumanOutput(io, json);
  }

  private open(): { core: Core; handlers: Handlers } {
    if (!this.core || !this.handlers) {
      // --dns-server, or (for every command, the long-standing test seam) the environment.
      const dnsServer = this.options.dnsServer ?? this.io.env['MAILROOM_DISCOVERY_DNS_SERVER'];
      const core = this.coreCode.openProfileCore(this.profileDir, undefined, {
        discovery: dnsServer ? this.coreCode.discoveryThroughDnsServer(dnsServer) : undefined,
        // Only send and the delivering outbox commands take the delivery lock; every other command
        // reads and queues without ever sending anything.
        deliverOutbox: this.outboxWanted === 'deliver',
      });
      this.core = core;
      this.handlers = {
        ...core.handlers,
        openExternal: async () => fail(notHere('Opening links')),
        openComposeWindow: async () => fail(notHere('The compose window')),
        pickAttachments: async () => fail(notHere('The file picker')),
        attachDroppedFiles: async () => fail(notHere('Dropping files')),
      };
    }
    return { core: this.core, handlers: this.handlers };
  }

  get services(): Core['services'] {
    return this.open().core.services;
  }

  /**
   * The profile's outbox. 'quiet': reads and queues, never delivers; 'deliver': delivering while this
   * process holds the profile's delivery lock. Decided before the profile is opened.
   */
  outbox(mode: 'deliver' | 'quiet'): Outbox {
    if (this.core && this.outboxWanted !== mode) {
      throw new Error(
        `The outbox was already opened ${this.outboxWanted ?? 'quiet'}; ask for '${mode}' first.`,
      );
    }
    this.outboxWanted = mode;
    return this.open().core.services.outbox.outbox;
  }

  /** Calls a core handler through dispatch, like a window does over IPC; events go to `listener`. */
  async call<C extends InvokeChannel & CoreChannel>(
    channel: C,
    request: RequestInputOf<C>,
    listener: Listener = () => undefined,
  ): Promise<Result<ResponseOf<C>>> {
    const { handlers } = this.open();
    const result = await this.coreCode.dispatch(
      handlers,
      channel,
      request,
      { emit: listener },
      (message) => this.human.debug(message),
      { skipResponseCheck: RESPONSE_CHECK_SKIPPED.has(channel) },
    );
    return result as Result<ResponseOf<C>>;
  }

  /** Stops delivery (an interrupted message goes back to the queue) and releases the lock. */
  async close(): Promise<void> {
    // A command that never touched the outbox (verify, accounts) has nothing to close.
    if (!this.core || !this.core.outboxOpened()) return;
    const outbox = this.core.services.outbox.outbox;
    // Closing cuts open connections: let messages already on the wire finish first, so none is
    // interrupted (and later sent twice).
    if (this.outboxWanted === 'deliver' && outbox.delivering) await waitUntilNothingSending(outbox);
    await outbox.close();
  }
}
