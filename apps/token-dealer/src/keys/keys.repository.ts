import type { DataSource, EntityManager } from 'typeorm';
import { SigningKeyEntity } from './signing-key.entity.js';

/** Signing keys in PostgreSQL; changes happen under an advisory lock so that instances do not race. */
export class KeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  findAll(): Promise<SigningKeyEntity[]> {
    return this.dataSource.getRepository(SigningKeyEntity).find({ order: { activatesAt: 'ASC' } });
  }

  /** Runs `fn` in a transaction holding the key-management lock. */
  withLock<T>(fn: (keys: KeysTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('token_dealer.signing_keys'))`);
      return fn(new KeysTransaction(manager));
    });
  }
}

export class KeysTransaction {
  constructor(private readonly manager: EntityManager) {}

  findAll(): Promise<SigningKeyEntity[]> {
    return this.manager.getRepository(SigningKeyEntity).find({ order: { activatesAt: 'ASC' } });
  }

  async insert(key: Omit<SigningKeyEntity, 'createdAt'>): Promise<void> {
    await this.manager.getRepository(SigningKeyEntity).insert(key as never);
  }

  /** Removes a key for good (private half included); false when there is none with this kid. */
  async delete(kid: string): Promise<boolean> {
    const result = await this.manager.getRepository(SigningKeyEntity).delete({ kid });
    return (result.affected ?? 0) > 0;
  }

  /** Every key still signing stops when the new one starts. */
  async retireSigningKeys(at: Date): Promise<void> {
    await this.manager.query(
      `UPDATE "token_dealer"."signing_keys" SET "retires_at" = $1 WHERE "retires_at" IS NULL OR "retires_at" > $1`,
      [at],
    );
  }
}
