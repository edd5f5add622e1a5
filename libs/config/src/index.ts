export { ConfigError, loadConfig, parseConfig } from './load-config.js';
export { env } from './fields.js';
export { findRepoRoot } from './repo-root.js';
