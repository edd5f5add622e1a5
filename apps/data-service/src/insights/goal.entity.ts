import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DATA_SCHEMA } from '../database/schema.js';

/** The distance an athlete means to run in a calendar year. */
@Entity({ name: 'goals', schema: DATA_SCHEMA })
export class GoalEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'integer' })
  year!: number;

  /** Metres. */
  @Column({ type: 'double precision' })
  distance!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
