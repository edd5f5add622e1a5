import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { StravaDetailedActivity } from '@runnerly/strava';
import { type ArchiveActivityInput, type ArchiveFileFormat, writeStravaArchive } from '@runnerly/strava-archive';
import { SandboxAdminErrorCode, SandboxAdminException } from '../admin/admin.service.js';
import { AthletesService } from '../athletes/athletes.service.js';
import { activityStreams, plantedSegment } from '../seed/streams.js';

/** Every format Strava keeps uploads in; GPX only where the track is there (it has no distance of its own). */
const WITH_TRACK: ArchiveFileFormat[] = ['fit.gz', 'gpx', 'gpx.gz', 'tcx.gz'];
/** Formats that carry the distance stream itself: planted segments come back to the second. */
const WITH_DISTANCE: ArchiveFileFormat[] = ['fit.gz', 'tcx.gz'];

/**
 * The athlete's archive as Strava would send it: the same activities the API serves, in
 * activities.csv and as files in mixed formats (some with blanks before `<?xml`), none for manual
 * activities; each file written from the activity's streams, so planted segments come back exact.
 */
@Injectable()
export class ArchiveService {
  constructor(private readonly athletes: AthletesService) {}

  /** Writes the ZIP to `output` as it is read (a 3,000-activity archive is never whole in memory). */
  write(athleteId: number, output: Writable): Promise<void> {
    if (!this.athletes.find(athleteId))
      throw new SandboxAdminException(SandboxAdminErrorCode.AthleteNotFound, `no sandbox athlete ${athleteId}`, 404);
    // A snapshot of the list: activities added while the ZIP streams out are in the next archive.
    const activities = [...this.athletes.activitiesOf(athleteId)].map(toArchiveActivity);
    return writeStravaArchive(activities, output);
  }
}

export function archiveFormat(activity: StravaDetailedActivity): ArchiveFileFormat {
  const choices = plantedSegment(activity) || !activity.map?.summary_polyline ? WITH_DISTANCE : WITH_TRACK;
  return choices[Math.floor(activity.id / 7) % choices.length]!;
}

function toArchiveActivity(activity: StravaDetailedActivity): ArchiveActivityInput {
  const input: ArchiveActivityInput = {
    id: activity.id,
    name: activity.name,
    type: activity.sport_type,
    startDate: new Date(activity.start_date),
    utcOffsetSeconds: activity.utc_offset,
    elapsedTime: activity.elapsed_time,
    movingTime: activity.moving_time,
    distance: activity.distance,
    totalElevationGain: activity.total_elevation_gain,
    averageSpeed: activity.average_speed,
    maxSpeed: activity.max_speed,
    averageHeartrate: activity.average_heartrate ?? null,
    maxHeartrate: activity.max_heartrate ?? null,
  };
  if (!activity.manual && activity.moving_time > 0) {
    input.file = {
      format: archiveFormat(activity),
      leadingBlanks: activity.id % 5 === 0,
      streams: () => {
        const streams = activityStreams(activity)!;
        return {
          time: streams.time,
          distance: streams.distance,
          ...(streams.latlng ? { latlng: streams.latlng } : {}),
        };
      },
    };
  }
  return input;
}
