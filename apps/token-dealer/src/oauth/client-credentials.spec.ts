import { describe, expect, it } from 'vitest';
import { clientCredentials, formParams } from './client-credentials.js';
import { OAuthException } from './oauth.exception.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('client credentials', () => {
  it('reads client_secret_basic with form-encoded user and password (RFC 6749 §2.3.1)', () => {
    expect(clientCredentials(basic('my%20client', 'a%3Ab+c'), {})).toEqual({
      clientId: 'my client',
      clientSecret: 'a:b c',
    });
  });

  it('reads client_secret_post', () => {
    expect(clientCredentials(undefined, { client_id: 'x', client_secret: 's' })).toEqual({
      clientId: 'x',
      clientSecret: 's',
    });
    expect(clientCredentials(undefined, { client_id: 'x' })).toBeUndefined();
  });

  it('refuses two methods at once, other schemes and mismatched ids', () => {
    expect(() => clientCredentials(basic('x', 's'), { client_secret: 's' })).toThrow(OAuthException);
    expect(() => clientCredentials('Bearer abc', {})).toThrow(/unsupported/);
    expect(() => clientCredentials(basic('x', 's'), { client_id: 'y' })).toThrow(/does not match/);
    expect(() => clientCredentials(`Basic ${Buffer.from('nocolon').toString('base64')}`, {})).toThrow(/malformed/);
  });

  it('refuses repeated parameters', () => {
    expect(() => formParams({ scope: ['a', 'b'] })).toThrow(/repeated/);
    expect(formParams({ scope: 'a' })).toEqual({ scope: 'a' });
  });
});
