// `scripts/start.ts` (what `pnpm start` runs) as a child process, for the tests that start the
// whole stack the way a developer does.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Starts the stack with exactly `env`; every chunk of its stdout and stderr goes to `onOutput`. */
export function spawnStartScript(env: NodeJS.ProcessEnv, onOutput: (chunk: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'scripts/start.ts'], {
    cwd: root,
    env,
  });
  child.stdout!.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => onOutput(chunk.toString()));
  return child;
}

/**
 * Resolves once the stack prints "Runnerly is up"; rejects, with the end of its output, when it
 * exits, reports a service not ready, or is not up within `timeoutMs`.
 */
export function untilStackIsUp(stack: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack did not come up:\n${output().slice(-4000)}`)),
      timeoutMs,
    );
    const check = () => {
      if (output().includes('Runnerly is up')) {
        clearTimeout(timer);
        resolve();
      } else if (stack.exitCode !== null || output().includes('Not ready')) {
        clearTimeout(timer);
        reject(new Error(`the stack failed to start:\n${output().slice(-4000)}`));
      } else setTimeout(check, 200);
    };
    check();
  });
}
