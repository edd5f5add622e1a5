import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Spellings a router might still match for `path`: case, trailing and doubled slashes, percent-encoding. */
export function pathSpellings(path: string): string[] {
  const [first = '', ...rest] = path.slice(1);
  const encoded = `/%${first.charCodeAt(0).toString(16)}${rest.join('')}`;
  return [path, path.toUpperCase(), `${path}/`, `/${path}`, encoded, `${path};x`, `${path}?x=1`];
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written on stdout and stderr so far. */
  output(): string;
  /** The operator listener's URL, read from the line it logs when it binds. */
  operatorUrl(): Promise<string>;
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * The real process of an app (`src/main.ts` in `appDir`) with `env` over the test's environment:
 * what `pnpm --filter … start` runs.
 */
export function spawnService(appDir: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited: () => exit,
    async operatorUrl() {
      for (let attempt = 0; attempt < 1200; attempt += 1) {
        const found = /operator listener on (http:\/\/[^\s"]+)/.exec(output);
        if (found?.[1]) return found[1];
        if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${output}`);
        await sleep(50);
      }
      throw new Error(`the service did not start its operator listener: ${output}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
