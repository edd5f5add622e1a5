import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { safeEqual } from '@runnerly/config';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QueueStatsService } from './queue-stats.service.js';

export const BULL_BOARD_PATH = '/queues/board';
export const BULL_BOARD_USER = 'operator';

/**
 * Bull Board (the queue UI: retry, clean, empty, add jobs) under /queues/board, for operators
 * holding `password` (HTTP Basic, user `operator`). The worker's port also takes Strava's webhooks
 * from the internet, so without a password there is no board at all.
 */
export async function mountBullBoard(app: NestFastifyApplication, password: string | undefined): Promise<boolean> {
  if (!password) return false;
  const expected = `${BULL_BOARD_USER}:${password}`;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: app.get(QueueStatsService).queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })),
    serverAdapter,
  });
  const board = serverAdapter.registerPlugin() as never;
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const [scheme, credentials = ''] = (request.headers.authorization ?? '').split(' ');
      const given = scheme === 'Basic' ? Buffer.from(credentials, 'base64').toString('utf8') : '';
      if (safeEqual(given, expected)) return;
      await reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Runnerly queues", charset="UTF-8"')
        .send({
          error: 'unauthorized',
          message: `the queue board needs the operator's credentials (user ${BULL_BOARD_USER}, STRAVA_WORKER_BOARD_PASSWORD)`,
        });
    });
    // BullMQ refusing an action for the job's state (promote a job that is not delayed, retry one
    // that has not failed, a job removed meanwhile): the operator's request, answered 409, not 500.
    scope.addHook('onSend', async (_request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (reply.statusCode !== 500 || typeof payload !== 'string') return payload;
      const message = messageOf(payload);
      if (!/is not in the \w+ state|Missing key for job|Missing lock for job|could not be found/i.test(message))
        return payload;
      reply.code(409);
      return JSON.stringify({ error: 'conflict', message });
    });
    await scope.register(board, { prefix: BULL_BOARD_PATH });
  });
  return true;
}

/** The `message` of a JSON error body (the escapes undone), or '' when there is none. */
function messageOf(payload: string): string {
  try {
    const { message } = JSON.parse(payload) as { message?: unknown };
    return typeof message === 'string' ? message : '';
  } catch {
    return '';
  }
}
