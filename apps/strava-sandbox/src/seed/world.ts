import { encodePolyline, type StravaDetailedActivity, type StravaSummaryAthlete } from '@runnerly/strava';
import { Prng } from './prng.js';
import { stravaDateTime, stravaTimezone, utcOffsetSeconds } from './timezones.js';

/** A seeded athlete plus what the generator needs to invent their activities. */
export interface SandboxAthlete {
  profile: StravaSummaryAthlete;
  zone: string;
  home: [number, number];
  /** Seconds per km of an easy run at the start of the history. */
  basePace: number;
  /** Metres climbed per km on an ordinary run. */
  hilliness: number;
  runsPerWeek: number;
  trailAffinity: number;
  measurementPreference: 'feet' | 'meters';
  weight: number;
}

export interface SandboxWorld {
  athletes: SandboxAthlete[];
  activities: StravaDetailedActivity[];
  /** The next activity id to hand out (ids grow with time, as Strava's do). */
  nextActivityId: number;
}

interface Template {
  firstname: string;
  lastname: string;
  city: string;
  state: string;
  country: string;
  sex: 'M' | 'F';
  zone: string;
  home: [number, number];
  basePace: number;
  hilliness: number;
  runsPerWeek: number;
  trailAffinity: number;
  measurementPreference: 'feet' | 'meters';
}

const TEMPLATES: Template[] = [
  {
    firstname: 'Maya',
    lastname: 'Okafor',
    city: 'San Francisco',
    state: 'CA',
    country: 'United States',
    sex: 'F',
    zone: 'America/Los_Angeles',
    home: [37.7694, -122.4862],
    basePace: 320,
    hilliness: 14,
    runsPerWeek: 4.5,
    trailAffinity: 0.15,
    measurementPreference: 'feet',
  },
  {
    firstname: 'Lukas',
    lastname: 'Brandt',
    city: 'Berlin',
    state: 'Berlin',
    country: 'Germany',
    sex: 'M',
    zone: 'Europe/Berlin',
    home: [52.5145, 13.3501],
    basePace: 290,
    hilliness: 3,
    runsPerWeek: 5,
    trailAffinity: 0.05,
    measurementPreference: 'meters',
  },
  {
    firstname: 'Aiko',
    lastname: 'Tanaka',
    city: 'Tokyo',
    state: 'Tokyo',
    country: 'Japan',
    sex: 'F',
    zone: 'Asia/Tokyo',
    home: [35.6717, 139.6949],
    basePace: 345,
    hilliness: 6,
    runsPerWeek: 3.5,
    trailAffinity: 0.08,
    measurementPreference: 'meters',
  },
  {
    firstname: 'Sam',
    lastname: 'Whitaker',
    city: 'Sydney',
    state: 'NSW',
    country: 'Australia',
    sex: 'M',
    zone: 'Australia/Sydney',
    home: [-33.8915, 151.2767],
    basePace: 305,
    hilliness: 11,
    runsPerWeek: 4,
    trailAffinity: 0.3,
    measurementPreference: 'meters',
  },
  {
    firstname: 'Jordan',
    lastname: 'Rivera',
    city: 'New York',
    state: 'NY',
    country: 'United States',
    sex: 'M',
    zone: 'America/New_York',
    home: [40.7812, -73.9665],
    basePace: 365,
    hilliness: 5,
    runsPerWeek: 3,
    trailAffinity: 0.05,
    measurementPreference: 'feet',
  },
];

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 3 * 365;

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A loop (or out-and-back) of about `distance` metres from `home`, as points. */
function route(prng: Prng, home: [number, number], distance: number, outAndBack: boolean): Array<[number, number]> {
  const metresPerDegLat = 111_320;
  const metresPerDegLng = 111_320 * Math.cos((home[0] * Math.PI) / 180);
  const start: [number, number] = [home[0] + prng.between(-0.004, 0.004), home[1] + prng.between(-0.004, 0.004)];
  const points: Array<[number, number]> = [];
  const steps = Math.max(12, Math.min(80, Math.round(distance / 250)));
  const heading = prng.between(0, 2 * Math.PI);
  if (outAndBack) {
    const half = distance / 2;
    for (let i = 0; i <= steps; i += 1) {
      const along = half * (i <= steps / 2 ? (2 * i) / steps : 2 - (2 * i) / steps);
      const wiggle = prng.between(-15, 15);
      points.push([
        start[0] + (Math.cos(heading) * along + Math.sin(heading) * wiggle) / metresPerDegLat,
        start[1] + (Math.sin(heading) * along - Math.cos(heading) * wiggle) / metresPerDegLng,
      ]);
    }
    return points;
  }
  const radius = distance / (2 * Math.PI);
  const centre: [number, number] = [
    start[0] + (Math.cos(heading) * radius) / metresPerDegLat,
    start[1] + (Math.sin(heading) * radius) / metresPerDegLng,
  ];
  for (let i = 0; i <= steps; i += 1) {
    const angle = heading + Math.PI + (2 * Math.PI * i) / steps;
    const r = radius * (1 + prng.between(-0.08, 0.08));
    points.push([
      centre[0] + (Math.cos(angle) * r) / metresPerDegLat,
      centre[1] + (Math.sin(angle) * r) / metresPerDegLng,
    ]);
  }
  points[points.length - 1] = points[0]!;
  return points;
}

