// The limit for the token endpoint: a bare node:http server doing the same work per request as the
// token-dealer (bare-token-handler.ts) and nothing else.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bareTokenHandler } from './bare-token-handler.js';

const server = createServer(
  bareTokenHandler(process.env.BENCH_CLIENT_ID ?? 'bench', process.env.BENCH_CLIENT_SECRET ?? 'secret'),
);
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
