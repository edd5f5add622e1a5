export { ConfigError, loadConfig, parseConfig } from './load-config.js';
export { checkSecret, env } from './fields.js';
export { weakKeyReason, weakSecretReason } from './weak-secret.js';
export { decodeSecret, safeEqual, secretBytes } from './secrets.js';
export { findRepoRoot } from './repo-root.js';
