import { setTimeout as sleep } from 'node:timers/promises';
import { redisClusterUnavailable, startRedisCluster, type TestRedisCluster } from '@runnerly/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevocationStore, revokedJtiKey } from '../src/revocation.store.js';

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/**
 * The revocation list and its published events on a real Redis Cluster: the jti, client and kid
 * keys lie on different slots (one MGET over them is refused there), and the mirror's subscription
 * survives the loss of its node with a new generation.
 */
describe.skipIf(redisClusterUnavailable())('RevocationStore on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let writer: RevocationStore;
  let guard: RevocationStore;
  const exp = () => Math.floor(Date.now() / 1000) + 600;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    writer = RevocationStore.connect(cluster.url);
    guard = RevocationStore.connect(cluster.url);
    guard.watch();
    await waitFor(() => guard.generation !== undefined);
  });
  afterAll(async () => {
    writer?.close();
    guard?.close();
    await cluster?.release();
  });

  it('answers for a token from its jti, client and kid keys, and mirrors each revocation', async () => {
    const at = Math.floor(Date.now() / 1000);
    await writer.revokeToken('jti-1', exp());
    await writer.revokeClient('client-1', 600, at);
    await writer.revokeKey('kid-1', 600);
    expect(await guard.isRevoked({ jti: 'jti-1', client_id: 'client-2', kid: 'kid-2' })).toBe(true);
    expect(await guard.isRevoked({ jti: 'jti-2', client_id: 'client-1', iat: at - 1, kid: 'kid-2' })).toBe(true);
    expect(await guard.isRevoked({ jti: 'jti-2', client_id: 'client-1', iat: at + 1, kid: 'kid-2' })).toBe(false);
    expect(await guard.isRevoked({ jti: 'jti-2', client_id: 'client-2', kid: 'kid-1' })).toBe(true);
    expect(await guard.isRevoked({ jti: 'jti-2', client_id: 'client-2', kid: 'kid-2' })).toBe(false);
    // Each PUBLISH may go through another node: the three messages can arrive in any order.
    await waitFor(
      () =>
        guard.isRevokedLocally({ jti: 'jti-1' }) &&
        guard.isKeyRevokedLocally('kid-1') &&
        guard.isRevokedLocally({ client_id: 'client-1', iat: at }),
    );
    expect(guard.isRevokedLocally({ client_id: 'client-1', iat: at + 1 })).toBe(false);
  });

  it("keeps the list through a primary's failover, and the mirror through the loss of its subscription's node", async () => {
    await writer.revokeToken('jti-3', exp());
    await waitFor(() => guard.isRevokedLocally({ jti: 'jti-3' }));
    await cluster.failover(revokedJtiKey('jti-3'));
    expect(await guard.isRevoked({ jti: 'jti-3' })).toBe(true);

    // The node the mirror listens on goes away: the mirror is not trusted until it has subscribed
    // again (on another node), in a new generation.
    const before = guard.generation!;
    const subscribedTo = (guard as unknown as { subscriber: Redis }).subscriber.options.port!;
    await cluster.kill(subscribedTo);
    await waitFor(() => (guard.generation ?? 0) > before);
    await writer.revokeToken('jti-4', exp());
    await waitFor(() => guard.isRevokedLocally({ jti: 'jti-4' }));
    expect(await guard.isRevoked({ jti: 'jti-4' })).toBe(true);
  });
});
