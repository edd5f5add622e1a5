import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { startOperatorListener } from '@runnerly/platform';
import { createApp } from './app.js';
import { DataServiceConfigSchema } from './config.js';

const config = loadConfig(DataServiceConfigSchema);
const app = await createApp(config);
await app.listen(config.DATA_SERVICE_PORT, config.HOST);
await startOperatorListener(app, { port: config.DATA_SERVICE_OPERATOR_PORT, host: config.OPERATOR_HOST });
