import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// A port that the kernel hands out for `listen(0)` comes from its ephemeral range, where every
// outgoing connection of every process also takes its local port: a stack that binds such a port
// seconds later (after PostgreSQL's initdb, say) may find a client connection on it
// (EADDRINUSE). So ports are handed out from below that range, which only explicit binds use, and
// each test process (Vitest's pool id) from a slice of its own, in turn.
const SLICE = 1_000;
const SLICES = 8;

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32_768; // Linux's default
  }
}

const sliceStart = ephemeralRangeStart() - (SLICES - (Number(process.env.VITEST_POOL_ID ?? 0) % SLICES)) * SLICE;
// A random start, so that processes outside Vitest (slice 0) and a pool's successive processes do
// not all try the same ports first.
let offset = Math.floor(Math.random() * SLICE);

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** A TCP port free on 127.0.0.1 right now (for child processes that need a port up front). */
export async function freePort(): Promise<number> {
  if (sliceStart >= 1024) {
    for (let tried = 0; tried < SLICE; tried++) {
      const port = await listenOnce(sliceStart + (offset++ % SLICE));
      if (port !== undefined) return port;
    }
  }
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}
