import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Strava's swagger.json (copied from the brief into fixtures/) describes paths; its models live in
 * separate files on developers.strava.com (`activity.json#/SummaryActivity`, ...) that no machine
 * here can reach. `definitions` transcribes the models the sandbox serves from Strava's published
 * reference, in Swagger 2.0 form. Two liberties, both marked: `x-nullable` where the live API
 * sends null, and LatLng allowing [] (what the live API sends for activities without GPS).
 */
/** A stream model of stream.json: a BaseStream whose `data` holds items of one type. */
function stream(items: Record<string, unknown>): Record<string, unknown> {
  return {
    allOf: [
      { $ref: '#/definitions/BaseStream' },
      { type: 'object', properties: { data: { type: 'array', items } }, required: ['data'] },
    ],
  };
}

const definitions: Record<string, Record<string, unknown>> = {
  MetaAthlete: { type: 'object', properties: { id: { type: 'integer', format: 'int64' } } },
  MetaActivity: { type: 'object', properties: { id: { type: 'integer', format: 'int64' } } },
  LatLng: { type: 'array', maxItems: 2, items: { type: 'number', format: 'float' } },
  PolylineMap: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      polyline: { type: 'string', 'x-nullable': true },
      summary_polyline: { type: 'string', 'x-nullable': true },
    },
  },
  ActivityType: {
    type: 'string',
    enum: [
      'AlpineSki',
      'BackcountrySki',
      'Canoeing',
      'Crossfit',
      'EBikeRide',
      'Elliptical',
      'Golf',
      'Handcycle',
      'Hike',
      'IceSkate',
      'InlineSkate',
      'Kayaking',
      'Kitesurf',
      'NordicSki',
      'Ride',
      'RockClimbing',
      'RollerSki',
      'Rowing',
      'Run',
      'Sail',
      'Skateboard',
      'Snowboard',
      'Snowshoe',
      'Soccer',
      'StairStepper',
      'StandUpPaddling',
      'Surfing',
      'Swim',
      'Velomobile',
      'VirtualRide',
      'VirtualRun',
      'Walk',
      'WeightTraining',
      'Wheelchair',
      'Windsurf',
      'Workout',
      'Yoga',
    ],
  },
  SportType: {
    type: 'string',
    enum: [
      'AlpineSki',
      'BackcountrySki',
      'Badminton',
      'Canoeing',
      'Crossfit',
      'EBikeRide',
      'Elliptical',
      'EMountainBikeRide',
      'Golf',
      'GravelRide',
      'Handcycle',
      'HighIntensityIntervalTraining',
      'Hike',
      'IceSkate',
      'InlineSkate',
      'Kayaking',
      'Kitesurf',
      'MountainBikeRide',
      'NordicSki',
      'Pickleball',
      'Pilates',
      'Racquetball',
      'Ride',
      'RockClimbing',
      'RollerSki',
      'Rowing',
      'Run',
      'Sail',
      'Skateboard',
      'Snowboard',
      'Snowshoe',
      'Soccer',
      'Squash',
      'StairStepper',
      'StandUpPaddling',
      'Surfing',
      'Swim',
      'TableTennis',
      'Tennis',
      'TrailRun',
      'Velomobile',
      'VirtualRide',
      'VirtualRow',
      'VirtualRun',
      'Walk',
      'WeightTraining',
      'Wheelchair',
      'Windsurf',
      'Workout',
      'Yoga',
    ],
  },
  SummaryActivity: {
    allOf: [
      { $ref: '#/definitions/MetaActivity' },
      {
        type: 'object',
        properties: {
          external_id: { type: 'string', 'x-nullable': true },
          upload_id: { type: 'integer', format: 'int64', 'x-nullable': true },
          athlete: { $ref: '#/definitions/MetaAthlete' },
          name: { type: 'string' },
          distance: { type: 'number', format: 'float' },
          moving_time: { type: 'integer' },
          elapsed_time: { type: 'integer' },
          total_elevation_gain: { type: 'number', format: 'float' },
          elev_high: { type: 'number', format: 'float' },
          elev_low: { type: 'number', format: 'float' },
          type: { $ref: '#/definitions/ActivityType' },
          sport_type: { $ref: '#/definitions/SportType' },
          start_date: { type: 'string', format: 'date-time' },
          start_date_local: { type: 'string', format: 'date-time' },
          timezone: { type: 'string' },
          start_latlng: { $ref: '#/definitions/LatLng' },
          end_latlng: { $ref: '#/definitions/LatLng' },
          achievement_count: { type: 'integer' },
          kudos_count: { type: 'integer' },
          comment_count: { type: 'integer' },
          athlete_count: { type: 'integer' },
          photo_count: { type: 'integer' },
          total_photo_count: { type: 'integer' },
          map: { $ref: '#/definitions/PolylineMap' },
          trainer: { type: 'boolean' },
          commute: { type: 'boolean' },
          manual: { type: 'boolean' },
          private: { type: 'boolean' },
          flagged: { type: 'boolean' },
          workout_type: { type: 'integer', 'x-nullable': true },
          upload_id_str: { type: 'string' },
          average_speed: { type: 'number', format: 'float' },
          max_speed: { type: 'number', format: 'float' },
          has_kudoed: { type: 'boolean' },
          hide_from_home: { type: 'boolean' },
          gear_id: { type: 'string', 'x-nullable': true },
          kilojoules: { type: 'number', format: 'float' },
          average_watts: { type: 'number', format: 'float' },
          device_watts: { type: 'boolean' },
          max_watts: { type: 'integer' },
          weighted_average_watts: { type: 'integer' },
        },
      },
    ],
  },
  DetailedActivity: {
    allOf: [
      { $ref: '#/definitions/SummaryActivity' },
      {
        type: 'object',
        properties: {
          description: { type: 'string', 'x-nullable': true },
          calories: { type: 'number', format: 'float' },
          device_name: { type: 'string', 'x-nullable': true },
          embed_token: { type: 'string' },
        },
      },
    ],
  },
  SummaryAthlete: {
    allOf: [
      { $ref: '#/definitions/MetaAthlete' },
      {
        type: 'object',
        properties: {
          resource_state: { type: 'integer' },
          firstname: { type: 'string' },
          lastname: { type: 'string' },
          profile_medium: { type: 'string' },
          profile: { type: 'string' },
          city: { type: 'string', 'x-nullable': true },
          state: { type: 'string', 'x-nullable': true },
          country: { type: 'string', 'x-nullable': true },
          sex: { type: 'string', enum: ['M', 'F'], 'x-nullable': true },
          premium: { type: 'boolean' },
          summit: { type: 'boolean' },
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
        },
      },
    ],
  },
  SummaryGear: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      resource_state: { type: 'integer' },
      primary: { type: 'boolean' },
      name: { type: 'string' },
      distance: { type: 'number', format: 'float' },
    },
  },
  DetailedGear: {
    allOf: [
      { $ref: '#/definitions/SummaryGear' },
      {
        type: 'object',
        properties: {
          brand_name: { type: 'string' },
          model_name: { type: 'string' },
          frame_type: { type: 'integer' },
          description: { type: 'string', 'x-nullable': true },
        },
      },
    ],
  },
  DetailedAthlete: {
    allOf: [
      { $ref: '#/definitions/SummaryAthlete' },
      {
        type: 'object',
        properties: {
          follower_count: { type: 'integer' },
          friend_count: { type: 'integer' },
          measurement_preference: { type: 'string', enum: ['feet', 'meters'] },
          ftp: { type: 'integer', 'x-nullable': true },
          weight: { type: 'number', format: 'float' },
          clubs: { type: 'array', items: { type: 'object' } },
          bikes: { type: 'array', items: { $ref: '#/definitions/SummaryGear' } },
          shoes: { type: 'array', items: { $ref: '#/definitions/SummaryGear' } },
        },
      },
    ],
  },
  // stream.json: StreamSet and its streams, each a BaseStream with typed data.
  BaseStream: {
    type: 'object',
    properties: {
      original_size: { type: 'integer' },
      resolution: { type: 'string', enum: ['low', 'medium', 'high'] },
      series_type: { type: 'string', enum: ['distance', 'time'] },
    },
  },
  TimeStream: stream({ type: 'integer' }),
  DistanceStream: stream({ type: 'number', format: 'float' }),
  LatLngStream: stream({ $ref: '#/definitions/LatLng' }),
  AltitudeStream: stream({ type: 'number', format: 'float' }),
  SmoothVelocityStream: stream({ type: 'number', format: 'float' }),
  HeartrateStream: stream({ type: 'integer' }),
  CadenceStream: stream({ type: 'integer' }),
  PowerStream: stream({ type: 'integer' }),
  TemperatureStream: stream({ type: 'integer' }),
  MovingStream: stream({ type: 'boolean' }),
  SmoothGradeStream: stream({ type: 'number', format: 'float' }),
  StreamSet: {
    type: 'object',
    properties: {
      time: { $ref: '#/definitions/TimeStream' },
      distance: { $ref: '#/definitions/DistanceStream' },
      latlng: { $ref: '#/definitions/LatLngStream' },
      altitude: { $ref: '#/definitions/AltitudeStream' },
      velocity_smooth: { $ref: '#/definitions/SmoothVelocityStream' },
      heartrate: { $ref: '#/definitions/HeartrateStream' },
      cadence: { $ref: '#/definitions/CadenceStream' },
      watts: { $ref: '#/definitions/PowerStream' },
      temp: { $ref: '#/definitions/TemperatureStream' },
      moving: { $ref: '#/definitions/MovingStream' },
      grade_smooth: { $ref: '#/definitions/SmoothGradeStream' },
    },
  },
  Error: {
    type: 'object',
    properties: { code: { type: 'string' }, field: { type: 'string' }, resource: { type: 'string' } },
  },
  Fault: {
    type: 'object',
    properties: { errors: { type: 'array', items: { $ref: '#/definitions/Error' } }, message: { type: 'string' } },
  },
};

