import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { findRepoRoot } from './repo-root.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env` with `schema`. Throws a ConfigError whose message is one line naming the first
 * variable that is missing or malformed.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = issue?.path.join('.') || 'configuration';
  const reason = issue?.code === 'invalid_type' && cleaned[name] === undefined ? 'is required' : issue?.message;
  throw new ConfigError(`invalid configuration: ${name} ${reason}`);
}

let dotenvLoaded = false;

/**
 * Reads the root `.env` and the files named in RUNNERLY_ENV_FILE (comma-separated; generated
 * secrets in containers), once. Real environment variables win over files, but an empty one
 * counts as unset (compose passes `${X:-}` through as "").
 */
function loadDotenv(): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  const root = findRepoRoot();
  const files = [...(process.env.RUNNERLY_ENV_FILE?.split(',') ?? []), root ? join(root, '.env') : ''];
  for (const file of files.map((name) => name.trim())) {
    if (!file || !existsSync(file)) continue;
    for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
      if (!process.env[name]) process.env[name] = value;
    }
  }
}

/**
 * Builds an app's configuration once at start from the environment (and the root `.env`).
 * A bad value stops the process with one line naming the variable.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  if (env === process.env) loadDotenv();
  try {
    return Object.freeze(parseConfig(schema, env)) as z.output<S>;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
