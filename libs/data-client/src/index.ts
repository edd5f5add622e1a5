export {
  type CalendarDay,
  type EddingtonNumber,
  type YearTotals,
  DASHBOARD_CALLER,
  DATA_SERVICE_AUDIENCE,
  DataScope,
  EFFORT_SOURCES,
  type DataServiceCaller,
  RUN_SPORT_TYPES,
  SERVICE_CLIENTS,
  SPORT_TYPES,
  STATS_PERIODS,
  STRAVA_WORKER_CALLER,
  type UserProfile,
} from './contract.js';
export { DataServiceClient } from './data-service.client.js';
export * from './schemas.js';
export * from './best-efforts.schemas.js';
