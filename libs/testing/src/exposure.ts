/** Spellings a router might still match for `path`: case, trailing and doubled slashes, percent-encoding. */
export function pathSpellings(path: string): string[] {
  const [first = '', ...rest] = path.slice(1);
  const encoded = `/%${first.charCodeAt(0).toString(16)}${rest.join('')}`;
  return [path, path.toUpperCase(), `${path}/`, `/${path}`, encoded, `${path};x`, `${path}?x=1`];
}
