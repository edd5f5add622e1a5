export { DatabaseModule, type DatabaseOptions } from './database.module.js';
export { ensureDatabase, ensureSchema } from './ensure-database.js';
