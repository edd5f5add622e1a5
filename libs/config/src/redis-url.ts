/** Where the apps' Redis is: one server, or the seed nodes of a Redis Cluster. */
export interface RedisTarget {
  cluster: boolean;
  /** One node for a single server; the seed nodes of a cluster (any of them will do, all is best). */
  nodes: Array<{ host: string; port: number }>;
  username?: string;
  password?: string;
  tls: boolean;
  /** The logical database (single server only: a cluster has database 0 alone). */
  db: number;
}

const SINGLE = ['redis:', 'rediss:'];
const CLUSTER = ['redis-cluster:', 'rediss-cluster:'];

/**
 * Reads REDIS_URL: `redis://[user:…@]host:port[/db]` (`rediss://` for TLS) for one server, or
 * `redis-cluster://[user:…@]host:port,host:port,…` (`rediss-cluster://` for TLS) for a Redis
 * Cluster, naming its seed nodes. A comma-separated host list is not a WHATWG URL, so each node is
 * read as a URL of its own. Throws on anything else.
 */
export function parseRedisUrl(value: string): RedisTarget {
  const scheme = /^([a-z-]+:)\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined || (!SINGLE.includes(scheme) && !CLUSTER.includes(scheme)))
    throw new Error(`must be a URL starting with ${[...SINGLE, ...CLUSTER].map((p) => `${p}//`).join(', ')}`);
  const cluster = CLUSTER.includes(scheme);
  const rest = value.slice(scheme.length + 2);
  const at = rest.lastIndexOf('@', rest.search(/[/?]|$/));
  const auth = at >= 0 ? rest.slice(0, at + 1) : '';
  const afterAuth = rest.slice(auth.length);
  const hostsEnd = afterAuth.search(/[/?]|$/);
  const hosts = afterAuth.slice(0, hostsEnd).split(',');
  const tail = afterAuth.slice(hostsEnd);
  if (!cluster && hosts.length > 1) throw new Error('names several hosts: use redis-cluster:// for a Redis Cluster');
  const urls = hosts.map((host) => {
    if (!host) throw new Error('has an empty host');
    return new URL(`redis://${auth}${host}${tail}`);
  });
  const first = urls[0]!;
  const db = first.pathname.length > 1 ? Number(first.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`has an invalid database number ${first.pathname.slice(1)}`);
  if (cluster && db !== 0) throw new Error('selects a database: a Redis Cluster has database 0 only');
  return {
    cluster,
    nodes: urls.map((url) => ({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) })),
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    tls: scheme.startsWith('rediss'),
    db,
  };
}
