// Types only: the contracts' values (enums, zod schemas) stay out of the page's bundle.
import type { Page, Run, UserProfile } from '@runnerly/data-client/contract';
import type { SyncView } from '@runnerly/jobs/sync-contract';
import type { CalendarDay } from './lib/calendar.js';
import type { PeriodTotals, Period } from './lib/periods.js';
import type { Shoe } from './lib/shoes.js';
import type { YearTotals } from './lib/years.js';

/** The dashboard's JSON API, as the page uses it (see apps/dashboard/src/api). */
export type { CalendarDay, Page, Run, Shoe, SyncView, YearTotals };

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

// The year at a glance (issue 17). The shapes of the dashboard's `/api/calendar`, `/api/eddington`,
// `/api/years`, `/api/goal`, `/api/shoes` and `/api/routes`; distances in metres, days `YYYY-MM-DD`
// on the athlete's local calendar.
export interface Streaks {
  currentDays: number;
  longestDays: number;
  currentWeeks: number;
  longestWeeks: number;
}

export interface Calendar {
  days: CalendarDay[];
  streaks: Streaks;
  /** The athlete's local today, when the API knows it. */
  today?: string;
}

export interface EddingtonNumber {
  number: number;
  /** Days of at least number + 1 still missing for number + 1. */
  nextNeeded: number;
}

export interface Eddington {
  km: EddingtonNumber;
  mi: EddingtonNumber;
}

export interface YearsView {
  /** Oldest first. */
  years: Array<YearTotals & { cumulative?: number[] }>;
  today?: string;
}

export interface Goal {
  year: number;
  /** Metres, null when no goal is set for that year. */
  distance: number | null;
  done: number;
  projected: number;
  expected?: number | null;
}

export interface RouteLine {
  stravaId: number;
  date?: string;
  polyline: string;
}

export interface Routes {
  items: RouteLine[];
  /** Metres hidden at each end of every route (privacy). */
  hiddenEnds?: number;
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
  calendar: (from: string, to: string) => request<Calendar>(`/api/calendar?${new URLSearchParams({ from, to })}`),
  eddington: () => request<Eddington>('/api/eddington'),
  years: () => request<YearsView>('/api/years'),
  goal: (year?: number) => request<Goal>(`/api/goal${year ? `?year=${year}` : ''}`),
  setGoal: (csrfToken: string, goal: { year: number; distance: number }) =>
    request<Goal>('/api/goal', putJson(csrfToken, goal)),
  shoes: () =>
    request<Shoe[] | { items: Shoe[] }>('/api/shoes').then((body) => (Array.isArray(body) ? body : body.items)),
  setShoe: (csrfToken: string, id: string, change: { retireAt: number }) =>
    request<Shoe>(`/api/shoes/${encodeURIComponent(id)}`, putJson(csrfToken, change)),
  routes: () => request<Routes>('/api/routes'),
};

function putJson(csrfToken: string, body: unknown): RequestInit {
  return {
    method: 'PUT',
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
