import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartServiceOptions {
  /** The directory the script runs in: an app's directory for its `src/main.ts`. */
  cwd: string;
  /** Node's arguments after the TypeScript loader. Default `['src/main.ts']`, what `pnpm --filter … start` runs. */
  args?: string[];
  /** Node options before the loader (e.g. `--expose-gc`). */
  nodeOptions?: string[];
  /** Over the test's environment. */
  env?: Record<string, string>;
  /** Resolve once this URL answers 2xx. Without it, the process is returned as soon as spawned. */
  readyUrl?: string;
  /** Bound on the wait for `readyUrl` (and on `waitForLine`). Default 60 s. */
  timeoutMs?: number;
  /** `stop()`: SIGTERM, then SIGKILL after this long. Default 5 s. */
  killAfterMs?: number;
  /** An IPC channel to the child (`child.send`, `message` events). */
  ipc?: boolean;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written on stdout and stderr so far. */
  output(): string;
  /** The first match of `pattern` in the output, waiting for it (fails if the process exits first). */
  waitForLine(pattern: RegExp): Promise<RegExpExecArray>;
  /** The operator listener's URL, read from the line it logs when it binds. */
  operatorUrl(): Promise<string>;
  exited(): Promise<number | null>;
  /** SIGTERM, then SIGKILL after the bound; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once: requests in flight and open transactions die with it. */
  kill(): Promise<void>;
}

const POLL_MS = 50;

/**
 * A service's real process (Node with the SWC loader running `args` in `cwd`, `env` over the
 * test's environment), its output kept, started and (with `readyUrl`) waited for.
 */
export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const { cwd, args = ['src/main.ts'], env = {}, timeoutMs = 60_000, killAfterMs = 5_000 } = options;
  const child = spawn(
    process.execPath,
    [...(options.nodeOptions ?? []), '--import', '@swc-node/register/esm-register', ...args],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    },
  );
  const name = `${args.join(' ').slice(0, 100)} in ${cwd}`;
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;

  /** Polls `check` until it yields a value, the process exits or the bound passes. */
  async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await check();
      if (value !== undefined) return value;
      if (!running())
        throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before ${what}: ${output}`);
      await sleep(POLL_MS);
    }
    throw new Error(`${name}: no ${what} within ${timeoutMs} ms: ${output}`);
  }

  const service: ServiceProcess = {
    child,
    output: () => output,
    exited: () => exit,
    waitForLine: (pattern) => until(`a line matching ${pattern}`, () => pattern.exec(output) ?? undefined),
    operatorUrl: async () => (await service.waitForLine(/operator listener on (http:\/\/[^\s"]+)/))[1]!,
    async stop() {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
  const readyUrl = options.readyUrl;
  if (readyUrl !== undefined) {
    try {
      await until(`an answer from ${readyUrl}`, () =>
        fetch(readyUrl).then(
          (response) => (response.ok ? true : undefined),
          () => undefined,
        ),
      );
    } catch (error) {
      await service.kill();
      throw error;
    }
  }
  return service;
}
