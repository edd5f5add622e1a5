import type { DataSource, Repository } from 'typeorm';
import { ClientEntity } from './client.entity.js';

/** Clients in PostgreSQL. */
export class ClientsRepository {
  private readonly repository: Repository<ClientEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repository = dataSource.getRepository(ClientEntity);
  }

  findById(id: string): Promise<ClientEntity | null> {
    return this.repository.findOneBy({ id });
  }

  async findAllIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(`SELECT "id" FROM "token_dealer"."clients"`)) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  findAll(): Promise<ClientEntity[]> {
    return this.repository.find({ order: { id: 'ASC' } });
  }

  /** Inserts; false when the id is taken. */
  async insert(client: Pick<ClientEntity, 'id' | 'secretHash' | 'scopes' | 'audiences'>): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO "token_dealer"."clients" ("id", "secret_hash", "scopes", "audiences") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("id") DO NOTHING RETURNING "id"`,
      [client.id, client.secretHash, client.scopes, client.audiences],
    )) as unknown[];
    return rows.length > 0;
  }

  async updateSecret(id: string, secretHash: string): Promise<boolean> {
    const result = await this.repository.update({ id }, { secretHash, secretRotatedAt: () => 'now()' });
    return (result.affected ?? 0) > 0;
  }

  async updateGrants(id: string, scopes: string[], audiences: string[]): Promise<void> {
    await this.repository.update({ id }, { scopes, audiences });
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repository.delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
