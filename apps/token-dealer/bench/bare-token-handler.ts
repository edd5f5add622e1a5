// The token endpoint's work and nothing else, as a node:http request listener: form parsing,
// client_secret_basic, a peppered HMAC compared in constant time, scope and audience checks, an
// RFC 9068 ES256 JWT signed with jsonwebtoken. The benchmark's limit for the token-dealer, served
// alone (bare-server.ts) and inside the token-dealer's own process (in-process-server.ts).
import { createHmac, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';

const ISSUER = 'http://127.0.0.1:5000';

function fail(res: ServerResponse, status: number, error: string) {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ error }));
}

/** Answers every request as a client-credentials token request from the one client `clientId`. */
export function bareTokenHandler(clientId: string, clientSecret: string) {
  const pepper = randomBytes(32);
  const hash = (secret: string) => createHmac('sha256', pepper).update(secret).digest();
  const clients = new Map([
    [
      clientId,
      { hash: hash(clientSecret), scopes: ['runs:read', 'users:read', 'users:write'], audiences: ['data-service'] },
    ],
  ]);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const params = new URLSearchParams(body);
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [id = '', secret = ''] = basic ? Buffer.from(basic[1]!, 'base64').toString().split(':') : [];
      const client = clients.get(decodeURIComponent(id));
      const ok = timingSafeEqual(hash(decodeURIComponent(secret)), client?.hash ?? pepper) && client !== undefined;
      if (!ok || client === undefined) return fail(res, 401, 'invalid_client');
      if (params.get('grant_type') !== 'client_credentials') return fail(res, 400, 'unsupported_grant_type');
      const scopes = (params.get('scope') ?? '').split(' ').filter(Boolean);
      if (!scopes.every((scope) => client.scopes.includes(scope))) return fail(res, 400, 'invalid_scope');
      const audience = params.get('audience') ?? client.audiences[0]!;
      if (!client.audiences.includes(audience)) return fail(res, 400, 'invalid_target');
      const now = Math.floor(Date.now() / 1000);
      const scope = (scopes.length ? scopes : client.scopes).join(' ');
      const token = jwt.sign(
        {
          iss: ISSUER,
          sub: clientId,
          client_id: clientId,
          aud: audience,
          scope,
          iat: now,
          exp: now + 900,
          jti: randomUUID(),
        },
        privateKey,
        { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid: 'bare' } },
      );
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 900, scope }));
    });
  };
}
