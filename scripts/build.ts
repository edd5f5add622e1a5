// `pnpm build`: the production build. Every workspace package's src/ compiled to JavaScript in its
// dist/ (with the repo's .swcrc: the same decorators and decorator metadata as the development
// run through @swc-node/register, so NestJS sees the same code), and the dashboard's page built
// with Vite into apps/dashboard/web/dist. Types are checked by `pnpm typecheck`, not here.
// Production runs `node --conditions=runnerly-dist dist/main.js`: the libs' package.json `exports`
// send that condition to their dist/ (and everything else, development included, to src/).
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformFile, type Options } from '@swc/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIPPED = /\.(spec|test)\.ts$|\.d\.ts$/;

async function sourcesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sourcesUnder(path);
      return Promise.resolve(entry.name.endsWith('.ts') && !SKIPPED.test(entry.name) ? [path] : []);
    }),
  );
  return files.flat();
}

async function compilePackage(pkg: string, swcrc: Options): Promise<number> {
  const src = join(pkg, 'src');
  const dist = join(pkg, 'dist');
  await rm(dist, { recursive: true, force: true });
  const files = await sourcesUnder(src);
  await Promise.all(
    files.map(async (file) => {
      const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js');
      const { code, map } = await transformFile(file, {
        ...swcrc,
        swcrc: false,
        filename: file,
        sourceFileName: relative(dirname(out), file),
        outputPath: out,
      });
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, map ? `${code}\n//# sourceMappingURL=${relative(dirname(out), out)}.map\n` : code);
      if (map) await writeFile(`${out}.map`, map);
    }),
  );
  return files.length;
}

const started = performance.now();
const swcrc = JSON.parse(await readFile(join(ROOT, '.swcrc'), 'utf8')) as Options & { $schema?: string };
delete swcrc.$schema;
const packages = (
  await Promise.all(
    ['apps', 'libs'].map(async (group) =>
      (await readdir(join(ROOT, group), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => join(ROOT, group, entry.name)),
    ),
  )
).flat();
let compiled = 0;
for (const pkg of packages) compiled += await compilePackage(pkg, swcrc);
console.log(`build: ${compiled} files compiled in ${packages.length} packages`);

const web = join(ROOT, 'apps/dashboard/web');
// Vite is the dashboard's (development) dependency, resolved from there.
const vite = createRequire(join(ROOT, 'apps/dashboard/package.json')).resolve('vite');
const { build } = (await import(pathToFileURL(vite).href)) as {
  build(config: { configFile: string; root: string; logLevel: 'warn' }): Promise<unknown>;
};
await build({ configFile: join(web, 'vite.config.ts'), root: web, logLevel: 'warn' });
console.log(`build: dashboard page built in apps/dashboard/web/dist (${Math.round(performance.now() - started)} ms)`);
