// Baseline: node-oidc-provider's client-credentials grant, ES256 JWT access tokens for the same
// audience and scopes (resource indicators), client_secret_basic.
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

const clientId = process.env.BENCH_CLIENT_ID ?? 'bench';
const clientSecret = process.env.BENCH_CLIENT_SECRET ?? 'secret';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'oidc', alg: 'ES256', use: 'sig' };
const scope = 'runs:read users:read users:write';

const provider = new Provider('http://127.0.0.1:5000', {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      scope,
    },
  ],
  jwks: { keys: [jwk as never] },
  scopes: scope.split(' '),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => 'urn:runnerly:data-service',
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope,
        audience: 'data-service',
        accessTokenTTL: 900,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
const server = provider.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
