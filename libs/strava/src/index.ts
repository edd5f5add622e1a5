export {
  StravaAccessDeniedError,
  StravaApiError,
  StravaAppInactiveError,
  StravaError,
  StravaForbiddenError,
  StravaInvalidClientError,
  StravaInvalidGrantError,
  StravaMissingScopeError,
  StravaNetworkError,
  StravaNotFoundError,
  StravaRateLimitError,
  StravaServerError,
  StravaTimeoutError,
  StravaUnauthorizedError,
  toStravaError,
} from './errors.js';
export { decodePolyline, encodePolyline, type LatLng } from './polyline.js';
export {
  exhaustedWindow,
  parseRateLimitHeaders,
  type RateLimitPair,
  type RateLimitScope,
  type RateLimitWindow,
  type StravaRateLimits,
  type StravaWindow,
  stravaWindow,
} from './rate-limit.js';
export {
  type ActivityPage,
  type AuthorizationCallback,
  type AuthorizeUrlOptions,
  DEFAULT_STREAM_KEYS,
  type ListActivitiesOptions,
  type OnTokensRefreshed,
  StravaClient,
  type StravaClientOptions,
} from './strava.client.js';
export * from './strava.types.js';
export { canReadActivities, DEFAULT_EXPIRY_MARGIN_SECONDS, isExpiring, parseScopes, tokensChanged } from './tokens.js';
