// Scheduling points. Modelled functions are generators: each `yield` ends one atomic step and
// names the next; a guard says when the next step may run (a lock is free). A single-threaded
// run simply drives the generator to its end.

import type { KState } from './state.js';

export interface StepPoint {
  label: string;
  /** the step may run only when this holds (e.g. the lock it takes is free) */
  guard?: (k: KState) => boolean;
}

export type Gen<T> = Generator<StepPoint, T, void>;

export const point = (label: string, guard?: (k: KState) => boolean): StepPoint => ({ label, guard });

/** Run a generator to completion in the current state (no other thread can interleave). */
export function runSync<T>(k: KState, g: Gen<T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    if (r.value.guard && !r.value.guard(k)) throw new Error(`step '${r.value.label}' blocks with no other thread to release it`);
  }
}
