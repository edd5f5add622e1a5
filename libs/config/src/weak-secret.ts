/**
 * Why a secret is obviously weak, or undefined when nothing is obviously wrong with it. Catches
 * what people type (`password12345678`, `changeme`, `aaaa…`, `abcabc…`, `secret`), not a proof of
 * strength: what `pnpm start` and compose generate (random bytes, hex or base64) always passes.
 */
export function weakSecretReason(value: string, minLength = 16): string | undefined {
  if (value.length < minLength) return `shorter than ${minLength} characters`;
  const lower = value.toLowerCase();
  const word = COMMON_WORDS.find((common) => lower.includes(common));
  if (word) return `holds the common word "${word}"`;
  if (repeatingPeriod(value) !== undefined) return 'a repeated pattern';
  if (new Set(value).size < Math.min(8, Math.ceil(value.length / 3))) return 'too few distinct characters';
  if (longestSequence(lower) >= Math.max(6, value.length / 4))
    return 'a run of consecutive characters (like 123456 or abcdef)';
  if (entropyBits(value) < 40) return 'too little entropy';
  return undefined;
}

/** The same checks on a key's bytes once decoded (a hex key of 00 01 02 … reads fine as text). */
export function weakKeyReason(bytes: Buffer): string | undefined {
  if (new Set(bytes).size < Math.min(8, Math.ceil(bytes.length / 3))) return 'too few distinct bytes';
  if (repeatingPeriod([...bytes]) !== undefined) return 'a repeated pattern of bytes';
  if (longestSequence([...bytes]) >= 8) return 'a run of consecutive bytes';
  return undefined;
}

// Words of six letters or more only: a random base64 secret holds one by chance about once in 10⁷.
const COMMON_WORDS = [
  'password',
  'passw0rd',
  'secret',
  'changeme',
  'change-me',
  'letmein',
  'qwerty',
  'azerty',
  'example',
  'default',
  'admin123',
  'welcome',
];

function repeatingPeriod<T>(value: ArrayLike<T>): number | undefined {
  for (let period = 1; period <= value.length / 2; period += 1) {
    let repeats = true;
    for (let i = period; i < value.length && repeats; i += 1) repeats = value[i] === value[i - period];
    if (repeats) return period;
  }
  return undefined;
}

/** The longest run of characters (or bytes) each one more, or one less, than the one before. */
function longestSequence(value: string | number[]): number {
  const codes = typeof value === 'string' ? [...value].map((char) => char.codePointAt(0) ?? 0) : value;
  let longest = codes.length > 0 ? 1 : 0;
  let run = 1;
  let step = 0;
  for (let i = 1; i < codes.length; i += 1) {
    const diff = (codes[i] ?? 0) - (codes[i - 1] ?? 0);
    if ((diff === 1 || diff === -1) && (run === 1 || diff === step)) {
      run += 1;
      step = diff;
    } else if (diff === 1 || diff === -1) {
      run = 2;
      step = diff;
    } else {
      run = 1;
    }
    longest = Math.max(longest, run);
  }
  return longest;
}

/** Length × the empirical Shannon entropy per character: an upper bound, enough to catch typed words. */
function entropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}
