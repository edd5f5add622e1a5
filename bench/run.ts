// `pnpm bench`: runs every bench/*.bench.ts (or those named on the command line), then writes
// bench/results.json and bench/results.md with each figure next to its same-run baseline.
import { cpus, totalmem } from 'node:os';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './types.js';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)))
  .sort();

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const sections: Array<{ file: string; results: BenchResult[]; error?: string }> = [];
for (const file of files) {
  console.log(`bench: ${file}`);
  try {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as {
      default: () => Promise<BenchResult[]>;
      /** Too long or too big for every run: only when named exactly (`pnpm bench data-service-10m`). */
      optIn?: boolean;
    };
    if (module.optIn && !only.includes(file.slice(0, -'.bench.ts'.length))) {
      console.log('  skipped: opt-in, run it by its full name');
      continue;
    }
    const results = await module.default();
    for (const result of results) console.log(`  ${format(result)}`);
    sections.push({ file, results });
  } catch (error) {
    console.error(`  failed: ${error instanceof Error ? error.stack : String(error)}`);
    sections.push({ file, results: [], error: error instanceof Error ? error.message : String(error) });
  }
}

function round(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

function format(result: BenchResult): string {
  const base = result.baseline
    ? ` vs ${result.baseline.name} ${round(result.baseline.value)} (×${result.ratio?.toFixed(2)})`
    : '';
  return `${result.name}: ${round(result.value)} ${result.unit}${base}`;
}

const date = new Date().toISOString();
writeFileSync(join(dir, 'results.json'), `${JSON.stringify({ date, machine, sections }, null, 2)}\n`);
const rows = sections.flatMap(({ file, results, error }) =>
  error
    ? [`| ${file} | failed: ${error} | | | | |`]
    : results.map(
        (r) =>
          `| ${r.name} | ${round(r.value)} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${round(r.baseline.value)}` : ''} | ${r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`} | ${r.target ?? ''} | ${r.notes ?? ''} |`,
      ),
);
writeFileSync(
  join(dir, 'results.md'),
  [
    `Measured ${date} on ${machine}.`,
    '',
    '| figure | value | baseline (same run) | ratio | target | notes |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n'),
);
console.log(`bench: wrote bench/results.json and bench/results.md (${machine})`);
if (sections.some((section) => section.error)) process.exitCode = 1;
// Every bench closes what it opened, so the process ends here by itself. Should one leave a
// connection behind, `pnpm bench` still ends: it names what is left open, then exits.
setTimeout(() => {
  console.error(`bench: still open after the results were written: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit();
}, 5000).unref();
