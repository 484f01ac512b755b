import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { isTrustedSender, makeOwnUrlCheck } from '../../../electron/main/trusted-sender';

// Electron's objects are stand-ins here: the subject is our decision logic, which never needs a window.
type Frame = { url: string };
function fakeContents(url: string) {
  const mainFrame: Frame = { url };
  return { mainFrame };
}

const indexFile = '/opt/Mailroom/resources/app.asar/out/renderer/index.html';
const isOwnUrl = makeOwnUrlCheck(pathToFileURL(indexFile).href, undefined);

describe('IPC sender check', () => {
  it('accepts our own window, main frame, own page', () => {
    const contents = fakeContents(pathToFileURL(indexFile).href + '#/compose');
    const event = { sender: contents, senderFrame: contents.mainFrame } as never;
    expect(isTrustedSender(event, new Set([contents]) as never, isOwnUrl)).toBe(true);
  });

  it('rejects a webContents that is not one of our windows', () => {
    const contents = fakeContents(pathToFileURL(indexFile).href);
    const event = { sender: contents, senderFrame: contents.mainFrame } as never;
    expect(isTrustedSender(event, new Set() as never, isOwnUrl)).toBe(false);
  });

  it('rejects a sub-frame of our window', () => {
    const contents = fakeContents(pathToFileURL(indexFile).href);
    const subFrame: Frame = { url: pathToFileURL(indexFile).href };
    const event = { sender: contents, senderFrame: subFrame } as never;
    expect(isTrustedSender(event, new Set([contents]) as never, isOwnUrl)).toBe(false);
  });

  it('rejects our window after it navigated to another page', () => {
    const contents = fakeContents('https://evil.example/');
    const event = { sender: contents, senderFrame: contents.mainFrame } as never;
    expect(isTrustedSender(event, new Set([contents]) as never, isOwnUrl)).toBe(false);
  });

  it('rejects another local file', () => {
    expect(isOwnUrl(pathToFileURL('/tmp/evil.html').href)).toBe(false);
  });

  it('accepts the dev server only in development', () => {
    const dev = makeOwnUrlCheck(pathToFileURL(indexFile).href, 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(isOwnUrl('http://localhost:5173/')).toBe(false);
  });
});
