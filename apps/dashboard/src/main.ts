import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { createApp } from './app.js';
import { DashboardConfigSchema } from './config.js';

const config = loadConfig(DashboardConfigSchema);
const app = await createApp(config);
await app.listen(config.DASHBOARD_PORT, config.HOST);
