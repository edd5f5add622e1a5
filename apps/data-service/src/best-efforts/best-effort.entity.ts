import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** The fastest time for one standard distance within one run (the migration owns the foreign key to runs). */
@Entity({ name: 'best_efforts', schema: DATA_SCHEMA })
// (user_id, distance, start_date, strava_id) INCLUDE (elapsed_time): the migration owns it (TypeORM knows no INCLUDE).
@Index('best_efforts_user_distance_start_idx', { synchronize: false })
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

  /** The run's start date, copied when the efforts are written: bests read their index in date order. */
  @Column({ name: 'start_date', type: 'timestamptz' })
  startDate!: Date;
}
