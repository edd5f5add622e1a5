import { Inject, Injectable } from '@nestjs/common';
import type { StravaDetailedActivity, StravaSummaryActivity } from '@runnerly/strava';
import { ClockService } from '../common/clock.service.js';
import { STRAVA_SANDBOX_CONFIG, type StravaSandboxConfig } from '../config.js';
import { Prng } from '../seed/prng.js';
import {
  buildActivity,
  generateWorld,
  legacyType,
  type SandboxAthlete,
  type SandboxWorld,
  shoeIds,
} from '../seed/world.js';
import { SettingsService } from '../settings/settings.service.js';

export interface ActivityQuery {
  before?: number;
  after?: number;
  page: number;
  perPage: number;
  includePrivate: boolean;
}

export interface NewActivity {
  name?: string;
  sport_type?: string;
  start_date?: string;
  distance?: number;
  moving_time?: number;
  total_elevation_gain?: number;
  private?: boolean;
  heartrate?: boolean;
  gps?: boolean;
  gear_id?: string | null;
}

export interface ActivityPatch {
  name?: string;
  sport_type?: string;
  private?: boolean;
  description?: string | null;
  commute?: boolean;
  trainer?: boolean;
}

const startTimes = new WeakMap<StravaDetailedActivity, number>();
/** Epoch seconds of the start, parsed once per activity. */
function startSeconds(activity: StravaDetailedActivity): number {
  let seconds = startTimes.get(activity);
  if (seconds === undefined) {
    seconds = Date.parse(activity.start_date) / 1000;
    startTimes.set(activity, seconds);
  }
  return seconds;
}

/** Pristine worlds by seed, size and last day: a reset clones one instead of generating it again. */
const pristineWorlds = new Map<string, SandboxWorld>();

function seededWorld(seed: number, athleteCount: number, end: Date): SandboxWorld {
  const key = `${seed}:${athleteCount}:${end.toISOString().slice(0, 10)}`;
  let world = pristineWorlds.get(key);
  if (!world) {
    world = generateWorld(seed, athleteCount, end);
    pristineWorlds.clear();
    pristineWorlds.set(key, world);
  }
  return structuredClone(world);
}

/** The seeded athletes and their activities, in memory. */
@Injectable()
export class AthletesService {
  private athletes = new Map<number, SandboxAthlete>();
  private activities = new Map<number, StravaDetailedActivity>();
  /** Per athlete, ordered by start time, oldest first. */
  private timelines = new Map<number, StravaDetailedActivity[]>();
  private serialised = new Map<number, string>();
  private nextActivityId = 0;
  private prng = new Prng(1);

  constructor(
    @Inject(STRAVA_SANDBOX_CONFIG) private readonly config: StravaSandboxConfig,
    private readonly settings: SettingsService,
    private readonly clock: ClockService,
  ) {
    this.reseed();
  }

  /** Back to the seeded world. */
  reseed(): void {
    const end = this.config.STRAVA_SANDBOX_HISTORY_END
      ? new Date(`${this.config.STRAVA_SANDBOX_HISTORY_END}T00:00:00Z`)
      : this.clock.now();
    const world = seededWorld(this.config.STRAVA_SANDBOX_SEED, this.config.STRAVA_SANDBOX_ATHLETES, end);
    this.athletes = new Map(world.athletes.map((athlete) => [athlete.profile.id, athlete]));
    this.activities = new Map(world.activities.map((activity) => [activity.id, activity]));
    this.timelines = new Map(world.athletes.map((athlete) => [athlete.profile.id, []]));
    for (const activity of world.activities) this.timelines.get(activity.athlete.id)!.push(activity);
    this.serialised.clear();
    this.nextActivityId = world.nextActivityId;
    this.prng = new Prng(this.config.STRAVA_SANDBOX_SEED ^ 0x5eed);
  }

  list(): SandboxAthlete[] {
    return [...this.athletes.values()];
  }

  find(id: number): SandboxAthlete | undefined {
    return this.athletes.get(id);
  }

  activityCount(athleteId: number): number {
    return this.timelines.get(athleteId)?.length ?? 0;
  }

  /** What Strava counts for a gear: the distance of every activity of the athlete with it, metres. */
  gearDistance(athleteId: number, gearId: string): number {
    let total = 0;
    for (const activity of this.timelines.get(athleteId) ?? [])
      if (activity.gear_id === gearId) total += activity.distance;
    return Math.round(total * 10) / 10;
  }

  /** The athlete's activities, oldest first. */
  activitiesOf(athleteId: number): readonly StravaDetailedActivity[] {
    return this.timelines.get(athleteId) ?? [];
  }

  findActivity(id: number): StravaDetailedActivity | undefined {
    return this.activities.get(id);
  }

