// Pages over the claims: the symbol page (claims across threads and years, hunks, checks), the
// check page of one claim (links, reasons, stored runs, re-run), claims on the thread page, and
// hostile mail kept inert on every new page. Seeds ingested by the real pipeline (claims stage
// included: the checks ran on the model) into each store (SQLite, Neo4j).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE, type Seeded } from '../test/e2e/seeded.js';
import type { ClaimView } from '../graph/claims.js';
import type { SymbolData, SymbolListData } from './symbolPages.js';
import type { ClaimCheckData } from './claimCheckPages.js';
import type { ThreadData } from './pages.js';
import type { GraphData } from './graphPages.js';
import { encodeMsgid } from './urls.js';
import { claimUrl } from './presentClaims.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

let s: Seeded;
let armRoot: string;
let checked: ClaimView;

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
  s = await store.open('web-claim-pages', { hostile: true, app: { model: { rerunsPerMinute: 2 } } });
  const arm = (await s.store.threads()).find((t) => t.subject.includes('arm64/mm: Fix pfn_valid() for ZONE_DEVICE') && t.messages === 19);
  assert.ok(arm);
  armRoot = arm.root;
  const inThread = (await s.store.claims.claims({ thread: armRoot })).filter((c) => c.links.length > 0 && c.verdict !== 'unchecked');
  assert.ok(inThread.length > 0, "a claim of seed 000's thread was checked on the model");
  checked = inThread[0];
});

after(async () => {
  await s?.close();
});

describe('symbol', () => {
  test('/symbol/pfn_valid: claims from more than one thread and year, who said them, the hunk that touched it, the checks', async () => {
    const r = await get('/symbol/pfn_valid');
    assert.equal(r.status, 200);
    const { body } = await api<SymbolData>('/api/symbol/pfn_valid');
    assert.ok(body.claims.length > 10);
    const threads = new Set(body.claims.map((c) => c.thread));
    assert.ok(threads.size > 1, `claims come from ${threads.size} threads`);
    assert.equal(body.threads, threads.size);
    const years = new Set(body.claims.map((c) => c.date?.slice(0, 4)));
    assert.ok(years.size > 1);
    assert.equal(r.text.split('<li class="year">').length - 1, years.size);
    assert.equal(r.text.split('<div class="sym-thread">').length - 1, threads.size);
    assert.equal(r.text.split('<li class="claim').length - 1, body.claims.length + body.claims.filter((c) => c.stance === 'disagrees').length);
    assert.ok(body.hunks.some((h) => h.file === 'arch/arm64/mm/init.c'));
    assert.match(r.text, /<code>arch\/arm64\/mm\/init\.c<\/code> <code class="hunk-header">@@ /);
    assert.ok(body.checks.length > 0);
    assert.match(r.text, /<li><a href="\/check\/[\w_.-]+"><code>[\w_.-]+<\/code><\/a> · \d+ claims? linked/);
    for (const c of body.claims) assert.ok(c.entities.some((e) => e.name === 'pfn_valid'), c.id);
  });

  test('pfn_valid() and pfn_valid name the same symbol; the list of symbols; 400 and 404', async () => {
    const a = await api<SymbolData>('/api/symbol/pfn_valid()');
    assert.equal(a.status, 200);
    assert.equal(a.body.name, 'pfn_valid');
    const list = await api<SymbolListData>('/api/symbol?q=pfn');
    assert.ok(list.body.symbols.some((x) => x.name === 'pfn_valid'));
    assert.ok(list.body.symbols.every((x) => x.name.toLowerCase().includes('pfn')));
    assert.match((await get('/symbol')).text, /<a href="\/symbol\/pfn_valid"><code>pfn_valid<\/code><\/a>/);
    assert.equal((await get('/symbol/no_such_symbol_anywhere')).status, 404);
    const bad = await api<{ error: string }>('/api/symbol/%3Cscript%3E');
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /is not a symbol name/);
    const g = await api<GraphData>('/api/graph/symbol/pfn_valid');
    assert.equal(g.status, 200);
    assert.ok(g.body.edges.filter((e) => e.kind === 'ABOUT' && e.source.startsWith('thread:')).length > 1);
  });
});

