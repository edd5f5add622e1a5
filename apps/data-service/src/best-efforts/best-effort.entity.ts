import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** The fastest time for one standard distance within one run (the migration owns the foreign key to runs). */
@Entity({ name: 'best_efforts', schema: DATA_SCHEMA })
@Index('best_efforts_user_distance_idx', ['userId', 'distance', 'elapsedTime'])
@Check(`source IN ('streams', 'distance', 'summary')`)
export class BestEffortEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'strava_id', type: 'bigint' })
  stravaId!: string;

  /** Metres: one of @runnerly/best-efforts' STANDARD_DISTANCES. */
  @PrimaryColumn({ type: 'double precision' })
  distance!: number;

  /** Seconds, fractional. */
  @Column({ name: 'elapsed_time', type: 'double precision' })
  elapsedTime!: number;

  /** Seconds from the start of the run. */
  @Column({ name: 'start_offset', type: 'double precision' })
  startOffset!: number;

  @Column({ type: 'text' })
  source!: string;
}
