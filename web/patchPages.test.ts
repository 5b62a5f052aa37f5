// Series (list, one series, range-diff), person and onboarding pages with their /api twins, on the
// seed samples ingested by the real pipeline (derive stage included) into each store (SQLite, Neo4j).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Seeded } from '../test/e2e/seeded.js';
import type { SeriesView } from '../graph/patches.js';
import type { RangeDiffData, SeriesData, SeriesListData } from './seriesPages.js';
import type { PersonData } from './personPages.js';
import type { OnboardData } from './onboardPages.js';
import type { GraphData } from './graphPages.js';
import { globRegExp, recurringConcerns } from './onboardPages.js';
import { commitMessage, patchDiff } from './seriesPages.js';
import { encodeId, seriesUrl } from './urls.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

let s: Seeded;
let subsection: SeriesView;
let pmem: SeriesView;

async function get(path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(s.base + path);
  return { status: res.status, text: await res.text() };
}

async function api<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(s.base + path);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/, path);
  return { status: res.status, body: (await res.json()) as T };
}

before(async () => {
  s = await store.open('web-patch-pages');
  const all = await s.store.patches.series();
  const a = all.find((x) => x.title === 'mm: Sub-section memory hotplug support');
  const b = all.find((x) => x.title.startsWith('libnvdimm/pmem: Bypass CONFIG_HARDENED_USERCOPY'));
  assert.ok(a && b, 'seeds hold the sub-section series and the pmem usercopy series');
  subsection = a;
  pmem = b;
});

after(async () => {
  await s?.close();
});

