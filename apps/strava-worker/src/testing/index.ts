// What other apps' tests need of the strava-worker (`@runnerly/strava-worker/testing`): one started
// in the test's process, processing the sync jobs its Redis holds.
import 'reflect-metadata';
import { parseConfig } from '@runnerly/config';
import { createApp } from '../app.js';
import { StravaWorkerConfigSchema } from '../config.js';

export interface TestWorker {
  url: string;
  close(): Promise<void>;
}

/** The worker in this process on a free port of 127.0.0.1, configured by `env` (`LOG_LEVEL` silent unless given). */
export async function startWorker(env: Record<string, string>): Promise<TestWorker> {
  const app = await createApp(parseConfig(StravaWorkerConfigSchema, { LOG_LEVEL: 'silent', ...env }));
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), close: () => app.close() };
}
