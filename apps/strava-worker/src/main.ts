import 'reflect-metadata';
import { loadConfig } from '@runnerly/config';
import { startOperatorListener } from '@runnerly/platform';
import { createApp } from './app.js';
import { StravaWorkerConfigSchema } from './config.js';
import { PushSubscriptionService } from './webhook/push-subscription.service.js';

const config = loadConfig(StravaWorkerConfigSchema);
const app = await createApp(config);
await app.listen(config.STRAVA_WORKER_PORT, config.HOST);
await startOperatorListener(app, { port: config.STRAVA_WORKER_OPERATOR_PORT, host: config.OPERATOR_HOST });
// Strava verifies the callback while we subscribe: only once we listen.
app.get(PushSubscriptionService).ensureInBackground();