function defaultName(localHour: number, sport: string): string {
  const label = sport === 'TrailRun' || sport === 'VirtualRun' ? 'Run' : sport;
  const part =
    localHour < 5
      ? 'Night'
      : localHour < 11
        ? 'Morning'
        : localHour < 13
          ? 'Lunch'
          : localHour < 17
            ? 'Afternoon'
            : localHour < 21
              ? 'Evening'
              : 'Night';
  return `${part} ${label}`;
}

const LEGACY_TYPE: Record<string, string> = {
  TrailRun: 'Run',
  MountainBikeRide: 'Ride',
  GravelRide: 'Ride',
  EMountainBikeRide: 'EBikeRide',
};

/** The deprecated `type` Strava still sends next to `sport_type`. */
export function legacyType(sportType: string): string {
  return LEGACY_TYPE[sportType] ?? sportType;
}

export interface ActivityDraft {
  sportType: string;
  name?: string;
  startMs: number;
  zone: string;
  home: [number, number];
  distance: number;
  movingTime: number;
  elevationGain: number;
  gps: boolean;
  heartrate?: { average: number; max: number };
  cadence?: number;
  trainer?: boolean;
  commute?: boolean;
  manual?: boolean;
  private?: boolean;
  workoutType?: number | null;
  gearId?: string | null;
  description?: string | null;
}

