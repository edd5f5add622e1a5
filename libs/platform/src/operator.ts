import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type INestApplication, Logger, NotFoundException } from '@nestjs/common';

/**
 * Operators' routes (metrics, API docs, queue boards) are served only on the operator listener, a
 * second `node:http` server bound to a private address (127.0.0.1 by default) that hands its
 * requests to the same framework handler as the public one. A request is known to come from it by
 * its socket.
 */
const operatorSockets = new WeakSet<Socket>();
const operatorServers = new WeakMap<INestApplication, Server>();

/** Served on every service's operator listener only. */
export const DEFAULT_OPERATOR_ROUTES = ['/metrics', '/docs', '/openapi.json', '/openapi.yaml'];

/** Whether `req` came in through the operator listener. */
export function isOperatorRequest(req: IncomingMessage | { raw?: IncomingMessage; socket?: Socket }): boolean {
  const raw = (req as { raw?: IncomingMessage }).raw ?? (req as IncomingMessage);
  return raw.socket !== undefined && operatorSockets.has(raw.socket);
}

/** A path needing no normalising (no encoding, upper case, `;`, `\\` or empty segment), then any query or fragment. */
const PLAIN_PATH = /^((?:\/[a-z0-9._~-]+)+)(?:[?#].*)?$/s;

/**
 * The path as any router could read it: percent-decoded, lower-cased, without query, matrix
 * parameters, repeated or trailing slashes. Wider than what any one router matches, on purpose:
 * blocking `/METRICS/` on the public listener costs nothing, missing it would leak the route.
 */
function normalisePath(url: string): string {
  // Most request paths are already in that form: lower-case segments of plain characters.
  const plain = PLAIN_PATH.exec(url);
  if (plain) return plain[1]!;
  let path = url.split('?')[0]?.split('#')[0] ?? '';
  for (let i = 0; i < 3; i += 1) {
    try {
      const decoded = decodeURIComponent(path);
      if (decoded === path) break;
      path = decoded;
    } catch {
      break;
    }
  }
  return `/${path.split(';')[0]?.toLowerCase().replace(/\\/g, '/').split('/').filter(Boolean).join('/') ?? ''}`;
}

/**
 * A test of whether a URL (a request URL or a route pattern) falls under one of `routes` (prefixes,
 * whole segments), with the routes normalised once; route patterns, a handful per app, are
 * remembered with their answer (request URLs, which callers choose, are not).
 */
export function operatorPathMatcher(routes: readonly string[]): {
  url(url: string | undefined): boolean;
  routePattern(pattern: string | undefined): boolean;
} {
  const prefixes = routes.map(normalisePath);
  const url = (value: string | undefined): boolean => {
    if (!value) return false;
    const path = normalisePath(value);
    return prefixes.some(
      (prefix) => path === prefix || path.startsWith(`${prefix}/`) || (prefix === '/docs' && path.startsWith('/docs-')),
    );
  };
  const patterns = new Map<string, boolean>();
  return {
    url,
    routePattern(pattern) {
      if (pattern === undefined) return false;
      let answer = patterns.get(pattern);
      if (answer === undefined) patterns.set(pattern, (answer = url(pattern)));
      return answer;
    },
  };
}

/** Whether `url` (a request URL or a route pattern) falls under one of `routes` (prefixes, whole segments). */
export function isOperatorPath(url: string | undefined, routes: readonly string[]): boolean {
  return operatorPathMatcher(routes).url(url);
}

/** The 404 an unknown route gets, so that the public listener does not even say the route exists. */
export function operatorRouteNotFound(method: string | undefined, url: string | undefined): NotFoundException {
  return new NotFoundException(`Cannot ${method ?? 'GET'} ${url?.split('?')[0] ?? '/'}`);
}

export interface OperatorListenerOptions {
  port: number;
  host: string;
}

/**
 * Starts the app's operator listener (call after `app.listen`, once the framework is ready). Closed
 * with the app. Resolves to the bound address (port 0: a free one).
 */
export async function startOperatorListener(
  app: INestApplication,
  options: OperatorListenerOptions,
): Promise<AddressInfo> {
  if (operatorServers.has(app)) throw new Error('the operator listener is already started');
  // Its routes must all be registered before it hands a request to the framework (listen does this).
  await app.init();
  const instance = app.getHttpAdapter().getInstance() as { ready?: () => PromiseLike<unknown> };
  if (app.getHttpAdapter().getType() === 'fastify') await instance.ready?.();
  const handler = frameworkHandler(app);
  const server = createServer((req, res) => handler(req, res));
  server.on('connection', (socket: Socket) => operatorSockets.add(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  operatorServers.set(app, server);
  const address = server.address() as AddressInfo;
  new Logger('Operator').log(`operator listener on ${urlOf(address)} (metrics, docs, operator routes)`);
  // Closed with the public server: Nest's app.close() ends by closing its HTTP adapter. (Replacing
  // app.close itself does not take: Nest hands out a proxy of the app.)
  const adapter = app.getHttpAdapter();
  const closeAdapter = adapter.close.bind(adapter);
  adapter.close = async () => {
    await closeServer(server);
    operatorServers.delete(app);
    return closeAdapter();
  };
  return address;
}

/** The operator listener's address, once started. */
export function operatorAddress(app: INestApplication): AddressInfo | undefined {
  return operatorServers.get(app)?.address() as AddressInfo | undefined;
}

/** The operator listener's base URL (`http://127.0.0.1:PORT`), once started. */
export function operatorUrl(app: INestApplication): string {
  const address = operatorAddress(app);
  if (!address) throw new Error('the operator listener is not started');
  return urlOf(address);
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** The function the public server hands its requests to: Fastify's router or the Express app. */
function frameworkHandler(app: INestApplication): Handler {
  const adapter = app.getHttpAdapter();
  const instance = adapter.getInstance() as { routing?: Handler } | Handler;
  if (adapter.getType() === 'fastify' && 'routing' in instance && typeof instance.routing === 'function') {
    return instance.routing.bind(instance);
  }
  if (typeof instance === 'function') return instance;
  throw new Error(`no request handler for the ${adapter.getType()} adapter`);
}

function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Requests still running end on their own; keep-alive sockets would hold close() until their timeout.
  const timer = setTimeout(() => server.closeAllConnections(), 5000);
  timer.unref();
  return closed.finally(() => clearTimeout(timer));
}
