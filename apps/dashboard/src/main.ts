import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { startOperatorListener } from '@runnerly/platform';
import { createApp } from './app.js';
import { DashboardConfigSchema } from './config.js';
import { ensureWebBuild } from './web/web-build.js';

const config = loadConfig(DashboardConfigSchema);
await ensureWebBuild();
const app = await createApp(config);
await app.listen(config.DASHBOARD_PORT, config.HOST);
await startOperatorListener(app, { port: config.DASHBOARD_OPERATOR_PORT, host: config.OPERATOR_HOST });
