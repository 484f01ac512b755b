// The browser host for the UI benchmark, serving a renderer the bench built into its own directory
// (so a benchmark never rewrites the out/ that tests running at the same time are using).
// Same server and core as `npm run browser-host`; the keychain is in memory (nothing is saved).
// Usage: tsx ui-host.ts <profileDir> <rendererDir> <bridgeFile>; prints "Open: <url>".
import { ok } from '../../shared/result';
import { startBrowserHost } from '../../electron/browser-host/browser-host-server';
import { InMemorySecretStore } from '../../electron/core/credentials/secret-store';
import { openProfileCore } from '../../electron/core/profile';

const [profileDir, rendererDir, bridgeFile] = process.argv.slice(2);
if (!profileDir || !rendererDir || !bridgeFile)
  throw new Error('usage: ui-host <profileDir> <rendererDir> <bridgeFile>');

async function main(): Promise<void> {
  const core = openProfileCore(profileDir!, new InMemorySecretStore());
  const host = await startBrowserHost({
    handlers: {
      ...core.handlers,
      openExternal: async () => ok({}),
      openComposeWindow: async () => ok({ opened: false }),
      pickAttachments: async () => ok({ cancelled: true, attachments: [] }),
      attachDroppedFiles: async () => ok({ cancelled: true, attachments: [] }),
    },
    rendererDir: rendererDir!,
    bridgeFile: bridgeFile!,
  });
  console.log(`Open: ${host.url}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`ui-host: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