/** Builds a Strava activity (detailed representation) from a draft. */
export function buildActivity(prng: Prng, id: number, athleteId: number, draft: ActivityDraft): StravaDetailedActivity {
  const offset = utcOffsetSeconds(draft.zone, new Date(draft.startMs));
  const localMs = draft.startMs + offset * 1000;
  const elapsed = Math.round(draft.movingTime * prng.between(1, draft.sportType === 'Hike' ? 1.25 : 1.08));
  const averageSpeed = draft.movingTime > 0 ? round(draft.distance / draft.movingTime, 3) : 0;
  const points = draft.gps ? route(prng, draft.home, draft.distance, prng.chance(0.3)) : [];
  const latlng = (point: [number, number] | undefined): [number, number] | [] =>
    point ? [round(point[0], 6), round(point[1], 6)] : [];
  const isPrivate = draft.private ?? false;
  const elevLow = round(prng.between(2, 60));
  return {
    resource_state: 3,
    athlete: { id: athleteId, resource_state: 1 },
    name: draft.name ?? defaultName(new Date(localMs).getUTCHours(), draft.sportType),
    distance: round(draft.distance),
    moving_time: Math.round(draft.movingTime),
    elapsed_time: elapsed,
    total_elevation_gain: round(draft.elevationGain),
    type: legacyType(draft.sportType),
    sport_type: draft.sportType,
    workout_type: draft.workoutType ?? (draft.sportType.endsWith('Run') ? 0 : null),
    id,
    external_id: draft.manual ? null : `garmin_ping_${id + 77_000_000}`,
    upload_id: draft.manual ? null : id + 1_100_000_000,
    start_date: stravaDateTime(draft.startMs),
    start_date_local: stravaDateTime(localMs),
    timezone: stravaTimezone(draft.zone, new Date(draft.startMs).getUTCFullYear()),
    utc_offset: offset,
    start_latlng: latlng(points[0]),
    end_latlng: latlng(points[points.length - 1]),
    achievement_count: prng.chance(0.2) ? prng.int(1, 6) : 0,
    kudos_count: prng.int(0, 24),
    comment_count: prng.chance(0.15) ? prng.int(1, 4) : 0,
    athlete_count: prng.chance(0.1) ? prng.int(2, 6) : 1,
    photo_count: 0,
    total_photo_count: prng.chance(0.08) ? prng.int(1, 3) : 0,
    map: { id: `a${id}`, summary_polyline: points.length ? encodePolyline(points) : null, resource_state: 2 },
    trainer: draft.trainer ?? false,
    commute: draft.commute ?? false,
    manual: draft.manual ?? false,
    private: isPrivate,
    visibility: isPrivate ? 'only_me' : prng.chance(0.05) ? 'followers_only' : 'everyone',
    flagged: false,
    gear_id: draft.gearId ?? null,
    average_speed: averageSpeed,
    max_speed: round(averageSpeed * prng.between(1.2, 1.6), 3),
    ...(draft.cadence ? { average_cadence: round(draft.cadence) } : {}),
    has_heartrate: draft.heartrate !== undefined,
    ...(draft.heartrate
      ? { average_heartrate: round(draft.heartrate.average), max_heartrate: Math.round(draft.heartrate.max) }
      : {}),
    elev_high: round(elevLow + draft.elevationGain * prng.between(0.3, 0.6)),
    elev_low: elevLow,
    pr_count: prng.chance(0.1) ? prng.int(1, 3) : 0,
    has_kudoed: false,
    description: draft.description ?? null,
    calories: Math.round((draft.distance / 1000) * (draft.sportType.includes('Ride') ? 25 : 65)),
    device_name: draft.gps ? 'Garmin Forerunner 265' : null,
  };
}

/**
 * The shoe a run was done in: one of the athlete's two (`shoeIds`); a treadmill run records none,
 * so that some runs come without gear, as on Strava. The draw is made either way, so that the rest
 * of the world stays as it was.
 */
function shoeFor(athlete: SandboxAthlete, draw: number, treadmill: boolean): string | null {
  return treadmill ? null : shoeIds(athlete.profile.id)[draw - 1]!;
}

/** The athlete's shoes' gear ids: daily trainers, then race flats. */
export function shoeIds(athleteId: number): [string, string] {
  return [`g${athleteId % 100_000}1`, `g${athleteId % 100_000}2`];
}

interface Planned {
  startMs: number;
  athlete: SandboxAthlete;
  draft: Omit<ActivityDraft, 'startMs'>;
}

