// How far V8 lets the heap grow past what its last full collection left alive, for the CLI; and a
// full collection on demand, for the end of a stage whose working set has become garbage.
//
// By default V8 sizes the next collection's threshold from how much memory the machine has: on a
// 23 GB machine it let the derive stage's main heap reach ~1 GB of which a few hundred MB were
// alive (the series digests), so an ingest peaked at 1.3-1.5 GB. A fixed growing factor keeps the
// garbage in proportion to what is alive instead. Unlike --max-old-space-size it is no ceiling:
// a larger archive gets a larger heap, never an out-of-memory crash.
// Measured on the 92k-message linux-arm-kernel epoch (2026-11-22):
//  - derive alone (peak RSS, wall, CPU): V8's default 1,251 MB, 50.8 s, 83 CPU-s; 100%: 930 MB,
//    46.3 s; 50%: 729 MB, 48.9 s; 25%: 630-649 MB, 49.6-50.0 s; 10%: 594 MB, 57.0 s, 96 CPU-s;
//  - whole ingest without claims, alternating runs: V8's default 1.29-1.41 GB, 99.1-102.3 s,
//    156-161 CPU-s; 50%: 0.83-0.87 GB, 102.9 s twice, 164 CPU-s; 25%: 0.74-0.78 GB, 96-103 s,
//    154-165 CPU-s. 50% costs next to nothing; below it collections start to cost.
// Flags are process-wide, so worker threads follow.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const HEAP_GROWING_PERCENT = 50;

/** Set V8's heap growing factor to 1 + percent/100, unless node was started with one. */
export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

let fullCollection: (() => void) | null = null;

/**
 * One full collection of the main isolate, now: for the end of a stage whose working set has just
 * become garbage, before the next stage starts its workers. V8 collects when the heap reaches the
 * limit its last collection set, so the series step's heap (~240 MB on the 92k-message
 * linux-arm-kernel epoch, most of it garbage once the series graph is written) stayed resident
 * through anchoring, where the derive stage peaked. Collected there (45 ms): derive alone peaked at
 * 333 MB against 399-411 MB.
 * `gc()` exists only in a context made after --expose-gc is set, hence the new context; the
 * function is made once.
 */
export function collectGarbage(): void {
  if (!fullCollection) {
    setFlagsFromString('--expose-gc');
    fullCollection = runInNewContext('gc') as () => void;
  }
  fullCollection();
}
