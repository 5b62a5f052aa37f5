// The model pages on a real server: scenario list and run (HTML, JSON, SVG map), the POST re-run
// with its validation, bounds and rate limit, and the read-only rule everywhere else.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Seeded } from '../test/e2e/seeded.js';
import { MODEL_VERSION, VARIANTS, listScenarioFiles } from '../analysis/sparsemem/index.js';
import type { ScenarioData, ScenarioListData } from './scenarioPages.js';
import type { CheckData, CheckListData } from './checkPages.js';
import { CATALOG } from '../analysis/checks/index.js';
import { startServer } from './server.js';
import { RUN_CAPS } from './scenarioPages.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

let s: Seeded;
const ZD = 'arm64-pfn-valid-zone-device';
const RACE = 'compaction-vs-memunmap-usage';

before(async () => {
  s = await store.open('web-model', { app: { model: { rerunsPerMinute: 3 } } });
});

after(async () => {
  await s?.close();
});

async function get(path: string): Promise<{ status: number; text: string; type: string; headers: Headers }> {
  const res = await fetch(s.base + path);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '', headers: res.headers };
}

async function post(path: string, fields: [string, string][]): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(s.base + path, { method: 'POST', body: new URLSearchParams(fields) });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

describe('scenario list', () => {
  test('every shipped scenario and variant is listed, HTML and JSON', async () => {
    const r = await get('/scenario');
    assert.equal(r.status, 200);
    for (const f of listScenarioFiles()) assert.ok(r.text.includes(`href="/scenario/${f.name}"`), f.name);
    const api = JSON.parse((await get('/api/scenario')).text) as ScenarioListData;
    assert.equal(api.modelVersion, MODEL_VERSION);
    assert.equal(api.scenarios.length, listScenarioFiles().length);
    assert.deepEqual(api.variants.map((v) => v.name), VARIANTS.map((v) => v.name));
  });
});

