// The check page: one named check of the catalog (analysis/checks), what it decides and for which
// claims, and a run of each scenario family it uses, with the same bounded, rate-limited re-run
// as the scenario pages.
import type { Request } from 'express';
import { CATALOG, findCheck, type CheckDef } from '../analysis/checks/index.js';
import { MODEL_VERSION } from '../analysis/sparsemem/index.js';
import { HttpError, badRequest, notFound } from './errors.js';
import { RUN_CAPS, runRequest, type Comparison, type ModelContext, type RunView } from './scenarioPages.js';
import type { RunOk } from './model/runner.js';

export interface CheckSummary {
  name: string;
  decides: string;
  scenarios: string[];
  polarity: string;
  slots: string[];
  era: string;
  bounds: { maxExecutions?: number; maxSteps?: number };
  sources: string[];
  appliesWhen: string;
}

export interface CheckScenarioRun {
  scenario: string;
  title: string;
  run: RunView | null;
  comparison: Comparison | null;
  /** Why this scenario could not be run with the chosen inputs (a variant for another architecture, say). */
  error: string | null;
}

export interface CheckData {
  modelVersion: string;
  check: CheckSummary;
  variants: string[];
  runs: CheckScenarioRun[];
  caps: typeof RUN_CAPS;
  rerunsLeft: number;
}

export interface CheckListData {
  checks: CheckSummary[];
}

const NAME = /^[A-Za-z0-9_.-]{1,120}$/;

function summary(c: CheckDef): CheckSummary {
  return {
    name: c.name,
    decides: c.decides,
    scenarios: [...c.scenarios],
    polarity: c.polarity,
    slots: [...c.slots],
    era: c.era,
    bounds: { ...c.bounds },
    sources: [...c.sources],
    appliesWhen: c.appliesWhen,
  };
}

export function loadCheckList(): CheckListData {
  return { checks: CATALOG.map(summary) };
}

export function checkName(raw: unknown): CheckDef {
  if (typeof raw !== 'string' || !NAME.test(raw)) throw badRequest('a check name is letters, digits and _ . -');
  const c = findCheck(raw);
  if (!c) throw notFound(`no check '${raw}' in the catalog (see /check for the list)`);
  return c;
}

/** The fields of a run request for one of the check's scenarios: the check's bounds (capped) unless the caller names others. */
function fieldsFor(check: CheckDef, fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields };
  if (out.maxExecutions === undefined && check.bounds.maxExecutions !== undefined) out.maxExecutions = String(Math.min(check.bounds.maxExecutions, RUN_CAPS.maxExecutions));
  if (out.maxSteps === undefined && check.bounds.maxSteps !== undefined) out.maxSteps = String(Math.min(check.bounds.maxSteps, RUN_CAPS.maxSteps));
  return out;
}

function compare(before: RunOk | undefined, after: RunOk, sameInputs: boolean): Comparison {
  if (!before) return { against: null, previous: null, sameVerdict: null };
  return {
    against: sameInputs ? 'same-inputs' : 'scenario-defaults',
    previous: { observed: before.result.outcome.observed, exhaustive: before.result.exhaustive, executions: before.result.executions, variants: before.result.variants },
    sameVerdict: before.result.outcome.observed === after.result.outcome.observed && before.result.exhaustive === after.result.exhaustive,
  };
}

async function runAll(models: ModelContext, check: CheckDef, fields: Record<string, unknown>, fresh: boolean): Promise<CheckScenarioRun[]> {
  // Validate every request before running anything, so a bad form spends no budget.
  const planned = check.scenarios.map((name) => ({ name, ...runRequest(name, fieldsFor(check, fields)) }));
  if (fresh) models.rerunLimit.take('re-runs');
  const out: CheckScenarioRun[] = [];
  for (const p of planned) {
    try {
      const sameInputs = models.runner.cached(p.request);
      const before = sameInputs ?? models.runner.cached(runRequest(p.name, fieldsFor(check, {})).request);
      const reply = fresh ? await models.runner.fresh(p.request) : await models.runner.get(p.request);
      out.push({
        scenario: p.name,
        title: p.scenario.title,
        run: { request: p.request, result: reply.result, mapText: reply.text, fresh },
        comparison: fresh ? compare(before, reply, sameInputs !== undefined) : null,
        error: null,
      });
    } catch (err) {
      // The model refusing these inputs for one scenario (400) is shown there; anything else is the server's problem.
      if (!(err instanceof HttpError) || err.status !== 400) throw err;
      out.push({ scenario: p.name, title: p.scenario.title, run: null, comparison: null, error: err.message });
    }
  }
  return out;
}

export async function loadCheckPage(models: ModelContext, req: Request): Promise<CheckData> {
  const check = checkName(req.params.name);
  const query = req.query as Record<string, unknown>;
  const runs = await runAll(models, check, query, false);
  return { modelVersion: MODEL_VERSION, check: summary(check), variants: runs[0]?.run?.request.variants ?? [], runs, caps: RUN_CAPS, rerunsLeft: models.rerunLimit.remaining() };
}

export async function rerunCheck(models: ModelContext, req: Request): Promise<CheckData> {
  const check = checkName(req.params.name);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const runs = await runAll(models, check, body, true);
  return { modelVersion: MODEL_VERSION, check: summary(check), variants: runs[0]?.run?.request.variants ?? [], runs, caps: RUN_CAPS, rerunsLeft: models.rerunLimit.remaining() };
}
