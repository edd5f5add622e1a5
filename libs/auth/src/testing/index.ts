import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export interface TestSignOptions {
  /** Seconds until expiry (negative: already expired). Default 300. */
  expiresIn?: number;
  /** Seconds until the token becomes valid. */
  notBefore?: number;
  /** Header overrides (`kid`, `typ`, `alg`). */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the published one (e.g. an unpublished key). */
  privateKey?: KeyObject;
}

export interface TestClaims {
  scope?: string | string[];
  aud?: string | string[];
  sub?: string;
  client_id?: string;
  iss?: string;
  jti?: string;
  [claim: string]: unknown;
}

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  /** The kid of the published key. */
  kid: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** An ES256 access token (typ at+jwt) from this issuer; claims default to a `test-client` for `data-service`. */
  sign(claims?: TestClaims, options?: TestSignOptions): string;
  /** How many times the JWKS was fetched (to observe caching). */
  readonly jwksFetches: number;
  /** Publishes a further key (a rotation) and returns its private key and kid. */
  addKey(): { kid: string; privateKey: KeyObject };
  close(): Promise<void>;
}

/**
 * A real token issuer for tests: a fresh ES256 key pair and a real JWKS served over HTTP on a free
 * port, signing tokens shaped like the token-dealer's (RFC 9068).
 */
export async function createTestIssuer(options: { audience?: string } = {}): Promise<TestIssuer> {
  const keys: Array<{ kid: string; privateKey: KeyObject; publicKey: KeyObject }> = [];
  const newKey = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = { kid: `test-${randomUUID()}`, privateKey, publicKey };
    keys.push(key);
    return key;
  };
  const first = newKey();
  let jwksFetches = 0;
  const server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      jwksFetches += 1;
      const body = {
        keys: keys.map(({ kid, publicKey }) => ({
          ...publicKey.export({ format: 'jwk' }),
          kid,
          alg: 'ES256',
          use: 'sig',
        })),
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = options.audience ?? 'data-service';

  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    kid: first.kid,
    publicKey: first.publicKey,
    privateKey: first.privateKey,
    get jwksFetches() {
      return jwksFetches;
    },
    sign(claims = {}, signOptions = {}) {
      const { scope, ...rest } = claims;
      const clientId = claims.client_id ?? claims.sub ?? 'test-client';
      const payload = {
        iss: issuer,
        sub: clientId,
        client_id: clientId,
        aud: audience,
        jti: randomUUID(),
        scope: Array.isArray(scope) ? scope.join(' ') : (scope ?? ''),
        ...rest,
      };
      return jwt.sign(payload, signOptions.privateKey ?? first.privateKey, {
        algorithm: 'ES256',
        expiresIn: signOptions.expiresIn ?? 300,
        ...(signOptions.notBefore === undefined ? {} : { notBefore: signOptions.notBefore }),
        header: { alg: 'ES256', typ: 'at+jwt', kid: first.kid, ...signOptions.header } as jwt.JwtHeader,
      });
    },
    addKey() {
      const key = newKey();
      return { kid: key.kid, privateKey: key.privateKey };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
