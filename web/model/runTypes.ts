// What the web UI asks of a model run, and what comes back from the worker that made it.
import type { RunResult } from '../../analysis/sparsemem/index.js';

export interface RunRequest {
  /** A scenario name from data/scenarios/ (never a path: the caller checks it against the list). */
  scenario: string;
  variants: string[];
  params: Record<string, unknown>;
  bounds: { maxExecutions: number; maxSteps: number };
}

export type RunReply =
  | { ok: true; result: RunResult; svg: string; text: string }
  | { ok: false; error: string };
