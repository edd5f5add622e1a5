// Types only: the contracts' values (enums, zod schemas) stay out of the page's bundle.
import type { Page, Run, UserProfile } from '@runnerly/data-client/contract';
import type { SyncView } from '@runnerly/jobs/sync-contract';
import type { PeriodTotals, Period } from './lib/periods.js';

/** The dashboard's JSON API, as the page uses it (see apps/dashboard/src/api). */
export type { Page, Run, SyncView };

export interface Me extends UserProfile {
  /** Sent back in `x-csrf-token` (or the `_csrf` form field) on every state-changing request. */
  csrfToken: string;
}

export interface PersonalBest {
  key: string;
  label: string;
  distance: number;
  /** Seconds per metre of the fastest qualifying run, and the time that pace gives over `distance`. */
  pace: number;
  time: number;
  run: Pick<Run, 'stravaId' | 'name' | 'startDateLocal' | 'distance' | 'movingTime'>;
}

export interface Bests {
  items: Array<Omit<PersonalBest, 'pace' | 'time' | 'run'> & Partial<Pick<PersonalBest, 'pace' | 'time' | 'run'>>>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new ApiError(0, 'network', 'Runnerly could not be reached. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const { error, message } = (body ?? {}) as { error?: string; message?: string };
    throw new ApiError(response.status, error ?? 'unknown', message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

export const api = {
  me: () => request<Me>('/api/me'),
  runs: (cursor: string | null, limit = 10) =>
    request<Page<Run>>(`/api/runs?${new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) })}`),
  stats: (period: Period) => request<{ items: PeriodTotals[] }>(`/api/stats?period=${period}`),
  bests: () => request<Bests>('/api/bests'),
  sync: () => request<SyncView>('/api/sync'),
  syncNow: (csrfToken: string) =>
    request<SyncView>('/api/sync', { method: 'POST', headers: { 'x-csrf-token': csrfToken } }),
};
