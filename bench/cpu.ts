// What a request costs the server process itself: its CPU time (every thread, user and system,
// from /proc) over the requests it answered in a round. Unlike requests/s, this does not depend on
// the share of the machine's cores the load generator takes, so a service and its bare baseline
// can be compared in microseconds.
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

/** CPU time used so far by process `pid`, in microseconds (10 ms resolution). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime is the 12th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
}

/** "38.2 µs vs 25.1 µs (0.66×)": CPU per request of a service and its baseline, and their ratio as a throughput ratio. */
export function cpuNote(service: number, baseline: number): string {
  return `${service.toFixed(1)} µs vs ${baseline.toFixed(1)} µs (${(baseline / service).toFixed(2)}×)`;
}
