export { type DatabaseOptions, dataSourceOptions, openDatabase } from './data-source.js';
export { DatabaseModule } from './database.module.js';