  /**
   * A page of `/athlete/activities`, Strava's way: newest first, but oldest first when only
   * `after` is given; and, like Strava, some pages hold fewer items than asked before the end.
   */
  listActivities(athleteId: number, query: ActivityQuery): StravaSummaryActivity[] {
    return this.page(athleteId, query).map(toSummary);
  }

  /** The same page as JSON, from per-activity serialisations kept until the activity changes. */
  listActivitiesJson(athleteId: number, query: ActivityQuery): string {
    return `[${this.page(athleteId, query)
      .map((activity) => this.summaryJson(activity))
      .join(',')}]`;
  }

  private page(athleteId: number, query: ActivityQuery): StravaDetailedActivity[] {
    const timeline = this.timelines.get(athleteId) ?? [];
    const filtered = !query.includePrivate || query.before !== undefined || query.after !== undefined;
    let list = filtered
      ? timeline.filter(
          (activity) =>
            (query.includePrivate || !activity.private) &&
            (query.before === undefined || startSeconds(activity) < query.before) &&
            (query.after === undefined || startSeconds(activity) > query.after),
        )
      : timeline.slice();
    if (!(query.after !== undefined && query.before === undefined)) list = list.reverse();
    const { every, fraction } = this.settings.get().shortPages;
    const size = (page: number) =>
      every > 0 && page % every === 0 ? Math.max(1, Math.floor(query.perPage * fraction)) : query.perPage;
    let start = 0;
    for (let page = 1; page < query.page && start < list.length; page += 1) start += size(page);
    return list.slice(start, start + size(query.page));
  }

  private summaryJson(activity: StravaDetailedActivity): string {
    let json = this.serialised.get(activity.id);
    if (json === undefined) {
      json = JSON.stringify(toSummary(activity));
      this.serialised.set(activity.id, json);
    }
    return json;
  }

  addActivity(athleteId: number, input: NewActivity): StravaDetailedActivity {
    const athlete = this.athletes.get(athleteId)!;
    const sportType = input.sport_type ?? 'Run';
    const distance = input.distance ?? 8000;
    const startMs = input.start_date ? Date.parse(input.start_date) : this.clock.now().getTime() - 3600_000;
    const activity = buildActivity(this.prng, this.nextActivityId, athleteId, {
      sportType,
      name: input.name,
      startMs,
      zone: athlete.zone,
      home: athlete.home,
      distance,
      movingTime: input.moving_time ?? (distance / 1000) * athlete.basePace,
      elevationGain: input.total_elevation_gain ?? (distance / 1000) * athlete.hilliness,
      gps: input.gps ?? true,
      heartrate: input.heartrate === false ? undefined : { average: 148, max: 165 },
      private: input.private ?? false,
      gearId: input.gear_id === undefined ? (sportType.endsWith('Run') ? shoeIds(athleteId)[0] : null) : input.gear_id,
    });
    this.nextActivityId += this.prng.int(50_000, 400_000);
    this.activities.set(activity.id, activity);
    const timeline = this.timelines.get(athleteId)!;
    timeline.push(activity);
    timeline.sort((a, b) => startSeconds(a) - startSeconds(b));
    return activity;
  }

  /** Applies a patch; returns the activity and Strava's `updates` for the webhook. */
  updateActivity(
    id: number,
    patch: ActivityPatch,
  ): { activity: StravaDetailedActivity; updates: Record<string, string> } | undefined {
    const activity = this.activities.get(id);
    if (!activity) return undefined;
    this.serialised.delete(id);
    const updates: Record<string, string> = {};
    if (patch.name !== undefined) {
      activity.name = patch.name;
      updates.title = patch.name;
    }
    if (patch.sport_type !== undefined) {
      activity.sport_type = patch.sport_type;
      activity.type = legacyType(patch.sport_type);
      updates.type = activity.type;
    }
    if (patch.private !== undefined) {
      activity.private = patch.private;
      activity.visibility = patch.private ? 'only_me' : 'everyone';
      updates.private = String(patch.private);
    }
    if (patch.description !== undefined) activity.description = patch.description;
    if (patch.commute !== undefined) activity.commute = patch.commute;
    if (patch.trainer !== undefined) activity.trainer = patch.trainer;
    return { activity, updates };
  }

  deleteActivity(id: number): StravaDetailedActivity | undefined {
    const activity = this.activities.get(id);
    if (!activity) return undefined;
    this.activities.delete(id);
    this.serialised.delete(id);
    const timeline = this.timelines.get(activity.athlete.id)!;
    timeline.splice(timeline.indexOf(activity), 1);
    return activity;
  }
}

/** The summary representation (resource_state 2) of a stored activity. */
export function toSummary(activity: StravaDetailedActivity): StravaSummaryActivity {
  const { description: _d, calories: _c, device_name: _n, ...summary } = activity;
  return { ...summary, resource_state: 2 };
}
