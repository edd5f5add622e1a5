// What other apps' tests need of the sandbox (`@runnerly/strava-sandbox/testing`): one started in
// the test's process, reached over HTTP like Strava.
import 'reflect-metadata';
import { parseConfig } from '@runnerly/config';
import { createApp } from '../app.js';
import { StravaSandboxConfigSchema } from '../config.js';

export interface TestSandbox {
  url: string;
  close(): Promise<void>;
}

/** The sandbox in this process on a free port of 127.0.0.1, configured by `env` (`LOG_LEVEL` silent unless given). */
export async function startSandbox(env: Record<string, string>): Promise<TestSandbox> {
  const app = await createApp(parseConfig(StravaSandboxConfigSchema, { LOG_LEVEL: 'silent', ...env }));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { url, close: () => app.close() };
}

/** Each seeded run's streams and the planted fastest segments (what archive files and best-efforts tests check against). */
export { type ActivityStreams, activityStreams, type PlantedSegment, plantedSegment } from '../seed/streams.js';
