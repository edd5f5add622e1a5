import { Inject, Injectable, Logger } from '@nestjs/common';
import type { StravaToken } from '@runnerly/data-client';
import { DataException } from '../common/data.exception.js';
import { FOREIGN_KEY_VIOLATION, isPgError, type Queryable } from '../database/db.js';
import { StravaTokensRepository, type StoredStravaToken } from './strava-tokens.repository.js';
import { TokenCipher } from './token-cipher.js';

interface SecretPair {
  accessToken: string;
  refreshToken: string;
}

/** Encrypts athletes' Strava tokens at rest; the only way to read them back. */
@Injectable()
export class StravaTokensService {
  private readonly logger = new Logger(StravaTokensService.name);

  constructor(
    private readonly repository: StravaTokensRepository,
    @Inject(TokenCipher) private readonly cipher: TokenCipher,
  ) {}

  async get(userId: string): Promise<StravaToken> {
    const stored = await this.repository.find(userId);
    if (stored === undefined) throw DataException.userNotFound(userId);
    if (stored === null) throw DataException.stravaTokenNotFound(userId);
    const pair = JSON.parse(this.cipher.decrypt(stored, userId)) as SecretPair;
    const token = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: stored.expiresAt,
      scope: stored.scope,
    };
    if (stored.keyId !== this.cipher.currentKeyId) {
      // Key rotation: re-encrypt under the current key as tokens are read.
      await this.repository.save(userId, this.seal(userId, token));
      this.logger.log({ userId, fromKey: stored.keyId, toKey: this.cipher.currentKeyId }, 're-encrypted Strava token');
    }
    return token;
  }

  async put(userId: string, token: StravaToken, tx?: Queryable): Promise<void> {
    try {
      await this.repository.save(userId, this.seal(userId, token), tx);
    } catch (error) {
      if (isPgError(error, FOREIGN_KEY_VIOLATION)) throw DataException.userNotFound(userId);
      throw error;
    }
  }

  /** Forgets the athlete's tokens: the user stays, no longer connected. */
  async delete(userId: string): Promise<void> {
    if (!(await this.repository.delete(userId))) throw DataException.userNotFound(userId);
  }

  private seal(userId: string, token: StravaToken): StoredStravaToken {
    const pair: SecretPair = { accessToken: token.accessToken, refreshToken: token.refreshToken };
    return { ...this.cipher.encrypt(JSON.stringify(pair), userId), expiresAt: token.expiresAt, scope: token.scope };
  }
}