describe('check page of a claim', () => {
  test('the claim, its linked checks with the reasons, the stored runs with trace, detectors and map', async () => {
    const r = await get(claimUrl(checked.id));
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`<span class="badge verdict verdict-${checked.verdict}">${checked.verdict}</span>`));
    for (const l of checked.links) assert.ok(r.text.includes(`<a href="/check/${l.check}"><code>${l.check}</code></a>`), l.check);
    assert.match(r.text, /why this check: <ul><li>/);
    assert.match(r.text, /<h2>Stored runs<\/h2>/);
    assert.match(r.text, /<ol class="trace">/);
    const img = /<img class="section-map" src="([^"]+)"/.exec(r.text);
    assert.ok(img, 'the stored run shows its section map');
    const svg = await fetch(s.base + img[1].replace(/&amp;/g, '&').replace(/&#x3D;/g, '='));
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    const { body } = await api<ClaimCheckData>(`/api${claimUrl(checked.id)}`);
    assert.equal(body.claim.id, checked.id);
    assert.ok(body.runs.length > 0);
    assert.ok(body.runs.every((run) => typeof run.modelVersion === 'string' && run.inputHash));
  });

  test('re-run makes the stored runs again and says the verdict held; the budget runs out with a 429', async () => {
    const res = await fetch(s.base + `${claimUrl(checked.id)}/run`, { method: 'POST', body: new URLSearchParams() });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /<h2>Re-run just now<\/h2>/);
    assert.match(text, /<span class="same">Same verdict<\/span> as the stored run/);
    assert.doesNotMatch(text, /Different verdict/);
    const json = await fetch(s.base + `/api${claimUrl(checked.id)}/run`, { method: 'POST' });
    assert.equal(json.status, 200);
    const body = (await json.json()) as ClaimCheckData;
    assert.ok(body.fresh && body.fresh.length > 0 && body.fresh.every((f) => f.sameVerdict));
    const limited = await fetch(s.base + `${claimUrl(checked.id)}/run`, { method: 'POST' });
    assert.equal(limited.status, 429);
    assert.ok(limited.headers.get('retry-after'));
  });

  test('unknown claims are 404s; a claim id without runs cannot be re-run', async () => {
    assert.equal((await get(claimUrl('no-such@example.org#3'))).status, 404);
    assert.equal((await api<{ error: string }>(`/api${claimUrl('no-such@example.org#3')}`)).status, 404);
    assert.equal((await get('/check/no-such-check')).status, 404);
  });
});

describe('claims on the thread page', () => {
  test("seed 000's thread: claims under their messages with kind and verdict badges linking to their check pages; symbols and series linked", async () => {
    const r = await get(`/thread/${encodeMsgid(armRoot)}`);
    assert.equal(r.status, 200);
    const { body } = await api<ThreadData>(`/api/thread/${encodeMsgid(armRoot)}`);
    assert.ok(body.claims.length > 5);
    // Checked claims and concerns are shown; the rest are counted by kind, listed on the message page.
    const shown = body.claims.filter((c) => c.verdict !== 'unchecked' || c.kind === 'concern' || c.kind === 'nak');
    assert.equal(r.text.split('<li class="claim').length - 1, shown.length);
    const counted = [...r.text.matchAll(/<a href="\/m\/[^"]+#claims-1">(\d+) more claims? on the message page<\/a>/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(counted, body.claims.length - shown.length);
    assert.ok(r.text.includes(`href="${claimUrl(checked.id).replace(/=/g, '&#x3D;')}"`), 'a checked claim links to its check page');
    assert.match(r.text, /<span class="badge kind kind-\w+">\w+<\/span> <a class="badge verdict verdict-confirmed"/);
    assert.match(r.text, /<p class="thread-symbols">symbols: <a class="sym" href="\/symbol\/pfn_valid">/);
    assert.match(r.text, /<a class="person" href="\/person\//);
  });

  test('the message page shows the claims read from it too', async () => {
    const r = await get(`/m/${encodeMsgid(checked.msgid)}`);
    assert.equal(r.status, 200);
    const own = await s.store.claims.claims({ msgid: checked.msgid });
    assert.equal(r.text.split('<li class="claim').length - 1, own.length);
    assert.ok(r.text.includes(`href="${claimUrl(checked.id)}"`));
  });
});

describe('hostile mail on the new pages', () => {
  test('person, graph and onboarding pages keep hostile names as text', async () => {
    const INJECTED = /<script>alert|<img[\s>]|<svg|onerror=|onload=/i;
    const pages = [
      `/graph/message/${encodeMsgid(HOSTILE.rootMsgid)}`,
      `/graph/message/${encodeMsgid(HOSTILE.replyMsgid)}`,
      `/thread/${encodeMsgid(HOSTILE.rootMsgid)}`,
      '/onboard?symbols=pfn_valid',
      '/symbol/pfn_valid',
    ];
    const person = await get('/person/evil@example.org');
    if (person.status === 200) pages.push('/person/evil@example.org');
    for (const p of pages) {
      const r = await get(p);
      assert.equal(r.status, 200, p);
      assert.equal(INJECTED.exec(r.text), null, p);
      for (const tag of r.text.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /^<script src="\/static\/[\w./-]+\.js" defer>$/, p);
      assert.doesNotMatch(r.text, /\sstyle=|\son[a-z]+=/i, p);
    }
  });
});
});
