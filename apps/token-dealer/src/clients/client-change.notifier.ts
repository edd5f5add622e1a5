import type { RedisClient } from '@runnerly/platform';
import type { ClientChangeNotifier } from './clients.service.js';

export const CLIENT_CHANGES_CHANNEL = 'runnerly:token-dealer:client-changed';

export class RedisClientChangeNotifier implements ClientChangeNotifier {
  constructor(private readonly redis: RedisClient) {}

  /** Best effort: servers forget cached clients after a few seconds anyway. */
  async clientChanged(id: string): Promise<void> {
    await this.redis.publish(CLIENT_CHANGES_CHANNEL, id).catch(() => undefined);
  }
}
