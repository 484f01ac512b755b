import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ok } from '../../shared/result';
import { defaultProfileDir, openProfileCore } from '../core/profile';
import { startBrowserHost } from './browser-host-server';
import { discoveryThroughDnsServer } from '../core/discovery/dns-server-override';
import { makeDirectoryPicker } from './attachment-picker';
import { dropOpensPickerHandler, pickAttachmentsHandler } from '../core/drafts/pick-attachments';

// `npm run browser-host -- [--profile DIR] [--port N]`: the real renderer in any browser, against the
// real core and keychain. Needs `npm run build` first (it serves out/renderer).

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    port: { type: 'string' },
    // Compose's attachment picker stand-in: see attachment-picker.ts.
    'attach-picker-dir': { type: 'string' },
    // Discovery's DNS (and connections) through this server only: see core/discovery/dns-server-override.ts.
    'dns-server': { type: 'string' },
  },
});

async function main(): Promise<void> {
  const profileDir = resolve(values.profile ?? defaultProfileDir());
  const dnsServer = values['dns-server'];
  const core = openProfileCore(profileDir, undefined, {
    discovery: dnsServer ? discoveryThroughDnsServer(dnsServer) : undefined,
  });
  const root = resolve(__dirname, '../..');
  const attachments = {
    addDraftAttachments: core.handlers.addDraftAttachments,
    attachmentGrants: core.services.attachmentGrants,
  };
  const picker = makeDirectoryPicker(
    values['attach-picker-dir'] ?? process.env['MAILROOM_ATTACH_PICKER_DIR'],
  );

  const host = await startBrowserHost({
    handlers: {
      ...core.handlers,
      // A browser page opens links itself; the host only refuses to do it for the page.
      async openExternal() {
        return ok({});
      },
      // No separate windows here: the page shows the #/compose/<draftId> route itself.
      async openComposeWindow() {
        return ok({ opened: false });
      },
      pickAttachments: pickAttachmentsHandler(attachments, picker),
      // A page can put anything in a drop request's paths, and a browser cannot resolve a dropped
      // file's path at all: a drop opens the picker, and the paths are never read.
      attachDroppedFiles: dropOpensPickerHandler(attachments, picker),
    },
    rendererDir: resolve(root, 'out/renderer'),
    bridgeFile: resolve(root, 'out/browser-host/bridge.js'),
    port: values.port ? Number(values.port) : undefined,
  });

  console.log(`Mailroom browser host (profile ${profileDir})`);
  console.log(`Open: ${host.url}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    `Mailroom browser host could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
