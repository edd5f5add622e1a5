import { DataException } from './data.exception.js';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, as base64url JSON. Callers
 * pass them back unchanged; anything else is a 400.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string,
  isValid: (key: readonly unknown[]) => key is T,
): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DataException.invalidCursor();
  }
  if (!Array.isArray(key) || !isValid(key)) throw DataException.invalidCursor();
  return key;
}