describe('series', () => {
  test('the list names every series, newest first, with a filter and pages', async () => {
    const all = await s.store.patches.series();
    const { status, body } = await api<SeriesListData>('/api/series');
    assert.equal(status, 200);
    assert.equal(body.total, all.length);
    assert.ok(body.series.some((x) => x.key === subsection.key && x.versions.join(',') === '6,7,8,9' && x.versionNames.join(',') === 'v6,v7,v8,v9'));
    // Seed 002's RDMA/FS DAX proposal is known from replies to "[PATCH RFC 00/10]".
    const rfc = await api<SeriesListData>(`/api/series?q=${encodeURIComponent('RDMA/FS DAX truncate proposal')}`);
    assert.deepEqual(rfc.body.series.map((x) => x.versionNames), [['RFC v1']]);
    assert.match((await get(`/series?q=${encodeURIComponent('RDMA/FS DAX truncate proposal')}`)).text, /RFC v1/);
    const dates = body.series.map((x) => x.last ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());
    const arm = await api<SeriesListData>('/api/series?q=arm64');
    assert.ok(arm.body.total > 0 && arm.body.total < all.length);
    const html = await get('/series');
    assert.ok(html.text.includes(`href="${seriesUrl(subsection.key)}"`));
    assert.equal((await get('/series?page=0')).status, 400);
  });

  test('one series: revisions on a timeline, patches per revision with lineage and range-diff links, trailers', async () => {
    const r = await get(seriesUrl(subsection.key));
    assert.equal(r.status, 200);
    assert.equal(r.text.split('<section class="revision"').length - 1, 4);
    assert.equal(r.text.split('<nav class="timeline"').length - 1, 1);
    for (const v of [6, 7, 8, 9]) assert.match(r.text, new RegExp(`<span class="version">v${v}</span>`));
    assert.match(r.text, /<p class="lineage">next: <a href="#p-/);
    assert.match(r.text, /<p class="lineage">previous: <a href="#p-/);
    assert.match(r.text, /class="range-diff" href="\/series\/series:[^"]+\/range-diff\?a&#x3D;bb2a846b00acd3d803fb189c%40synthetic\.loregraph\.invalid&amp;b&#x3D;3120fe152c51d68288226f35%40synthetic\.loregraph\.invalid"/);
    assert.match(r.text, /<li class="trailer status-\w+"><code>(Reviewed|Acked|Tested)-by<\/code> <a href="\/person\//);
    const { body } = await api<SeriesData>(`/api/series/${encodeId(subsection.key)}`);
    assert.equal(body.series.key, subsection.key);
    assert.equal(body.series.revisions.length, 4);
    assert.ok(body.series.lineage.length >= 3);
  });

  test('the concern summary of a series (as `loregraph summary`): concerns by status, each with its verdict and check page', async () => {
    const arm = (await s.store.patches.series()).find((x) => x.title === 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
    assert.ok(arm);
    const { body } = await api<SeriesData>(`/api/series/${encodeId(arm.key)}`);
    assert.ok(body.summary.concerns > 0);
    assert.equal(Object.values(body.summary.statuses).reduce((a, b) => a + b, 0), body.summary.concerns);
    const r = await get(seriesUrl(arm.key));
    assert.match(r.text, new RegExp(`<p>${body.summary.concerns} review concerns: <span class="badge status status-\\w+">`));
    const concerns = body.summary.revisions.flatMap((rv) => rv.patches.flatMap((p) => p.concerns));
    assert.equal(concerns.length, body.summary.concerns);
    for (const c of concerns.slice(0, 5)) assert.ok(r.text.includes(`href="/check/${c.id.replace('#', '%23')}"`), c.id);
  });

  test('range-diff: the commit message and the diff of two postings, escaped; identical diffs are said to be', async () => {
    const [v1, v2] = pmem.revisions.map((r) => r.patches[0].msgid);
    assert.ok(v1 && v2);
    const path = `${seriesUrl(pmem.key)}/range-diff?a=${encodeURIComponent(v1)}&b=${encodeURIComponent(v2)}`;
    const r = await get(path);
    assert.equal(r.status, 200);
    assert.match(r.text, /<span class="add">\+Acked-by: Kees Cook <\/span>/);
    assert.match(r.text, /<span class="del">-Bypass this overhead and call the &#x27;no check&#x27; versions of the<\/span>/);
    assert.match(r.text, /<section class="range-part" aria-label="diff">\s*<h2>diff<\/h2>\s*<p class="same">The same in both postings\.<\/p>/);
    const { body } = await api<RangeDiffData>(`/api${path}`);
    assert.equal(body.a.version, 1);
    assert.equal(body.b.version, 2);
    assert.deepEqual([body.a.name, body.b.name], ['v1', 'v2']);
    assert.equal(body.parts[0].name, 'commit message');
    assert.equal(body.parts[0].identical, false);
    assert.equal(body.parts[1].identical, true);
  });

  test('range-diff and series errors: 400 without both patches, 404 for unknown series or patches', async () => {
    const [v1] = pmem.revisions.map((r) => r.patches[0].msgid);
    const base = `${seriesUrl(pmem.key)}/range-diff`;
    assert.equal((await get(`${base}?a=${encodeURIComponent(v1 ?? '')}`)).status, 400);
    assert.equal((await get(`${base}?a=x&a=y&b=z`)).status, 400);
    const stranger = await api<{ error: string }>(`/api${base}?a=${encodeURIComponent(v1 ?? '')}&b=nobody%40example.org`);
    assert.equal(stranger.status, 404);
    assert.match(stranger.body.error, /<nobody@example\.org> \(b\) is not a patch of series/);
    assert.equal((await get('/series/series:nothing@example.org')).status, 404);
    assert.equal((await get('/api/series/series:nothing@example.org/range-diff?a=x&b=y')).status, 404);
  });

  test('patchDiff and commitMessage split a patch mail where git does', () => {
    const mail = 'Subject line body\n\nSigned-off-by: A <a@b>\n---\n v2: changed\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n-- \n2.30\n';
    assert.equal(commitMessage(mail), 'Subject line body\n\nSigned-off-by: A <a@b>\n');
    assert.equal(patchDiff(mail), 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n');
    assert.equal(patchDiff('no diff here'), '');
  });
});

describe('person', () => {
  test('David Hildenbrand by name, by id: claims by kind, trailers given, threads; the JSON twin', async () => {
    const r = await get('/person/David%20Hildenbrand');
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1>David Hildenbrand<\/h1>/);
    assert.match(r.text, /<summary><span class="badge kind kind-\w+">\w+<\/span> \d+<\/summary>/);
    assert.match(r.text, /<code>Acked-by<\/code> on <a href="\/series\/series:77c88205c46fd253aef4bc71@synthetic\.loregraph\.invalid">arm64\/mm: Fix pfn_valid\(\) for ZONE_DEVICE based memory<\/a>/);
    const { body } = await api<PersonData>('/api/person/David%20Hildenbrand');
    assert.equal(body.person.id, 'person:name:david hildenbrand');
    assert.ok(body.messages > 3);
    assert.ok(body.threads.length > 1);
    assert.ok(body.claimsByKind.reduce((n, k) => n + k.claims.length, 0) > 5);
    assert.ok(body.symbols.some((x) => x.name === 'pfn_valid'));
    const byId = await api<PersonData>(`/api/person/${encodeId(body.person.id)}`);
    assert.equal(byId.body.person.id, body.person.id);
  });

  test('unknown people are 404s', async () => {
    assert.equal((await get('/person/Nobody%20At%20All')).status, 404);
    assert.equal((await api<{ error: string }>('/api/person/nobody@example.org')).status, 404);
  });
});

describe('onboarding digest', () => {
  test('arch/arm64/mm/* with pfn_valid: debates, people to ask, a glossary with where pfn_valid is defined', async () => {
    const { status, body } = await api<OnboardData>('/api/onboard?files=arch/arm64/mm/*&symbols=pfn_valid,pfn_to_online_page');
    assert.equal(status, 200);
    const g = body.glossary.find((x) => x.name === 'pfn_valid');
    assert.ok(g);
    assert.deepEqual(g.definedIn.map((d) => d.file), ['arch/arm64/mm/init.c']);
    assert.ok(g.claims > 10 && g.threads > 1);
    assert.ok(body.debates.length > 1);
    assert.ok(body.debates.some((d) => d.subject.includes('arm64/mm: Fix pfn_valid()')));
    assert.ok(body.people.some((p) => p.name === 'Anshuman Khandual' && p.patches > 0));
    const html = await get('/onboard?files=arch/arm64/mm/*&symbols=pfn_valid,pfn_to_online_page');
    assert.match(html.text, /<dt><a href="\/symbol\/pfn_valid"><code>pfn_valid<\/code><\/a>/);
    assert.match(html.text, /<h2>Key debates<\/h2>/);
    assert.match(html.text, /<h2>People to ask<\/h2>/);
  });

  test('a sentence re-sent with each revision is one concern, not a recurring one', async () => {
    // Dan Williams' cover letter of the sub-section series says the same concern in v6 and in v9.
    const view = await s.store.claims.symbol('devm_memremap_pages');
    const resent = (view?.claims ?? []).filter((c) => c.kind === 'concern' && c.text.startsWith('The section restriction for hotplug has caused'));
    assert.equal(resent.length, 2);
    assert.notEqual(resent[0].thread, resent[1].thread);
    const { body } = await api<OnboardData>('/api/onboard?symbols=devm_memremap_pages');
    assert.ok(body.glossary.some((g) => g.name === 'devm_memremap_pages' && g.claims >= 2));
    assert.deepEqual(body.concerns, []);
    // With a second, different sentence from another thread the symbol recurs, and the re-sent
    // sentence is listed once, at its first posting, with its later copy counted.
    const other = { ...resent[0], id: 'other#0', msgid: 'other', thread: 'other-thread', date: '2019-07-01T00:00:00.000Z', text: 'devm_memremap_pages() still fails for sub-section ranges.' };
    const [r] = recurringConcerns([...resent, other], ['devm_memremap_pages']);
    assert.equal(r.symbol, 'devm_memremap_pages');
    assert.equal(r.threads, 2);
    assert.deepEqual(r.concerns.map((c) => [c.date, c.repeatedIn]), [['2019-05-06T00:00:00.000Z', 1], ['2019-07-01T00:00:00.000Z', 0]]);
  });

  test('no query: just the form; bad globs and symbols are 400s', async () => {
    const empty = await get('/onboard');
    assert.equal(empty.status, 200);
    assert.match(empty.text, /<form class="search-form onboard-form" action="\/onboard" method="get">/);
    assert.doesNotMatch(empty.text, /Key debates/);
    const cases: [string, RegExp][] = [
      ['files=../../etc/passwd', /must not contain '\.\.'/],
      ['files=*', /must start with a directory/],
      ['files=mm/<x>', /must be a path glob/],
      ['symbols=pfn_valid,<script>', /is not a symbol name/],
      [`symbols=${Array.from({ length: 21 }, (_, i) => `s${i}`).join(',')}`, /at most 20 symbols/],
    ];
    for (const [qs, msg] of cases) {
      const r = await api<{ error: string }>(`/api/onboard?${qs}`);
      assert.equal(r.status, 400, qs);
      assert.match(r.body.error, msg, qs);
    }
  });

  test('globs: * stays in a directory, ** crosses them, a trailing / takes the whole tree', () => {
    assert.ok(globRegExp('mm/sparse*.c').test('mm/sparse-vmemmap.c'));
    assert.ok(!globRegExp('mm/*.c').test('mm/kasan/init.c'));
    assert.ok(globRegExp('mm/**').test('mm/kasan/init.c'));
    assert.ok(globRegExp('arch/arm64/').test('arch/arm64/mm/init.c'));
    assert.ok(!globRegExp('mm/a.c').test('mm/abc'));
  });
});

describe('graph neighbourhoods of series and people', () => {
  test('a series: its revisions, patches and lineage; a person: threads and symbols', async () => {
    const { status, body } = await api<GraphData>(`/api/graph/series/${encodeId(subsection.key)}`);
    assert.equal(status, 200);
    assert.ok(body.edges.some((e) => e.kind === 'HAS_VERSION'));
    assert.ok(body.edges.some((e) => e.kind === 'NEXT_VERSION'));
    const ids = new Set(body.nodes.map((n) => n.id));
    assert.ok(body.edges.every((e) => ids.has(e.source) && ids.has(e.target)));
    const p = await api<GraphData>('/api/graph/person/David%20Hildenbrand');
    assert.equal(p.status, 200);
    assert.ok(p.body.edges.some((e) => e.kind === 'WROTE_IN'));
    assert.equal((await get('/graph/series/series:nothing@example.org')).status, 404);
  });
});
});
