import { Injectable } from '@nestjs/common';

/** How many Strava-facing requests the sandbox answered, per route (for tests and demos). */
@Injectable()
export class RequestLogService {
  private counts = new Map<string, number>();
  private queryTokens = 0;

  record(method: string, path: string, tokenInQuery: boolean): void {
    const route = `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    if (tokenInQuery) this.queryTokens += 1;
  }

  snapshot(): { total: number; byRoute: Record<string, number>; accessTokenInQuery: number } {
    const byRoute = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    return {
      total: [...this.counts.values()].reduce((sum, n) => sum + n, 0),
      byRoute,
      accessTokenInQuery: this.queryTokens,
    };
  }

  reset(): void {
    this.counts.clear();
    this.queryTokens = 0;
  }
}
