/** Strava's wire shapes (snake_case, as Strava sends them) and the client's own camelCase types. */

/** Every scope Strava's OAuth knows (what an athlete may be asked for; the sandbox refuses others). */
export const STRAVA_OAUTH_SCOPES = [
  'read',
  'read_all',
  'profile:read_all',
  'profile:write',
  'activity:read',
  'activity:read_all',
  'activity:write',
] as const;
export type StravaScope = (typeof STRAVA_OAUTH_SCOPES)[number];

export type StravaSportType =
  | 'Run'
  | 'TrailRun'
  | 'VirtualRun'
  | 'Ride'
  | 'VirtualRide'
  | 'MountainBikeRide'
  | 'GravelRide'
  | 'Walk'
  | 'Hike'
  | 'Swim'
  | 'WeightTraining'
  | 'Workout'
  | 'Yoga'
  | (string & {});

/** The summary athlete Strava returns with a token exchange and from `/athlete`. */
export interface StravaSummaryAthlete {
  id: number;
  resource_state: number;
  username?: string | null;
  firstname: string;
  lastname: string;
  bio?: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  sex: 'M' | 'F' | null;
  premium: boolean;
  summit: boolean;
  created_at: string;
  updated_at: string;
  badge_type_id?: number;
  weight?: number | null;
  profile_medium: string;
  profile: string;
  friend?: null;
  follower?: null;
}

/** `SummaryGear`: a shoe or bike in the detailed athlete's `shoes`/`bikes`. */
export interface StravaSummaryGear {
  id: string;
  resource_state: number;
  primary: boolean;
  name: string;
  /** Metres. */
  distance: number;
  retired?: boolean;
}

/** `/athlete` with `profile:read_all`: the summary plus, among others, the athlete's gear. */
export interface StravaDetailedAthlete extends StravaSummaryAthlete {
  measurement_preference?: 'feet' | 'meters';
  shoes?: StravaSummaryGear[];
  bikes?: StravaSummaryGear[];
}

export interface StravaPolylineMap {
  id: string;
  summary_polyline: string | null;
  resource_state: number;
  polyline?: string | null;
}

/** `SummaryActivity`: distances in metres, times in seconds, speeds in m/s. */
export interface StravaSummaryActivity {
  id: number;
  resource_state: number;
  external_id?: string | null;
  upload_id?: number | null;
  athlete: { id: number; resource_state: number };
  name: string;
  distance: number;
  moving_time: number;
  elapsed_time: number;
  total_elevation_gain: number;
  elev_high?: number;
  elev_low?: number;
  /** Deprecated by Strava in favour of `sport_type`. */
  type: string;
  sport_type: StravaSportType;
  workout_type?: number | null;
  /** UTC, e.g. `2018-05-02T12:15:09Z`. */
  start_date: string;
  /** The local wall clock where the activity started, still written with a `Z`. */
  start_date_local: string;
  /** e.g. `(GMT-08:00) America/Los_Angeles`. */
  timezone: string;
  /** Seconds. */
  utc_offset: number;
  start_latlng: [number, number] | [] | null;
  end_latlng: [number, number] | [] | null;
  achievement_count: number;
  kudos_count: number;
  comment_count: number;
  athlete_count: number;
  photo_count: number;
  total_photo_count: number;
  map: StravaPolylineMap;
  trainer: boolean;
  commute: boolean;
  manual: boolean;
  private: boolean;
  visibility?: 'everyone' | 'followers_only' | 'only_me';
  flagged: boolean;
  gear_id: string | null;
  average_speed: number;
  max_speed: number;
  average_cadence?: number;
  has_heartrate: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  has_kudoed: boolean;
  pr_count?: number;
  device_watts?: boolean;
  average_watts?: number;
  kilojoules?: number;
}

/** `DetailedActivity` adds a few fields to the summary. */
export interface StravaDetailedActivity extends StravaSummaryActivity {
  description: string | null;
  calories: number;
  device_name?: string | null;
}

/** `/oauth/token` response body. */
export interface StravaTokenResponseBody {
  token_type: 'Bearer';
  expires_at: number;
  expires_in: number;
  refresh_token: string;
  access_token: string;
  athlete?: StravaSummaryAthlete;
}

/** Strava's error body (`Fault`). */
export interface StravaFault {
  message: string;
  errors: Array<{ resource: string; field: string; code: string }>;
}

/** An athlete's token pair, as the app stores it. */
export interface StravaTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** The granted scopes, comma-separated as Strava reports them (kept through refreshes). */
  scope?: string;
}

export interface StravaTokenExchange extends StravaTokenSet {
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  athlete: StravaSummaryAthlete;
}

export interface StravaPushSubscription {
  id: number;
  resource_state?: number;
  application_id?: number;
  callback_url: string;
  created_at?: string;
  updated_at?: string;
}

/** A webhook event as Strava POSTs it to the callback. */
export interface StravaWebhookEvent {
  object_type: 'activity' | 'athlete';
  object_id: number;
  aspect_type: 'create' | 'update' | 'delete';
  updates: Record<string, string>;
  owner_id: number;
  subscription_id: number;
  event_time: number;
}

/** The stream types of `GET /activities/{id}/streams` (swagger.json's `keys` enum). */
export type StravaStreamType =
  | 'time'
  | 'distance'
  | 'latlng'
  | 'altitude'
  | 'velocity_smooth'
  | 'heartrate'
  | 'cadence'
  | 'watts'
  | 'temp'
  | 'moving'
  | 'grade_smooth';

/** One stream (Strava's BaseStream plus its data). */
export interface StravaStream<T> {
  data: T[];
  series_type: 'distance' | 'time';
  original_size: number;
  resolution: 'low' | 'medium' | 'high';
}

/** Strava's StreamSet (`key_by_type=true`): the streams the activity has among those asked for. */
export interface StravaStreamSet {
  /** Seconds from the start. */
  time?: StravaStream<number>;
  /** Metres from the start. */
  distance?: StravaStream<number>;
  latlng?: StravaStream<[number, number]>;
  /** Metres. */
  altitude?: StravaStream<number>;
  velocity_smooth?: StravaStream<number>;
  heartrate?: StravaStream<number>;
  cadence?: StravaStream<number>;
  watts?: StravaStream<number>;
  temp?: StravaStream<number>;
  moving?: StravaStream<boolean>;
  grade_smooth?: StravaStream<number>;
}
