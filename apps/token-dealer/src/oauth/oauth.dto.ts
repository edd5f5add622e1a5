import { z } from 'zod';

export const TokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  scope: z.string().optional().describe('space-separated; defaults to everything the client may have'),
  audience: z.string().optional().describe('the service the token is for; required when the client may call several'),
  client_id: z.string().optional().describe('client_secret_post only'),
  client_secret: z.string().optional().describe('client_secret_post only'),
});

export const TokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});

export const TokenOperationSchema = z.object({
  token: z.string(),
  token_type_hint: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

export const IntrospectionResponseSchema = z.object({
  active: z.boolean(),
  scope: z.string().optional(),
  client_id: z.string().optional(),
  sub: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  iss: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  jti: z.string().optional(),
  token_type: z.literal('Bearer').optional(),
});

export const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string(), message: z.string() });
