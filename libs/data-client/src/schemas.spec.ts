import { describe, expect, it } from 'vitest';
import { ListRunsQuery, Run, StatsQuery, UpsertUser } from './schemas.js';

const run = {
  stravaId: 123,
  name: 'Lunch Run',
  sportType: 'Run',
  startDate: '2018-05-02T12:15:09Z',
  startDateLocal: '2018-05-02T05:15:09Z',
  distance: 5000,
  movingTime: 1500,
  elapsedTime: 1600,
  totalElevationGain: 10,
  averageSpeed: 3.3,
  maxSpeed: 4.1,
};

describe('Run', () => {
  it("drops Strava's misleading Z from the local time and normalises the UTC one", () => {
    const parsed = Run.parse({ ...run, startDate: '2018-05-02T14:15:09.250+02:00' });
    expect(parsed.startDate).toBe('2018-05-02T12:15:09Z');
    expect(parsed.startDateLocal).toBe('2018-05-02T05:15:09');
  });

  it('refuses unknown sports, negative distances and ids beyond 2^53', () => {
    for (const change of [{ sportType: 'Quidditch' }, { distance: -1 }, { stravaId: 2 ** 54 }]) {
      expect(Run.safeParse({ ...run, ...change }).success).toBe(false);
    }
  });
});

describe('queries', () => {
  it('takes after/before as ISO 8601 or epoch seconds, and defaults the limit', () => {
    expect(ListRunsQuery.parse({ after: '1700000000', before: '2026-01-01T00:00:00Z' })).toEqual({
      after: '2023-11-14T22:13:20.000Z',
      before: '2026-01-01T00:00:00Z',
      limit: 50,
    });
  });

  it('needs a known period', () => {
    expect(StatsQuery.safeParse({ period: 'fortnight' }).success).toBe(false);
  });
});

describe('UpsertUser', () => {
  it('needs only the athlete id and names', () => {
    expect(UpsertUser.safeParse({ stravaAthleteId: 1, firstname: 'A', lastname: 'B' }).success).toBe(true);
  });
});
