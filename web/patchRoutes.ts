// Routes of the patch-graph pages: series (list, one series, range-diff), person, symbol and the
// onboarding digest. Each is a loader + a presenter + a template, with its /api twin.
import type express from 'express';
import type { GraphStore } from '../graph/store.js';
import { routePage, queryString } from './routing.js';
import { loadRangeDiff, loadSeries, loadSeriesList } from './seriesPages.js';
import { presentRangeDiff, presentSeries, presentSeriesList } from './presentSeries.js';
import { encodeId } from './urls.js';
import { loadSymbol, loadSymbolList } from './symbolPages.js';
import { presentSymbol, presentSymbolList } from './presentSymbol.js';
import { loadPerson } from './personPages.js';
import { presentPerson } from './presentPerson.js';
import { loadOnboard } from './onboardPages.js';
import { presentOnboard } from './presentOnboard.js';

export function registerPatchRoutes(app: express.Application, store: GraphStore): void {
  routePage(app, store, '/series', '/api/series', {
    view: 'seriesList',
    load: loadSeriesList,
    present: presentSeriesList,
    api: (req) => `/api/series${queryString(req)}`,
  });
  routePage(app, store, '/series/:key/range-diff', '/api/series/:key/range-diff', {
    view: 'rangeDiff',
    load: loadRangeDiff,
    present: presentRangeDiff,
    api: (req) => `/api/series/${encodeId(String(req.params.key))}/range-diff${queryString(req)}`,
  });
  routePage(app, store, '/series/:key', '/api/series/:key', {
    view: 'series',
    load: loadSeries,
    present: presentSeries,
    api: (req) => `/api/series/${encodeId(String(req.params.key))}`,
  });
  routePage(app, store, '/symbol', '/api/symbol', {
    view: 'symbols',
    load: loadSymbolList,
    present: presentSymbolList,
    api: (req) => `/api/symbol${queryString(req)}`,
  });
  routePage(app, store, '/symbol/:name', '/api/symbol/:name', {
    view: 'symbol',
    load: loadSymbol,
    present: presentSymbol,
    api: (req) => `/api/symbol/${encodeURIComponent(String(req.params.name))}`,
  });
  routePage(app, store, '/person/:id', '/api/person/:id', {
    view: 'person',
    load: loadPerson,
    present: presentPerson,
    api: (req) => `/api/person/${encodeId(String(req.params.id))}`,
  });
  routePage(app, store, '/onboard', '/api/onboard', {
    view: 'onboard',
    load: loadOnboard,
    present: presentOnboard,
    api: (req) => `/api/onboard${queryString(req)}`,
  });
}
