/** The time source of the worker: real in production, movable in tests (Strava windows are 15 min). */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

export const systemClock: Clock = { now: () => new Date() };
