// CPU and memory figures the benchmarks report, read from /proc (Linux) and process.cpuUsage().
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../fixtures.js';

/** User + system CPU seconds of this process, its worker threads included. */
export function processCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** User + system CPU seconds of another process (its threads included), or null when unreadable. */
export function cpuSecondsOf(pid: number | string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of proc_pid_stat(5) (11 and 12 after the command name),
    // in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A memory field of /proc/<pid>/status (VmHWM, VmRSS) in MB, or null when unreadable. */
function statusMB(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Peak resident set (VmHWM) of a process in MB, or null when unreadable. */
export function peakRssMB(pid: number): number | null {
  return statusMB(pid, 'VmHWM');
}

/** Current resident set (VmRSS) of a process in MB, or null when unreadable. */
export function rssMB(pid: number): number | null {
  return statusMB(pid, 'VmRSS');
}

/** The processes below `pid` (children, their children, ...), from the parent field of /proc/N/stat. */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // ppid is the second field after the parenthesised command name (proc_pid_stat(5)).
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while the list was read
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

/**
 * CPU seconds of the local Neo4j server (started by npm run neo4j, or the process
 * NEO4J_SERVER_PID), or null when it runs elsewhere. With it a benchmark can also report work per
 * server CPU-second, which does not depend on how busy other processes keep the cores.
 */
export function neo4jServerCpuSeconds(): number | null {
  try {
    const pid = process.env.NEO4J_SERVER_PID || readFileSync(resolve(ROOT, '.work/neo4j/neo4j.pid'), 'utf8').trim();
    return cpuSecondsOf(pid);
  } catch {
    return null;
  }
}
