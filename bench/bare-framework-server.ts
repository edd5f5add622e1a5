// The baseline for a service's trivial route: a bare Fastify or Express app (`fastify` or `express`
// as the argument) answering GET /health/live with the same JSON body, and nothing else (no request
// logging, no metrics, no request ids). Logs `listening PORT` once bound.
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';

const framework = process.argv[2];
const live = { status: 'ok' };

if (framework === 'fastify') {
  const app = Fastify();
  app.get('/health/live', async () => live);
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`listening ${(app.server.address() as AddressInfo).port}\n`);
} else if (framework === 'express') {
  const app = express();
  app.get('/health/live', (_req, res) => {
    res.json(live);
  });
  const server = app.listen(0, '127.0.0.1', () =>
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`),
  );
} else {
  throw new Error(`usage: bare-framework-server.ts fastify|express (got ${framework})`);
}
