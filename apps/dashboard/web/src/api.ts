// Types only: the contracts' values (enums, zod schemas) stay out of the page's bundle.
import type {
  Calendar,
  CalendarDay,
  Eddington,
  EddingtonNumber,
  Goal,
  Page,
  PersonalBests,
  Run,
  Shoe,
  Streaks,
  UserProfile,
  Years,
  YearTotals,
} from '@runnerly/data-client/contract';
import type { SyncView } from '@runnerly/jobs/sync-contract';
import type { PeriodTotals, Period } from './lib/periods.js';

/** The dashboard's JSON API, as the page uses it (see apps/dashboard/src/api). */
export type {
  Calendar,
  CalendarDay,
  Eddington,
  EddingtonNumber,
  Goal,
  Page,
  PersonalBests,
  Run,
  Shoe,
  Streaks,
  SyncView,
  Years,
  YearTotals,
};

export interface Me extends UserProfile {
  /** Sent back in `x-csrf-token` (or the `_csrf` form field) on every state-changing request. */
  csrfToken: string;
}

/** `GET /api/shoes`: a shoe with the dashboard's warning (`near` from 90% of `retireAt`, `over` past it). */
export interface ShoeView extends Shoe {
  warning: 'near' | 'over' | null;
}

/** `GET /api/routes`: the newest runs' routes, `privacyMeters` hidden at each end of every one. */
export interface Routes {
  privacyMeters: number;
  routes: Array<{ id: number; date: string; polyline: string }>;
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
  calendar: (from: string, to: string) => request<Calendar>(`/api/calendar?${new URLSearchParams({ from, to })}`),
  eddington: () => request<Eddington>('/api/eddington'),
  years: () => request<Years>('/api/years'),
  goal: (year?: number) => request<Goal>(`/api/goal${year ? `?year=${year}` : ''}`),
  setGoal: (csrfToken: string, goal: { year: number; distance: number }) =>
    request<Goal>('/api/goal', putJson(csrfToken, goal)),
  shoes: () => request<ShoeView[]>('/api/shoes'),
  setShoe: (csrfToken: string, id: string, change: { retireAt: number }) =>
    request<ShoeView>(`/api/shoes/${encodeURIComponent(id)}`, putJson(csrfToken, change)),
  routes: () => request<Routes>('/api/routes'),
};

function putJson(csrfToken: string, body: unknown): RequestInit {
  return {
    method: 'PUT',
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
