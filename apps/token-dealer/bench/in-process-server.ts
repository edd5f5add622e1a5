// The bare token handler (bare-token-handler.ts) inside a running token-dealer: the app is built
// and listens on its public port as src/main.ts does (no operator listener), and POST /bare/token
// is answered by the bare handler in front of Fastify, every other request by the app. Against
// bare-server.ts, it measures what the token-dealer's process itself costs a request (its heap and
// code, its timers and connections), whatever the framework; against the app's POST /oauth/token in
// the same run, what Fastify, Nest, the platform and the dealer's checks cost.
import 'reflect-metadata';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadConfig } from '@runnerly/config';
import { createApp } from '../src/app.js';
import { TokenDealerConfigSchema } from '../src/config.js';
import { bareTokenHandler } from './bare-token-handler.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const config = loadConfig(TokenDealerConfigSchema);
const app = await createApp(config);
await app.listen(config.TOKEN_DEALER_PORT, config.HOST);
const bare = bareTokenHandler(process.env.BENCH_CLIENT_ID ?? 'bench', process.env.BENCH_CLIENT_SECRET ?? 'secret');
const server = app.getHttpServer();
const [fastify] = server.listeners('request') as Listener[];
server.removeAllListeners('request');
server.on('request', (req: IncomingMessage, res: ServerResponse) =>
  req.method === 'POST' && req.url === '/bare/token' ? bare(req, res) : fastify!(req, res),
);
