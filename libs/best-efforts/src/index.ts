export {
  type BestEffort,
  type BestEfforts,
  computeBestEfforts,
  type EffortSource,
  type RunStreams,
  type RunSummary,
  SUMMARY_TOLERANCE,
} from './best-efforts.js';
export { STANDARD_DISTANCES, type StandardDistance, standardDistance } from './distances.js';
export { distanceAlong, haversine, MAX_SPEED } from './samples.js';
