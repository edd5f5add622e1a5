export { ConfigError, loadConfig, parseConfig } from './load-config.js';
export { checkSecret, env } from './fields.js';
export { weakKeyReason, weakSecretReason } from './weak-secret.js';
export { decodeSecret, safeEqual, secretBytes } from './secrets.js';
export {
  SEALED_IV_BYTES,
  SEALED_TAG_BYTES,
  type Sealed,
  SealedBox,
  SealedBoxError,
  type SealingKey,
} from './sealed-box.js';
export { findRepoRoot } from './repo-root.js';
export { parseRedisUrl, type RedisTarget } from './redis-url.js';
