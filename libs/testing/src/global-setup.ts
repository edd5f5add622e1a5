import { dropStaleTestDatabases } from './database.js';

/** Vitest global setup: clear what crashed runs left behind. */
export default async function setup(): Promise<void> {
  await dropStaleTestDatabases();
}
