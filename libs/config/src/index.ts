export { ConfigError, loadConfig, parseConfig } from './load-config.js';
export { checkSecret, env } from './fields.js';
export { weakKeyReason, weakSecretReason } from './weak-secret.js';
export { findRepoRoot } from './repo-root.js';
