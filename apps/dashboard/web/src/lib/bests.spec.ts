import { describe, expect, it } from 'vitest';
import type { PersonalBests } from '../api.js';
import { marksByRun, stepPath, withImprovements } from './bests.js';

const record = (stravaId: number, date: string, elapsedTime: number) => ({ stravaId, date, elapsedTime });
const best = (name: string, distance: number, progression: ReturnType<typeof record>[]) => {
  const last = progression.at(-1)!;
  return {
    name,
    distance,
    elapsedTime: last.elapsedTime,
    run: { stravaId: last.stravaId, name: `Run ${last.stravaId}`, startDateLocal: last.date },
    progression,
  } satisfies PersonalBests['items'][number];
};

describe('best marks', () => {
  const fiveK = best('5K', 5000, [
    record(1, '2026-01-05T07:00:00Z', 1500),
    record(2, '2026-02-01T07:00:00Z', 1440),
    record(3, '2026-03-01T07:00:00Z', 1405.4),
  ]);
  const oneK = best('1K', 1000, [record(2, '2026-02-01T07:00:00Z', 250), record(4, '2026-03-09T07:00:00Z', 241)]);
  const tenK = best('10K', 10_000, [record(2, '2026-02-01T07:00:00Z', 3100)]);

  it('marks each run that set a record, current bests first, shortest distance first', () => {
    const marks = marksByRun([tenK, fiveK, oneK]);
    expect(marks.get(2)).toEqual([
      { name: '10K', distance: 10_000, current: true },
      { name: '1K', distance: 1000, current: false },
      { name: '5K', distance: 5000, current: false },
    ]);
    expect(marks.get(3)).toEqual([{ name: '5K', distance: 5000, current: true }]);
    expect(marks.get(1)).toEqual([{ name: '5K', distance: 5000, current: false }]);
    expect(marks.get(4)).toEqual([{ name: '1K', distance: 1000, current: true }]);
    expect(marks.has(5)).toBe(false);
    expect(marksByRun([]).size).toBe(0);
  });

  it('says what each record took off the one before', () => {
    const steps = withImprovements(fiveK.progression);
    expect(steps.map((step) => step.stravaId)).toEqual([1, 2, 3]);
    expect(steps[0]!.improvement).toBeNull();
    expect(steps[1]!.improvement).toBe(60);
    expect(steps[2]!.improvement).toBeCloseTo(34.6);
    expect(withImprovements([])).toEqual([]);
  });

  it('draws the records as steps, faster higher, up to the right edge', () => {
    // 5 Jan → 1 Mar is 55 days; 1 Feb is day 27.
    expect(stepPath(fiveK.progression, 110, 20)).toBe('M0 20 H54 V7.3 H110 V0 H110');
    expect(stepPath(tenK.progression, 100, 20)).toBe('M0 10 H100');
    expect(stepPath([], 100, 20)).toBe('');
  });
});
