import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { createApp } from './app.js';
import { DashboardConfigSchema } from './config.js';
import { ensureWebBuild } from './web/web-build.js';

const config = loadConfig(DashboardConfigSchema);
await ensureWebBuild();
const app = await createApp(config);
await app.listen(config.DASHBOARD_PORT, config.HOST);
