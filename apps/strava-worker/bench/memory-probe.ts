// Preloaded (`--import`) into a worker process the fan-out bench starts, next to the unchanged
// `src/main.ts`: samples process.memoryUsage() every 20 ms and answers the bench over IPC (needs
// --expose-gc). `mark` collects garbage and starts a measurement from there; with
// `collectEveryMs` it also forces full collections on that period, so that what is left after
// each one (the live heap) shows whether the work holds more as it goes. `report` answers the
// peaks since the mark, and what is left after a last collection.

export type ProbeRequest = { type: 'mark'; collectEveryMs?: number } | { type: 'report' };

export interface MemoryUsage {
  heapUsed: number;
  rss: number;
}

export interface MemoryReport {
  baseline: MemoryUsage;
  peak: MemoryUsage;
  /** Largest heap right after a forced full collection (with `collectEveryMs`). */
  peakLiveHeap: number | undefined;
  collections: number;
  /** After a full collection at the end: what the measured work left behind. */
  settled: MemoryUsage;
  samples: number;
}

const SAMPLE_MS = 20;

function collect(): void {
  if (typeof globalThis.gc !== 'function') throw new Error('the memory probe needs node --expose-gc');
  globalThis.gc();
}

function usage(): MemoryUsage {
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

let baseline = usage();
let peak = baseline;
let samples = 0;
let peakLiveHeap: number | undefined;
let collections = 0;
let collector: NodeJS.Timeout | undefined;

function sample(): void {
  const current = usage();
  peak = { heapUsed: Math.max(peak.heapUsed, current.heapUsed), rss: Math.max(peak.rss, current.rss) };
  samples += 1;
}

setInterval(sample, SAMPLE_MS).unref();

process.on('message', (request: ProbeRequest) => {
  if (request.type === 'mark') {
    clearInterval(collector);
    collect();
    baseline = usage();
    peak = baseline;
    samples = 0;
    peakLiveHeap = undefined;
    collections = 0;
    if (request.collectEveryMs) {
      collector = setInterval(() => {
        sample();
        collect();
        collections += 1;
        peakLiveHeap = Math.max(peakLiveHeap ?? 0, process.memoryUsage().heapUsed);
      }, request.collectEveryMs);
      collector.unref();
    }
    process.send?.({ marked: baseline });
  } else {
    clearInterval(collector);
    sample();
    collect();
    const report: MemoryReport = { baseline, peak, peakLiveHeap, collections, settled: usage(), samples };
    process.send?.({ report });
  }
});
// The IPC channel must not keep a worker alive that is asked to stop.
process.channel?.unref();
