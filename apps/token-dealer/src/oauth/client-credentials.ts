import { OAuthException } from './oauth.exception.js';
import type { ClientCredentials } from './oauth.service.js';

/** application/x-www-form-urlencoded decoding of the Basic user and password (RFC 6749 §2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Form parameters as single strings; a repeated parameter is an invalid request (RFC 6749 §3.2). */
export function formParams(body: unknown): Record<string, string | undefined> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object')
    throw OAuthException.invalidRequest('expected an application/x-www-form-urlencoded body');
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw OAuthException.invalidRequest(`parameter repeated: ${name}`);
    if (typeof value !== 'string') throw OAuthException.invalidRequest(`malformed parameter: ${name}`);
    params[name] = value;
  }
  return params;
}

/** The client's credentials from HTTP Basic (client_secret_basic) or the body (client_secret_post), never both. */
export function clientCredentials(
  authorization: string | undefined,
  params: Record<string, string | undefined>,
): ClientCredentials | undefined {
  const basic = authorization === undefined ? null : /^Basic +([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (authorization !== undefined && authorization !== '' && basic === null) {
    throw OAuthException.invalidClient('unsupported client authentication scheme');
  }
  if (basic !== null) {
    if (params.client_secret !== undefined)
      throw OAuthException.invalidRequest('use one client authentication method, not two');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw OAuthException.invalidClient('malformed Basic credentials');
    let clientId: string;
    let clientSecret: string;
    try {
      clientId = formDecode(decoded.slice(0, colon));
      clientSecret = formDecode(decoded.slice(colon + 1));
    } catch {
      throw OAuthException.invalidClient('malformed Basic credentials');
    }
    if (params.client_id !== undefined && params.client_id !== clientId)
      throw OAuthException.invalidRequest('client_id does not match the credentials');
    return { clientId, clientSecret };
  }
  if (params.client_id !== undefined && params.client_secret !== undefined) {
    return { clientId: params.client_id, clientSecret: params.client_secret };
  }
  return undefined;
}