/** Swagger 2.0 → JSON Schema: external model refs point at the local definitions; x-nullable allows null. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string')
      out.$ref = value.replace(/^https:\/\/developers\.strava\.com\/swagger\/[a-z_]+\.json#\//, '#/definitions/');
    else if (key === 'x-nullable' || key === 'example' || key === 'examples' || key === 'description') continue;
    else out[key] = toJsonSchema(value);
  }
  if ((node as Record<string, unknown>)['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

const swagger = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'strava-swagger.json'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { schema?: unknown }> }>>;
};

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
for (const format of ['int32', 'int64', 'float', 'double']) ajv.addFormat(format, true);
const jsonDefinitions = toJsonSchema(definitions) as Record<string, unknown>;

/** A validator for a model by name (`SummaryActivity`, `Fault`, ...). */
export function modelValidator(name: string): ValidateFunction {
  return ajv.compile({ $ref: `#/definitions/${name}`, definitions: jsonDefinitions });
}

/** A validator for the response schema swagger.json gives a path (e.g. `/athlete/activities` GET 200). */
export function responseValidator(path: string, method: string, status: string): ValidateFunction {
  const schema = swagger.paths[path]?.[method]?.responses[status]?.schema;
  if (!schema) throw new Error(`swagger.json has no schema for ${method.toUpperCase()} ${path} ${status}`);
  return ajv.compile({ ...(toJsonSchema(schema) as object), definitions: jsonDefinitions });
}

/** Throws with ajv's messages when `data` does not match. */
export function assertValid(validate: ValidateFunction, data: unknown, what: string): void {
  if (!validate(data)) throw new Error(`${what} does not match the Strava schema: ${ajv.errorsText(validate.errors)}`);
}
