import type * as Profile from '../core/profile';
import type * as Dispatch from '../core/ipc/dispatch';
import type * as DnsServerOverride from '../core/discovery/dns-server-override';

/** The parts of the core a CLI session binds to (the profile's core, its dispatch, test seams). */
export interface CliCore {
  openProfileCore: typeof Profile.openProfileCore;
  dispatch: typeof Dispatch.dispatch;
  discoveryThroughDnsServer: typeof DnsServerOverride.discoveryThroughDnsServer;
}

/**
 * Loads the core once a command is about to run. It is most of the CLI's code (every handler, the
 * IPC schemas, nodemailer, the provider data), so `mailroom --help` and the help of each command
 * answer without compiling or evaluating any of it.
 */
export async function loadCliCore(): Promise<CliCore> {
  const [profile, dispatch, dnsServerOverride] = await Promise.all([
    import('../core/profile'),
    import('../core/ipc/dispatch'),
    import('../core/discovery/dns-server-override'),
  ]);
  return {
    openProfileCore: profile.openProfileCore,
    dispatch: dispatch.dispatch,
    discoveryThroughDnsServer: dnsServerOverride.discoveryThroughDnsServer,
  };
}
