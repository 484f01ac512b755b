import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLoopbackListener } from '../../../electron/core/oauth/loopback-listener';
import {
  connectError,
  httpGet,
  startLocalAuthorizationServer,
  type LocalAuthorizationServer,
} from './support/local-authorization-server';

// The loopback redirect of RFC 8252 with real HTTP requests, as the browser tab makes them: alone, and
// inside a sign-in against oauth2-mock-server on 127.0.0.1 (which checks the PKCE verifier on exchange).

/** The same address on another loopback IP: a listener bound to 0.0.0.0 would answer there too. */
const onOtherLoopbackAddress = (url: string) => url.replace('//127.0.0.1:', '//127.0.0.2:');

describe('openLoopbackListener', () => {
  it('listens on 127.0.0.1 only, on an ephemeral port', async () => {
    const listener = await openLoopbackListener();
    try {
      expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
      expect((await httpGet(listener.redirectUri.replace('/oauth2/callback', '/'))).status).toBe(404);
      expect(await connectError(onOtherLoopbackAddress(listener.redirectUri))).toBe('ECONNREFUSED');
    } finally {
      listener.close();
    }
  });

  it('answers other paths with 404 and keeps waiting; the callback resolves with the code, then the port closes', async () => {
    const listener = await openLoopbackListener();
    const favicon = await httpGet(listener.redirectUri.replace('/oauth2/callback', '/favicon.ico'));
    expect(favicon.status).toBe(404);

    const tab = httpGet(`${listener.redirectUri}?code=the-code&state=the-state`);
    const { url, respond } = await listener.callback;
    expect(url.searchParams.get('code')).toBe('the-code');
    expect(url.searchParams.get('state')).toBe('the-state');
    respond({ ok: true, title: 'You are signed in', message: 'You can close this tab.' });
    const page = await tab;
    expect(page.status).toBe(200);
    expect(page.body).toContain('You can close this tab.');
    // A static page: nothing on it can run, load or frame anything.
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.headers['cache-control']).toBe('no-store');

    expect(await connectError(listener.redirectUri)).toBe('ECONNREFUSED');
  });

  it('shows text on the page as text, never as markup', async () => {
    const listener = await openLoopbackListener();
    const tab = httpGet(`${listener.redirectUri}?error=access_denied`);
    (await listener.callback).respond({
      ok: false,
      title: 'Sign-in did not work',
      message: 'Server said <script>alert(1)</script>',
    });
    const page = await tab;
    expect(page.status).toBe(400);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
  });

  it('stops listening when closed before any callback', async () => {
    const listener = await openLoopbackListener();
    listener.close();
    expect(await connectError(listener.redirectUri)).toBe('ECONNREFUSED');
  });
});

describe('the loopback redirect in a sign-in', () => {
  let server: LocalAuthorizationServer;
  beforeAll(async () => {
    server = await startLocalAuthorizationServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** What the provider does after the user agreed: redirect the tab to the loopback with code and state. */
  async function providerRedirect(authorizationUrl: string): Promise<URL> {
    const answer = await httpGet(authorizationUrl);
    expect(answer.status).toBe(302);
    return new URL(answer.location ?? '');
  }

  it('with the state it sent: exchanges the code, shows the "close this tab" page, and finishes the sign-in', async () => {
    const oauth = server.service();
    const started = await oauth.startSignIn({ providerId: 'gmail', loginHint: 'ada@gmail.com' });
    if (!started.ok) throw new Error(started.error.message);
    const redirect = await providerRedirect(started.value.authorizationUrl);
    expect(redirect.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const tab = await httpGet(redirect.href);
    expect(tab.status).toBe(200);
    expect(tab.body).toContain('You can close this tab');
    const outcome = await oauth.awaitSignIn(started.value.signInId);
    expect(outcome.ok && outcome.value.serviceName).toBe('Google');
    expect(oauth.accessTokenForSignIn(started.value.signInId)).toBeTruthy();
    expect(server.tokenRequests.at(-1)).toBe('authorization_code');
    expect(await connectError(redirect.href)).toBe('ECONNREFUSED'); // one use only
  });

  it('with another state: answers 400, exchanges nothing, and the sign-in fails', async () => {
    const oauth = server.service();
    const started = await oauth.startSignIn({ providerId: 'gmail' });
    if (!started.ok) throw new Error(started.error.message);
    const redirect = await providerRedirect(started.value.authorizationUrl);
    redirect.searchParams.set('state', 'a-state-from-some-other-page');
    const tokenRequestsBefore = server.tokenRequests.length;

    const tab = await httpGet(redirect.href);
    expect(tab.status).toBe(400);
    expect(tab.body).toContain('does not belong to this sign-in');
    const outcome = await oauth.awaitSignIn(started.value.signInId);
    expect(outcome.ok || outcome.error.code).toBe('OAUTH_SIGN_IN_FAILED');
    expect(server.tokenRequests.length).toBe(tokenRequestsBefore);
    expect(oauth.accessTokenForSignIn(started.value.signInId)).toBeUndefined();
    expect(await connectError(redirect.href)).toBe('ECONNREFUSED');
  });

  it('stops listening when the user cancels', async () => {
    const oauth = server.service();
    const started = await oauth.startSignIn({ providerId: 'gmail' });
    if (!started.ok) throw new Error(started.error.message);
    const redirectUri = new URL(started.value.authorizationUrl).searchParams.get('redirect_uri') ?? '';
    oauth.cancelSignIn(started.value.signInId);
    const outcome = await oauth.awaitSignIn(started.value.signInId);
    expect(outcome.ok || outcome.error.code).toBe('CANCELLED');
    expect(await connectError(redirectUri)).toBe('ECONNREFUSED');
  });

  it('stops listening when the browser never comes back in time, and says so', async () => {
    const oauth = server.service({ signInTimeoutMs: 20 });
    const started = await oauth.startSignIn({ providerId: 'gmail' });
    if (!started.ok) throw new Error(started.error.message);
    const redirectUri = new URL(started.value.authorizationUrl).searchParams.get('redirect_uri') ?? '';
    const outcome = await oauth.awaitSignIn(started.value.signInId);
    expect(outcome.ok || outcome.error.message).toMatch(
      /was not finished within .* so Mailroom stopped waiting/,
    );
    expect(await connectError(redirectUri)).toBe('ECONNREFUSED');
    // Finished one way or another: the sign-in is gone, so a late save cannot pick it up.
    expect((await oauth.awaitSignIn(started.value.signInId)).ok).toBe(false);
  });
});
