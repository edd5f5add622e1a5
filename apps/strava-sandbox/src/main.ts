import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { createApp } from './app.js';
import { StravaSandboxConfigSchema } from './config.js';

const config = loadConfig(StravaSandboxConfigSchema);
const app = await createApp(config);
await app.listen(config.STRAVA_SANDBOX_PORT, config.HOST);
