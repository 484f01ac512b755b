import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { OAuth2Server } from 'oauth2-mock-server';
import { SMTPServer } from 'smtp-server';

/**
 * The two real peers of an OAuth2 send: oauth2-mock-server as the provider's authorization server, and
 * smtp-server offering only XOAUTH2, which accepts exactly the access tokens that server issued and
 * has not been told to refuse (revoked or expired on the provider's side).
 */
export interface XOAuth2Peers {
  oauth: OAuth2Server;
  issuer: string;
  smtpPort: number;
  /** Every access and refresh token the authorization server handed out, in order. */
  issuedAccessTokens: string[];
  issuedRefreshTokens: string[];
  /** Grant types of every token request (authorization_code, refresh_token). */
  tokenRequests: string[];
  revokedTokens: string[];
  /** The SMTP server refuses these from now on, like a provider for a revoked or expired token. */
  refuse(accessToken: string): void;
  /** Resolves once no SMTP session is open (pooled connections closed), so the next send signs in anew. */
  idle(): Promise<void>;
  /** Resolves once `check` holds, looking again after each turn of the event loop. */
  eventually(check: () => boolean): Promise<void>;
  /** Access tokens the SMTP server accepted, one per signed-in session, and the mail it received. */
  acceptedTokens: string[];
  received: { to: string[]; raw: string }[];
  stop(): Promise<void>;
}

async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

export async function startXOAuth2Peers(): Promise<XOAuth2Peers> {
  const oauth = new OAuth2Server();
  await oauth.issuer.keys.generate('RS256');
  await oauth.start(0, '127.0.0.1');
  const issuedAccessTokens: string[] = [];
  const issuedRefreshTokens: string[] = [];
  const tokenRequests: string[] = [];
  const revokedTokens: string[] = [];
  const refused = new Set<string>();
  const acceptedTokens: string[] = [];
  const received: { to: string[]; raw: string }[] = [];

  // The mock's JWTs carry only second-resolution times: two tokens issued in the same second would be
  // identical. A real provider never hands out the same token twice, so make each one unique.
  oauth.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }) => {
    token.payload['jti'] = randomUUID();
  });
  oauth.service.on(
    'beforeResponse',
    (response: { body: unknown; statusCode: number }, req: { body: Record<string, string> }) => {
      tokenRequests.push(req.body['grant_type'] ?? '');
      const body = response.body as Record<string, unknown>;
      if (response.statusCode === 200 && typeof body['access_token'] === 'string') {
        issuedAccessTokens.push(body['access_token']);
        if (typeof body['refresh_token'] === 'string') issuedRefreshTokens.push(body['refresh_token']);
      }
    },
  );
  // The mock's /revoke parses no body: read the form from the request stream ourselves.
  oauth.service.on('beforeRevoke', (_response: unknown, req: NodeJS.ReadableStream) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token');
      if (token) revokedTokens.push(token);
    });
  });

  const smtp = new SMTPServer({
    authMethods: ['XOAUTH2'],
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const token = auth.accessToken;
      if (auth.method === 'XOAUTH2' && token && issuedAccessTokens.includes(token) && !refused.has(token)) {
        acceptedTokens.push(token);
        callback(null, { user: auth.username });
        return;
      }
      // What Gmail does: a 334 challenge carrying the error JSON, then 535 after the client's empty line.
      callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  return {
    oauth,
    issuer: oauth.issuer.url ?? '',
    smtpPort,
    issuedAccessTokens,
    issuedRefreshTokens,
    tokenRequests,
    revokedTokens,
    refuse: (token) => refused.add(token),
    idle: () => eventually(() => (smtp as unknown as { connections: Set<unknown> }).connections.size === 0),
    eventually,
    acceptedTokens,
    received,
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await oauth.stop();
    },
  };
}