function planDay(
  prng: Prng,
  athlete: SandboxAthlete,
  dayStartUtcMs: number,
  progress: number,
  hrFrom: number,
  dayIndex: number,
): Planned[] {
  const planned: Planned[] = [];
  const localDay = new Date(dayStartUtcMs);
  const weekday = localDay.getUTCDay(); // 0 Sunday
  const weekend = weekday === 0 || weekday === 6;
  // Wall-clock start in the athlete's zone: pick a local hour, convert to UTC with the zone's offset.
  const at = (localHour: number) => {
    const localMs = dayStartUtcMs + localHour * 3600_000 + prng.int(0, 59) * 60_000 + prng.int(0, 59) * 1000;
    return localMs - utcOffsetSeconds(athlete.zone, new Date(localMs)) * 1000;
  };
  const travel = prng.chance(0.03) ? prng.pick(TEMPLATES.filter((t) => t.zone !== athlete.zone)) : undefined;
  const zone = travel?.zone ?? athlete.zone;
  const home = travel?.home ?? athlete.home;
  const pace = athlete.basePace * (1.05 - 0.07 * progress); // slowly getting faster
  const hasHr = dayIndex >= hrFrom && prng.chance(0.93);
  const hr = (base: number) =>
    hasHr ? { average: base + prng.gaussian() * 3, max: base + prng.between(9, 22) } : undefined;
  const runChance = athlete.runsPerWeek / 7 + (weekend ? 0.1 : -0.03);
  if (prng.chance(runChance)) {
    const long = weekday === 0 && prng.chance(0.7);
    const race = !long && weekend && prng.chance(0.04);
    const tempo = !long && !race && (weekday === 2 || weekday === 4) && prng.chance(0.5);
    const treadmill = !long && !race && prng.chance(0.04);
    const trail = !treadmill && !race && prng.chance(athlete.trailAffinity);
    const distance = race
      ? prng.pick([5000, 10000, 21097.5]) * prng.between(1, 1.01)
      : long
        ? prng.between(15000, 24000 + 8000 * progress)
        : prng.between(5500, 11500);
    const runPace =
      pace * (race ? 0.86 : tempo ? 0.9 : long ? 1.07 : 1.02) * (trail ? 1.25 : 1) * prng.between(0.96, 1.05);
    const sportType = treadmill ? 'VirtualRun' : trail ? 'TrailRun' : 'Run';
    planned.push({
      startMs: at(race ? 8 : weekend ? prng.int(7, 10) : prng.pick([6, 7, 12, 17, 18, 19])),
      athlete,
      draft: {
        sportType,
        name: race
          ? `${distance > 20000 ? 'Half Marathon' : distance > 9000 ? '10K' : 'Parkrun 5K'} race`
          : long
            ? prng.chance(0.5)
              ? 'Long Run'
              : undefined
            : tempo
              ? 'Tempo'
              : undefined,
        zone,
        home,
        distance,
        movingTime: (distance / 1000) * runPace,
        elevationGain: treadmill
          ? 0
          : (distance / 1000) * athlete.hilliness * (trail ? 3.5 : 1) * prng.between(0.6, 1.4),
        gps: !treadmill,
        heartrate: hr(race ? 172 : tempo ? 163 : 146),
        cadence: prng.between(82, 90),
        trainer: treadmill,
        private: prng.chance(0.03),
        workoutType: race ? 1 : long ? 2 : tempo ? 3 : 0,
        gearId: shoeFor(athlete, prng.int(1, 2), treadmill),
      },
    });
  }
  if (prng.chance(0.13)) {
    const sport = prng.pick(['Ride', 'Ride', 'Ride', 'Walk', 'Walk', 'Hike', 'Swim', 'WeightTraining']);
    const spec: Record<string, { distance: [number, number]; speed: [number, number]; climb: number; hr: number }> = {
      Ride: { distance: [15000, 70000], speed: [6, 8.5], climb: 8, hr: 135 },
      Walk: { distance: [2000, 7000], speed: [1.2, 1.6], climb: 4, hr: 100 },
      Hike: { distance: [6000, 18000], speed: [0.9, 1.3], climb: 45, hr: 125 },
      Swim: { distance: [1000, 3000], speed: [0.55, 0.8], climb: 0, hr: 130 },
      WeightTraining: { distance: [0, 0], speed: [1, 1], climb: 0, hr: 110 },
    };
    const { distance: range, speed, climb, hr: baseHr } = spec[sport]!;
    const distance = prng.between(range[0], range[1]);
    const commute = sport === 'Ride' && !weekend && prng.chance(0.3);
    planned.push({
      startMs: at(prng.pick([7, 11, 15, 17])),
      athlete,
      draft: {
        sportType: sport,
        zone,
        home,
        distance,
        movingTime: sport === 'WeightTraining' ? prng.between(1800, 3600) : distance / prng.between(speed[0], speed[1]),
        elevationGain: (distance / 1000) * climb * prng.between(0.5, 1.5),
        gps: sport !== 'Swim' && sport !== 'WeightTraining',
        heartrate: hr(baseHr),
        commute,
        manual: sport === 'WeightTraining' && prng.chance(0.5),
        private: prng.chance(0.03),
        gearId: sport === 'Ride' ? `b${athlete.profile.id % 100_000}1` : null,
      },
    });
  }
  return planned;
}

