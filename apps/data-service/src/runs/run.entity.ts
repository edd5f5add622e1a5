import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** One activity of an athlete, unique by (user, Strava id). */
@Entity({ name: 'runs', schema: DATA_SCHEMA })
@Index('runs_user_start_date_idx', ['userId', 'startDate', 'stravaId'])
export class RunEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'strava_id', type: 'bigint' })
  stravaId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'sport_type', type: 'text' })
  sportType!: string;

  @Column({ name: 'start_date', type: 'timestamptz' })
  startDate!: Date;

  /** The athlete's wall clock where the run started: what the local-calendar stats group by. */
  @Column({ name: 'start_date_local', type: 'timestamp' })
  startDateLocal!: Date;

  @Column({ type: 'text', nullable: true })
  timezone!: string | null;

  @Column({ type: 'double precision' })
  distance!: number;

  @Column({ name: 'moving_time', type: 'integer' })
  movingTime!: number;

  @Column({ name: 'elapsed_time', type: 'integer' })
  elapsedTime!: number;

  @Column({ name: 'total_elevation_gain', type: 'double precision' })
  totalElevationGain!: number;

  @Column({ name: 'average_speed', type: 'double precision' })
  averageSpeed!: number;

  @Column({ name: 'max_speed', type: 'double precision' })
  maxSpeed!: number;

  @Column({ name: 'average_heartrate', type: 'double precision', nullable: true })
  averageHeartrate!: number | null;

  @Column({ name: 'max_heartrate', type: 'double precision', nullable: true })
  maxHeartrate!: number | null;

  @Column({ name: 'summary_polyline', type: 'text', nullable: true })
  summaryPolyline!: string | null;

  /** Strava's gear (shoe) id. */
  @Column({ name: 'gear_id', type: 'text', nullable: true })
  gearId!: string | null;
  /** Where the run's best efforts came from; null while the enrichment has not computed them. */
  @Column({ name: 'efforts_source', type: 'text', nullable: true })
  effortsSource!: string | null;

  @Column({ name: 'efforts_computed_at', type: 'timestamptz', nullable: true })
  effortsComputedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
