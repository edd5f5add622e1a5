import { Injectable } from '@nestjs/common';
import { AppException } from '@runnerly/platform';
import type { StravaDetailedActivity } from '@runnerly/strava';
import type { z } from 'zod';
import { type ActivityPatch, AthletesService, type NewActivity } from '../athletes/athletes.service.js';
import { ClockService } from '../common/clock.service.js';
import { OAuthService } from '../oauth/oauth.service.js';
import { RateLimitService } from '../rate-limit/rate-limit.service.js';
import { RequestLogService } from '../rate-limit/request-log.service.js';
import { type PlantedSegment, plantedSegment } from '../seed/streams.js';
import { SettingsService } from '../settings/settings.service.js';
import { type Delivery, WebhooksService } from '../webhooks/webhooks.service.js';
import type { SettingsPatchSchema } from './admin.dto.js';

export enum SandboxAdminErrorCode {
  AthleteNotFound = 'athlete_not_found',
  ActivityNotFound = 'activity_not_found',
}

export class SandboxAdminException extends AppException<SandboxAdminErrorCode> {}

/** What tests and demos do to the sandbox: change activities (firing webhooks), tokens, limits. */
@Injectable()
export class AdminService {
  constructor(
    private readonly athletes: AthletesService,
    private readonly oauth: OAuthService,
    private readonly webhooks: WebhooksService,
    private readonly settings: SettingsService,
    private readonly rateLimits: RateLimitService,
    private readonly requests: RequestLogService,
    private readonly clock: ClockService,
  ) {}

  listAthletes() {
    const connected = this.oauth.connectedAthletes();
    return this.athletes.list().map((athlete) => ({
      ...athlete.profile,
      timezone: athlete.zone,
      activity_count: this.athletes.activityCount(athlete.profile.id),
      connected: connected.has(athlete.profile.id),
    }));
  }

  /** The athlete's runs with a planted fastest segment (see seed/streams.ts), oldest first. */
  plantedSegments(athleteId: number): PlantedSegment[] {
    this.requireAthlete(athleteId);
    return this.athletes
      .activitiesOf(athleteId)
      .map((activity) => plantedSegment(activity))
      .filter((segment): segment is PlantedSegment => segment !== undefined);
  }

  addActivity(athleteId: number, input: NewActivity): { activity: StravaDetailedActivity; webhook?: Delivery } {
    this.requireAthlete(athleteId);
    const activity = this.athletes.addActivity(athleteId, input);
    const webhook = this.notify({
      object_type: 'activity',
      object_id: activity.id,
      aspect_type: 'create',
      updates: {},
      owner_id: athleteId,
    });
    return { activity, webhook };
  }

  updateActivity(id: number, patch: ActivityPatch): { activity: StravaDetailedActivity; webhook?: Delivery } {
    const result = this.athletes.updateActivity(id, patch);
    if (!result) throw this.activityNotFound(id);
    const webhook = this.notify({
      object_type: 'activity',
      object_id: id,
      aspect_type: 'update',
      updates: result.updates,
      owner_id: result.activity.athlete.id,
    });
    return { activity: result.activity, webhook };
  }

  deleteActivity(id: number): { webhook?: Delivery } {
    const activity = this.athletes.deleteActivity(id);
    if (!activity) throw this.activityNotFound(id);
    return {
      webhook: this.notify({
        object_type: 'activity',
        object_id: id,
        aspect_type: 'delete',
        updates: {},
        owner_id: activity.athlete.id,
      }),
    };
  }

  mintTokens(athleteId: number, scopes: string[]) {
    this.requireAthlete(athleteId);
    return this.oauth.mint(athleteId, scopes);
  }

  expireTokens(target: { accessToken?: string; athleteId?: number }, inSeconds: number) {
    return { expired: this.oauth.expire(target, inSeconds) };
  }

  revokeAthlete(athleteId: number) {
    this.requireAthlete(athleteId);
    return { revoked: this.oauth.revokeAthlete(athleteId) };
  }

  updateSettings(patch: z.output<typeof SettingsPatchSchema>) {
    const { usage, ...rest } = patch;
    this.settings.update(rest);
    if (usage) this.rateLimits.setUsage(usage.fifteenMinute, usage.daily);
    return this.state();
  }

  state() {
    return {
      settings: this.settings.get(),
      rateLimits: this.rateLimits.snapshot(),
      now: this.clock.now().toISOString(),
    };
  }

  requestCounts() {
    return this.requests.snapshot();
  }

  deliveries() {
    return this.webhooks.deliveries();
  }

  advanceClock(seconds: number) {
    this.clock.advance(seconds);
    return { now: this.clock.now().toISOString() };
  }

  /** Back to the state right after start: seeded world, no tokens, no subscription, zero counts. */
  reset(): void {
    this.clock.reset();
    this.settings.reset();
    this.athletes.reseed();
    this.oauth.reset();
    this.webhooks.reset();
    this.rateLimits.reset();
    this.requests.reset();
  }

  /** Like Strava, events only go out about athletes who authorized the application. */
  private notify(event: Parameters<WebhooksService['publish']>[0]): Delivery | undefined {
    return this.oauth.connectedAthletes().has(event.owner_id) ? this.webhooks.publish(event) : undefined;
  }

  private requireAthlete(id: number): void {
    if (!this.athletes.find(id)) {
      throw new SandboxAdminException(SandboxAdminErrorCode.AthleteNotFound, `no sandbox athlete ${id}`, 404);
    }
  }

  private activityNotFound(id: number): SandboxAdminException {
    return new SandboxAdminException(SandboxAdminErrorCode.ActivityNotFound, `no sandbox activity ${id}`, 404);
  }
}
