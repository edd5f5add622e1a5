import { Injectable, Logger } from '@nestjs/common';

export type HealthCheck = () => Promise<unknown>;

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'up' | 'down'; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

/** Dependencies register a check here; `/health/ready` is green only when all of them answer. */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly logger = new Logger('Health');
  /** What the last readiness said, so that a change is logged once, not every probe. */
  private lastReported?: string;

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async readiness(): Promise<Readiness> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, { status: 'up' as const }] as const;
        } catch (error) {
          return [name, { status: 'down' as const, error: describe(error) }] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const status = entries.every(([, result]) => result.status === 'up') ? 'ok' : 'unavailable';
    this.report(checks);
    return { status, checks };
  }

  /**
   * Readiness changes, once each: a dependency down is expected while a stack starts (or while it
   * restarts), so a warning of one line naming it and why, never an error with a stack.
   */
  private report(checks: Readiness['checks']): void {
    const down = Object.entries(checks).filter(([, check]) => check.status === 'down');
    const summary = down.map(([name, check]) => `${name} (${check.error ?? 'down'})`).join(', ');
    if (summary === this.lastReported) return;
    this.lastReported = summary;
    if (down.length) this.logger.warn(`not ready yet: waiting for ${summary}`);
    else this.logger.log('ready: every dependency answers');
  }
}

/** An error's message, with its cause's code or message when it has one (fetch says only "fetch failed"). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause && (typeof cause.code === 'string' ? cause.code : cause.message);
  return typeof detail === 'string' && detail && !error.message.includes(detail)
    ? `${error.message}: ${detail}`
    : error.message;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
