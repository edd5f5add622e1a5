import { describe, expect, it } from 'vitest';
import { personalBests, type RunSummary } from './personal-bests.js';

let nextId = 1;
function run(distance: number, movingTime: number, extra: Partial<RunSummary> = {}): RunSummary {
  const id = nextId++;
  return {
    stravaId: id,
    name: `run ${id}`,
    sportType: 'Run',
    startDateLocal: `2026-01-${String(id).padStart(2, '0')}T07:00:00`,
    distance,
    movingTime,
    ...extra,
  };
}

describe('personalBests', () => {
  it('picks the fastest average pace among runs at least that long', () => {
    const easy5k = run(5000, 1800); // 6:00 /km
    const fast12k = run(12_000, 3000); // 4:10 /km
    const faster4k = run(4000, 800); // 3:20 /km, but too short for a 5K
    const bests = personalBests([easy5k, fast12k, faster4k]);
    expect(bests.map((b) => [b.key, b.run?.stravaId])).toEqual([
      ['5k', fast12k.stravaId],
      ['10k', fast12k.stravaId],
      ['half', undefined],
      ['marathon', undefined],
    ]);
    expect(bests[0]!.time).toBe(1250); // 5000 m at 0.25 s/m
  });

  it('counts a half marathon run for the half, by its exact distance', () => {
    const half = run(21_097.5, 6300);
    const bests = personalBests([half, run(21_000, 5000)]);
    expect(bests.find((b) => b.key === 'half')?.run?.stravaId).toBe(half.stravaId);
    expect(bests.find((b) => b.key === '10k')?.run?.stravaId).not.toBe(half.stravaId);
  });

  it('ignores rides, walks and runs without distance or time; ties go to the earlier run', () => {
    const early = run(5000, 1500, { startDateLocal: '2025-05-01T07:00:00' });
    const late = run(5000, 1500, { startDateLocal: '2026-05-01T07:00:00' });
    const bests = personalBests([
      late,
      run(40_000, 3600, { sportType: 'Ride' }),
      run(6000, 0),
      run(0, 100),
      early,
      run(10_000, 2000, { sportType: 'TrailRun', startDateLocal: '2026-02-01T08:00:00' }),
    ]);
    expect(bests[0]!.run?.name).toBe('run ' + String(bests[0]!.run?.stravaId));
    expect(bests.find((b) => b.key === '10k')?.run?.distance).toBe(10_000);
    expect(personalBests([late, early])[0]!.run?.stravaId).toBe(early.stravaId);
    expect(personalBests([])).toHaveLength(4);
  });
});
