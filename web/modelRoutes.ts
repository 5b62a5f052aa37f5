// Routes of the model pages: the scenario list, a scenario's run (HTML and JSON), its section map
// as SVG, and the POST re-run. The runner and the re-run budget belong to one app.
import type express from 'express';
import type { Request, Response } from 'express';
import type { GraphStore } from '../graph/store.js';
import { ModelRunner, DEFAULT_RUNNER, type RunnerOptions } from './model/runner.js';
import { SlidingWindowLimit } from './rateLimit.js';
import { FORM_BODY, JSON_BODY, htmlHandler, jsonHandler, routeAction, routePage, queryString, type PageSpec } from './routing.js';
import { isClaimId, loadClaimCheck, rerunClaimCheck } from './claimCheckPages.js';
import { presentClaimCheck } from './presentClaimCheck.js';
import { encodeMsgid } from './urls.js';
import { loadScenarioList, loadScenarioPage, loadScenarioSvg, rerunScenario, type ModelContext } from './scenarioPages.js';
import { presentScenario, presentScenarioList } from './presentScenario.js';
import { loadCheckList, loadCheckPage, rerunCheck } from './checkPages.js';
import { presentCheck, presentCheckList } from './presentCheck.js';

export interface ModelOptions {
  /** Re-runs allowed per minute on this server (default 6). */
  rerunsPerMinute?: number;
  runner?: Partial<RunnerOptions>;
}

/** The only paths that take POST. */
export const ACTION_PATHS: readonly RegExp[] = [/^\/(api\/)?(scenario|check)\/[^/]+\/run\/?$/];

export function createModelContext(opts: ModelOptions = {}): ModelContext {
  return {
    runner: new ModelRunner({ ...DEFAULT_RUNNER, ...(opts.runner ?? {}) }),
    rerunLimit: new SlidingWindowLimit(opts.rerunsPerMinute ?? 6, 60_000),
  };
}

export function registerModelRoutes(app: express.Application, store: GraphStore, opts: ModelOptions = {}): ModelContext {
  const models = createModelContext(opts);
  routePage(app, store, '/scenario', '/api/scenario', {
    view: 'scenarios',
    load: async () => loadScenarioList(),
    present: presentScenarioList,
    api: () => '/api/scenario',
  });
  app.get('/scenario/:name/map.svg', async (req: Request, res: Response) => {
    const svg = await loadScenarioSvg(models, req);
    res.type('image/svg+xml').set('Cache-Control', 'private, max-age=600').send(svg);
  });
  routePage(app, store, '/scenario/:name', '/api/scenario/:name', {
    view: 'scenario',
    load: (_s, req) => loadScenarioPage(models, req),
    present: presentScenario,
    api: (req) => `/api/scenario/${encodeURIComponent(String(req.params.name))}${queryString(req)}`,
  });
  routeAction(app, store, '/scenario/:name/run', '/api/scenario/:name/run', {
    view: 'scenario',
    load: (_s, req) => rerunScenario(models, req),
    present: presentScenario,
    api: (req) => `/api/scenario/${encodeURIComponent(String(req.params.name))}`,
  });
  routePage(app, store, '/check', '/api/check', {
    view: 'checks',
    load: async () => loadCheckList(),
    present: presentCheckList,
    api: () => '/api/check',
  });
  // /check/<name> is a catalog check; /check/<msgid#n> a claim and its checks.
  const catalogPage: PageSpec<Awaited<ReturnType<typeof loadCheckPage>>> = {
    view: 'check',
    load: (_s, req) => loadCheckPage(models, req),
    present: presentCheck,
    api: (req) => `/api/check/${encodeURIComponent(String(req.params.name))}${queryString(req)}`,
  };
  const catalogRerun: typeof catalogPage = { ...catalogPage, load: (_s, req) => rerunCheck(models, req), api: (req) => `/api/check/${encodeURIComponent(String(req.params.name))}` };
  const claimPage: PageSpec<Awaited<ReturnType<typeof loadClaimCheck>>> = {
    view: 'claimCheck',
    load: (s, req) => loadClaimCheck(s, models, req),
    present: presentClaimCheck,
    api: (req) => `/api/check/${encodeMsgid(String(req.params.name))}`,
  };
  const claimRerun: typeof claimPage = { ...claimPage, load: (s, req) => rerunClaimCheck(s, models, req) };
  const either = <A, B>(a: (req: Request, res: Response) => Promise<void>, b: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response): Promise<void> => (isClaimId(req.params.name) ? b(req, res) : a(req, res));
  app.get('/check/:name', either(htmlHandler(store, catalogPage), htmlHandler(store, claimPage)));
  app.get('/api/check/:name', either(jsonHandler(store, catalogPage), jsonHandler(store, claimPage)));
  app.post('/check/:name/run', FORM_BODY, either(htmlHandler(store, catalogRerun), htmlHandler(store, claimRerun)));
  app.post('/api/check/:name/run', FORM_BODY, JSON_BODY, either(jsonHandler(store, catalogRerun), jsonHandler(store, claimRerun)));
  return models;
}
