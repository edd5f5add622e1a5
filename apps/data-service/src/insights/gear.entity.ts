import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** One of an athlete's shoes as Strava lists it, with the runner's retirement threshold. */
@Entity({ name: 'gear', schema: DATA_SCHEMA })
export class GearEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'gear_id', type: 'text' })
  gearId!: string;

  /** Null for gear seen on runs but never listed by Strava (a threshold was set for it). */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ name: 'is_primary', type: 'boolean', default: false })
  isPrimary!: boolean;

  @Column({ type: 'boolean', default: false })
  retired!: boolean;

  @Column({ name: 'strava_distance', type: 'double precision', nullable: true })
  stravaDistance!: number | null;

  /** Metres. */
  @Column({ name: 'retire_at', type: 'double precision', default: 800_000 })
  retireAt!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
