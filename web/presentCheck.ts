// The check pages as the templates draw them.
import type { CheckData, CheckListData } from './checkPages.js';
import { presentRun, variantChoices } from './presentScenario.js';

export function checkUrl(name: string): string {
  return `/check/${encodeURIComponent(name)}`;
}

const POLARITY_TEXT: Record<string, string> = {
  'outcome-happens': 'a claim that states it says the (bad) outcome happens',
  'invariant-holds': 'a claim that states it says the invariant holds in every reachable state',
  'outcome-does-not-happen': 'a claim that states it says the outcome does not happen',
};

export function presentCheckList(d: CheckListData) {
  return { title: 'Checks', checks: d.checks.map((c) => ({ ...c, url: checkUrl(c.name) })) };
}

export function presentCheck(d: CheckData) {
  const fresh = d.runs.some((r) => r.run?.fresh);
  return {
    title: `check ${d.check.name}`,
    modelVersion: d.modelVersion,
    check: d.check,
    polarityText: POLARITY_TEXT[d.check.polarity] ?? d.check.polarity,
    fresh,
    runs: d.runs.map((r) => ({
      scenario: r.scenario,
      title: r.title,
      error: r.error,
      scenarioUrl: `/scenario/${encodeURIComponent(r.scenario)}`,
      run: r.run ? presentRun(r.scenario, r.run, r.run.request.bounds, r.comparison) : null,
    })),
    bounds: d.runs.find((r) => r.run)?.run?.request.bounds ?? null,
    caps: d.caps,
    runAction: `${checkUrl(d.check.name)}/run`,
    variantChoices: variantChoices([], d.variants),
    rerunsLeft: d.rerunsLeft,
  };
}
