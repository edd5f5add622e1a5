import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One runner for the whole repo. Unit specs sit next to the code (`*.spec.ts`); integration tests
// (`test/**/*.test.ts`) run against the machine's real PostgreSQL and Redis, each test file with a
// database and a Redis db of its own (see @runnerly/testing).
export default defineConfig({
  plugins: [swc.vite({ jsc: { transform: { legacyDecorator: true, decoratorMetadata: true } } })],
  test: {
    include: [
      '{apps,libs}/*/src/**/*.spec.ts',
      'apps/dashboard/web/src/**/*.spec.ts',
      '{apps,libs}/*/{src,test}/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['@runnerly/testing/global-setup', 'apps/dashboard/test/global-setup.ts'],
    env: { TZ: 'UTC', LOG_LEVEL: 'silent' },
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-artifacts/junit.xml' },
  },
});
