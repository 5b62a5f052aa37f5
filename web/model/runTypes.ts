// What the web UI asks of a model run, and what comes back from the worker that made it.
import type { RunResult } from '../../analysis/sparsemem/index.js';
import type { CheckRun } from '../../analysis/checks/index.js';

export interface RunRequest {
  /** A scenario name from data/scenarios/ (never a path: the caller checks it against the list). */
  scenario: string;
  variants: string[];
  params: Record<string, unknown>;
  bounds: { maxExecutions: number; maxSteps: number };
  /** Overrides of the scenario's kernel and profile (checked against the model's lists). */
  kernel?: string;
  profile?: string;
}

export type RunReply =
  | { ok: true; result: RunResult; svg: string; text: string }
  | { ok: false; error: string };

/** Stored check runs to make again from their own inputs (bounds already capped by the caller), in one worker. */
export interface CheckRerunRequest {
  kind: 'check-runs';
  runs: CheckRun[];
}

export type CheckRerunReply = { ok: true; runs: CheckRun[] } | { ok: false; error: string };

export type WorkerJob = { kind: 'scenario'; request: RunRequest } | CheckRerunRequest;
