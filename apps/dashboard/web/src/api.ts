// Types only: the contracts' values (enums, zod schemas) stay out of the page's bundle.
import type { Page, PersonalBests, Run, UserProfile } from '@runnerly/data-client/contract';
import type { SyncView } from '@runnerly/jobs/sync-contract';
import type { PeriodTotals, Period } from './lib/periods.js';

/** The dashboard's JSON API, as the page uses it (see apps/dashboard/src/api). */
export type { Page, PersonalBests, Run, SyncView };

export interface Me extends UserProfile {
  /** Sent back in `x-csrf-token` (or the `_csrf` form field) on every state-changing request. */
  csrfToken: string;
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
  bests: () => request<PersonalBests>('/api/bests'),
  sync: () => request<SyncView>('/api/sync'),
  syncNow: (csrfToken: string) =>
    request<SyncView>('/api/sync', { method: 'POST', headers: { 'x-csrf-token': csrfToken } }),
};
