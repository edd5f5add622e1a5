/** Injection tokens of the worker's I/O clients (built once from the config in AppModule). */
export const REDIS = Symbol('Redis');
export const DATA_SERVICE = Symbol('DataServiceClient');
export const STRAVA_GATEWAY = Symbol('StravaGateway');
export const STRAVA_RATE_LIMITER = Symbol('StravaRateLimiter');
export const SYNC_QUEUE = Symbol('SyncQueue');
export const SYNC_STATE = Symbol('SyncStateStore');
export const HOUSEKEEPING_QUEUE = Symbol('HousekeepingQueue');
export const ENRICHMENT_QUEUE = Symbol('EnrichmentQueue');
