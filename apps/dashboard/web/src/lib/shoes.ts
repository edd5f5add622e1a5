/** A shoe of `GET /api/shoes`: metres run in it, and the distance at which the runner retires it. */
export interface Shoe {
  id: string;
  name: string;
  distance: number;
  retireAt: number;
}

export const DEFAULT_RETIRE_AT = 800_000;
/** From this share of the threshold the shoe is flagged as nearly worn out. */
export const WARN_AT = 0.9;

export type ShoeState = 'ok' | 'near' | 'over';

export function shoeState(distance: number, retireAt: number): ShoeState {
  if (!(retireAt > 0)) return 'ok';
  if (distance >= retireAt) return 'over';
  return distance >= WARN_AT * retireAt ? 'near' : 'ok';
}
