import { BadRequestException } from '@nestjs/common';

/** Strava accepts OAuth parameters in the query string, an urlencoded body or a multipart body. */
export type Params = Record<string, string | string[] | undefined>;

export function mergeParams(query: unknown, body: unknown): Params {
  const asRecord = (value: unknown): Params =>
    typeof value === 'object' && value !== null && !Buffer.isBuffer(value) ? (value as Params) : {};
  return { ...asRecord(query), ...asRecord(body) };
}

/** The first value of a parameter, trimmed; undefined when absent or empty. */
export function param(params: Params, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

/** All values of a repeated parameter. */
export function params(params: Params, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/** Parses a multipart/form-data body into fields (files are ignored); a malformed one is a 400. */
export async function parseMultipart(contentType: string, body: Buffer): Promise<Params> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new BadRequestException('malformed multipart/form-data body');
  }
  const result: Params = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== 'string') continue;
    const existing = result[key];
    result[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return result;
}

/** The token of an `Authorization: Bearer …` header. */
export function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