describe('scenario run', () => {
  test('the zone-device scenario: outcome Always, exhaustive, trace, detectors, model version, SVG map as an image', async () => {
    const r = await get(`/scenario/${ZD}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<span class="outcome-label">Always<\/span>/);
    assert.match(r.text, /<span class="exhaustive">exhaustive<\/span>/);
    assert.ok(r.text.includes(MODEL_VERSION));
    assert.match(r.text, /<ol class="trace">\s*<li><span class="thread">/);
    assert.match(r.text, /<code class="step">memremap_pages<\/code>|<code class="step">[^<]*memremap[^<]*<\/code>/);
    assert.ok(r.text.includes(`<img class="section-map" src="/scenario/${ZD}/map.svg?maxExecutions&#x3D;`), 'the map is an <img>, not inline SVG');
    assert.doesNotMatch(r.text, /<svg/);
    assert.match(r.text, /<form class="rerun" method="post" action="\/scenario\/arm64-pfn-valid-zone-device\/run">/);
    for (const v of VARIANTS) assert.ok(r.text.includes(`name="variant" value="${v.name}"`), v.name);
    const api = JSON.parse((await get(`/api/scenario/${ZD}`)).text) as ScenarioData;
    assert.equal(api.run.result.outcome.observed, 'always');
    assert.equal(api.run.result.exhaustive, true);
    assert.equal(api.run.result.modelVersion, MODEL_VERSION);
    assert.ok(api.run.result.first.trace.length > 3);
    assert.ok(api.run.request.bounds.maxExecutions <= RUN_CAPS.maxExecutions);
    assert.match(api.run.mapText, /sections? \d+/);
  });

  test('the race scenario: Sometimes, with detector counts and both a witness and a counterexample', async () => {
    const api = JSON.parse((await get(`/api/scenario/${RACE}`)).text) as ScenarioData;
    assert.equal(api.run.result.outcome.observed, 'sometimes');
    assert.equal(api.run.result.exhaustive, true);
    assert.ok(api.run.result.executions > 100);
    const fired = Object.entries(api.run.result.detectors).filter(([, c]) => c.executions > 0);
    assert.ok(fired.length > 0);
    const r = await get(`/scenario/${RACE}`);
    assert.match(r.text, /<span class="outcome-label">Sometimes<\/span>/);
    assert.match(r.text, /<table class="detectors">/);
    assert.ok(r.text.includes(`<td><code>${fired[0][0]}</code></td><td class="num">${fired[0][1].executions}</td>`));
    assert.match(r.text, /an execution where the outcome holds/);
    assert.match(r.text, /an execution where it does not/);
  });

  test('bounds below the exploration make the run not exhaustive, and say so', async () => {
    const api = JSON.parse((await get(`/api/scenario/${RACE}?maxExecutions=10`)).text) as ScenarioData;
    assert.equal(api.run.result.exhaustive, false);
    assert.equal(api.run.result.executions, 10);
    const r = await get(`/scenario/${RACE}?maxExecutions=10`);
    assert.match(r.text, /<span class="not-exhaustive">not exhaustive<\/span>: stopped at the bounds \(10 executions/);
  });

  test('the SVG map is served as image/svg+xml, drawn by the model, with no script', async () => {
    const r = await get(`/scenario/${ZD}/map.svg`);
    assert.equal(r.status, 200);
    assert.match(r.type, /^image\/svg\+xml/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.match(r.text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(r.text, /sections and sub-sections/);
    assert.doesNotMatch(r.text, /<script|\son[a-z]+=|javascript:|<foreignObject/i);
    assert.equal((await get('/scenario/no-such/map.svg')).status, 404);
  });

  test('variants and parameters choose the run; the choice shows on the page', async () => {
    const api = JSON.parse((await get(`/api/scenario/${ZD}?variants=arm64-pfn-valid-v2-1of2`)).text) as ScenarioData;
    assert.deepEqual(api.run.request.variants, ['arm64-pfn-valid-v2-1of2']);
    assert.ok(api.run.result.variants.includes('arm64-pfn-valid-v2-1of2'));
    assert.equal(api.run.result.outcome.observed, 'never', 'V2 1/2 answers ZONE_DEVICE pfns');
    const k = JSON.parse((await get(`/api/scenario/${ZD}?p.kernel=v5.12`)).text) as ScenarioData;
    assert.equal(k.run.result.profile.kernel, 'v5.12');
  });

  test('bad names, variants, parameters and bounds are 400s; unknown scenarios 404', async () => {
    const cases: [string, number, RegExp][] = [
      ['/scenario/no-such-scenario', 404, /no scenario &#x27;no-such-scenario&#x27;/],
      ['/api/scenario/no-such-scenario', 404, /no scenario 'no-such-scenario'/],
      ['/scenario/..%2F..%2Fetc%2Fpasswd', 400, /lower-case letters, digits and dashes/],
      ['/api/scenario/Bad_Name', 400, /lower-case letters/],
      [`/api/scenario/${ZD}?variants=rm -rf`, 400, /unknown variant 'rm -rf'/],
      [`/api/scenario/${ZD}?p.nothere=1`, 400, /no parameter 'nothere'/],
      [`/api/scenario/${ZD}?p.kernel=%3Cscript%3E`, 400, /'p.kernel' must be 1 to 64 letters/],
      [`/api/scenario/${ZD}?p.kernel=v9.99`, 400, /the model refused the run|unknown/i],
      [`/api/scenario/${ZD}?maxExecutions=${RUN_CAPS.maxExecutions + 1}`, 400, /'maxExecutions' must be from 1 to 20000/],
      [`/api/scenario/${ZD}?maxSteps=0`, 400, /'maxSteps' must be from 1/],
      [`/api/scenario/${ZD}?variants=a&variants=b`, 400, /'variants' must be given once/],
    ];
    for (const [path, status, msg] of cases) {
      const r = await get(path);
      assert.equal(r.status, status, path);
      assert.match(r.text, msg, path);
    }
  });
});

describe('re-run', () => {
  test('POST re-runs with chosen variants, shows the fresh result and whether the verdict changed; GET on it is 405; the budget is 429', async () => {
    // Same inputs as the page already viewed: the verdict is the same.
    const same = await post(`/scenario/${ZD}/run`, []);
    assert.equal(same.status, 200);
    assert.match(same.text, /Re-run just now\./);
    assert.match(same.text, /<span class="same">Same verdict<\/span>\s*as the previous run of the same inputs: always, exhaustive/);
    // Another variant: compared with the scenario's defaults, the verdict differs.
    const other = await post(`/scenario/${ZD}/run`, [['variant', 'arm64-pfn-valid-v2-1of2'], ['maxExecutions', '50']]);
    assert.equal(other.status, 200);
    assert.match(other.text, /<span class="outcome-label">Never<\/span>/);
    assert.match(other.text, /<span class="differs">Different verdict<\/span>\s*as the previous run with the scenario's defaults: always/);
    assert.ok(other.text.includes('value="arm64-pfn-valid-v2-1of2" checked'), 'the form keeps the choice');
    // The JSON twin takes a JSON body.
    const api = await fetch(s.base + `/api/scenario/${ZD}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variants: ['arm64-pfn-valid-v3'] }),
    });
    assert.equal(api.status, 200);
    const body = (await api.json()) as ScenarioData;
    assert.equal(body.run.fresh, true);
    assert.ok(body.run.result.variants.includes('arm64-pfn-valid-v3'));
    assert.equal(body.comparison?.against, 'scenario-defaults');
    assert.equal(body.rerunsLeft, 0);
    // Three re-runs a minute on this server: the fourth is refused.
    const limited = await post(`/scenario/${ZD}/run`, []);
    assert.equal(limited.status, 429);
    assert.match(limited.text, /at most 3 re-runs per 60 s/);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    // GET on the action, and POST anywhere else, are refused.
    const g = await fetch(s.base + `/scenario/${ZD}/run`);
    assert.equal(g.status, 405);
    assert.equal(g.headers.get('allow'), 'POST');
    for (const path of [`/scenario/${ZD}`, `/api/scenario/${ZD}`, `/scenario/${ZD}/map.svg`, '/graph/message/x']) {
      const p = await fetch(s.base + path, { method: 'POST', body: 'x' });
      assert.equal(p.status, 405, path);
      assert.equal(p.headers.get('allow'), 'GET, HEAD');
    }
  });

  test('a bad re-run form is a 400 before any budget is spent', async () => {
    const bad = await post(`/scenario/${ZD}/run`, [['variant', '<script>x</script>']]);
    assert.equal(bad.status, 400);
    assert.ok(bad.text.includes('unknown variant &#x27;&lt;script&gt;x&lt;/script&gt;&#x27;'));
    const notJson = await fetch(s.base + `/api/scenario/${ZD}/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    assert.equal(notJson.status, 400);
    const huge = await fetch(s.base + `/api/scenario/${ZD}/run`, { method: 'POST', body: new URLSearchParams([['variant', 'x'.repeat(20000)]]) });
    assert.equal(huge.status, 413);
    const missing = await post('/scenario/no-such-scenario/run', []);
    assert.equal(missing.status, 404);
  });
});

describe('catalog checks', () => {
  test('/check lists the catalog; /check/<name> runs each of its scenarios with the section map', async () => {
    const list = JSON.parse((await get('/api/check')).text) as CheckListData;
    assert.deepEqual(list.checks.map((c) => c.name), CATALOG.map((c) => c.name));
    const html = await get('/check');
    for (const c of CATALOG) assert.ok(html.text.includes(`href="/check/${c.name}"`), c.name);
    const name = 'pfn_valid-false-for-zone-device';
    const r = await get(`/check/${name}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1>Check <code>pfn_valid-false-for-zone-device<\/code><\/h1>/);
    assert.match(r.text, /<span class="outcome-label">Always<\/span>/);
    assert.match(r.text, /<img class="section-map" src="\/scenario\/arm64-pfn-valid-zone-device\/map\.svg\?/);
    const api = JSON.parse((await get(`/api/check/${name}`)).text) as CheckData;
    assert.equal(api.check.name, name);
    assert.ok(api.runs.length >= 1 && api.runs.every((x) => x.run !== null && x.error === null));
    assert.equal(api.runs[0].run?.result.outcome.observed, 'always');
  });

  test('a variant for another architecture is reported on the scenario it cannot run, not as a failure of the page', async () => {
    const x86 = CATALOG.find((c) => c.scenarios.every((sc) => !sc.startsWith('arm64')));
    assert.ok(x86, 'the catalog has a check of x86 scenarios');
    const api = JSON.parse((await get(`/api/check/${x86.name}?variants=arm64-pfn-valid-v3`)).text) as CheckData;
    assert.ok(api.runs.some((x) => x.error !== null && /arm64/.test(x.error)), JSON.stringify(api.runs.map((x) => x.error)));
  });

  test('POST re-runs every scenario of a check with the chosen variant and compares; the budget is per server', async () => {
    // A second server over the same store: its own re-run budget (one a minute).
    const other = await startServer({ store: s.store, port: 0, app: { model: { rerunsPerMinute: 1 } } });
    try {
      const base = other.url.replace(/\/$/, '');
      const url = `${base}/check/pfn_valid-false-for-zone-device/run`;
      const r = await fetch(url, { method: 'POST', body: new URLSearchParams([['variant', 'arm64-pfn-valid-v3']]) });
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.match(text, /<span class="outcome-label">Never<\/span>/);
      assert.match(text, /No earlier run of this scenario on this server to compare with|Different verdict/);
      const again = await fetch(url, { method: 'POST', body: new URLSearchParams([['variant', 'arm64-pfn-valid-v3']]) });
      assert.equal(again.status, 429);
    } finally {
      await other.close();
    }
  });

  test('unknown checks are 404s, malformed names 400s, GET on the re-run 405', async () => {
    assert.equal((await get('/check/no-such-check')).status, 404);
    assert.equal((await get('/api/check/bad%20name')).status, 400);
    const g = await fetch(s.base + '/check/pfn_valid-false-for-zone-device/run');
    assert.equal(g.status, 405);
    assert.equal(g.headers.get('allow'), 'POST');
  });
});
});
