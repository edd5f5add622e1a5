import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/** Reads the root `.env` once (real environment variables win over it). */
function loadDotenv(): void {
  if (dotenvLoaded) return;
  dotenvLoaded = true;
  const root = findRepoRoot();
  const file = root && join(root, '.env');
  if (file && existsSync(file)) process.loadEnvFile(file);
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
