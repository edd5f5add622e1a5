import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { createApp } from './app.js';
import { DataServiceConfigSchema } from './config.js';

const config = loadConfig(DataServiceConfigSchema);
const app = await createApp(config);
await app.listen(config.DATA_SERVICE_PORT, config.HOST);