/**
 * The sandbox's deterministic world: `athleteCount` athletes (at most 5), each with about three
 * years of history ending at `endDate`, all from `seed`.
 */
export function generateWorld(seed: number, athleteCount: number, endDate: Date): SandboxWorld {
  const prng = new Prng(seed);
  const endDay = Math.floor(endDate.getTime() / DAY_MS) * DAY_MS;
  const firstDay = endDay - HISTORY_DAYS * DAY_MS;
  const athletes: SandboxAthlete[] = TEMPLATES.slice(0, Math.max(1, Math.min(athleteCount, TEMPLATES.length))).map(
    (t, index) => {
      const id = 10_000_000 + index * 17_000_000 + prng.int(0, 9_999_999);
      const created = firstDay - prng.int(30, 900) * DAY_MS;
      return {
        profile: {
          id,
          username: `${t.firstname}${t.lastname}`.toLowerCase(),
          resource_state: 2,
          firstname: t.firstname,
          lastname: t.lastname,
          bio: null,
          city: t.city,
          state: t.state,
          country: t.country,
          sex: t.sex,
          premium: index % 2 === 0,
          summit: index % 2 === 0,
          created_at: stravaDateTime(created),
          updated_at: stravaDateTime(endDay - prng.int(1, 60) * DAY_MS),
          badge_type_id: index % 2 === 0 ? 1 : 0,
          weight: round(t.sex === 'F' ? prng.between(52, 66) : prng.between(64, 82)),
          profile_medium: `https://sandbox.strava.invalid/pictures/athletes/${id}/medium.jpg`,
          profile: `https://sandbox.strava.invalid/pictures/athletes/${id}/large.jpg`,
          friend: null,
          follower: null,
        },
        zone: t.zone,
        home: t.home,
        basePace: t.basePace,
        hilliness: t.hilliness,
        runsPerWeek: t.runsPerWeek,
        trailAffinity: t.trailAffinity,
        measurementPreference: t.measurementPreference,
        weight: 0,
      };
    },
  );
  const planned: Planned[] = [];
  for (const athlete of athletes) {
    athlete.weight = athlete.profile.weight ?? 0;
    const hrFrom = prng.int(60, 400);
    const breakStart = prng.int(100, HISTORY_DAYS - 60);
    for (let day = 0; day < HISTORY_DAYS; day += 1) {
      if (day >= breakStart && day < breakStart + 21) continue; // an injury break
      planned.push(...planDay(prng, athlete, firstDay + day * DAY_MS, day / HISTORY_DAYS, hrFrom, day));
    }
  }
  planned.sort((a, b) => a.startMs - b.startMs);
  let nextId = 9_000_000_000;
  const activities = planned.map((plan) => {
    nextId += prng.int(50_000, 400_000);
    return buildActivity(prng, nextId, plan.athlete.profile.id, { ...plan.draft, startMs: plan.startMs });
  });
  return { athletes, activities, nextActivityId: nextId + 1_000_000 };
}
