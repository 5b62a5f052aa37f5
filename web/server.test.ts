// Every page and its /api/ twin, on the seed samples ingested by the real pipeline into each store (SQLite, Neo4j).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { type Seeded } from '../test/e2e/seeded.js';
import type { HomeData, MessageData, SearchData, ThreadData } from './pages.js';
import { encodeMsgid } from './urls.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

const ARM_SUBJECT = 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory';

let s: Seeded;
let armRoot: string;

async function get(path: string): Promise<{ status: number; text: string; type: string; csp: string }> {
  const res = await fetch(s.base + path);
  return {
    status: res.status,
    text: await res.text(),
    type: res.headers.get('content-type') ?? '',
    csp: res.headers.get('content-security-policy') ?? '',
  };
}

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(s.base + path);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  return { status: res.status, body: (await res.json()) as T };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

before(async () => {
  s = await store.open('web-routes');
  const threads = await s.store.threads();
  const arm = threads.find((t) => t.subject.includes(ARM_SUBJECT) && t.messages === 19);
  assert.ok(arm, 'seed 000 forms one 19-message thread');
  armRoot = arm.root;
});

after(async () => {
  await s?.close();
});

describe('home', () => {
  test('shows what is ingested: counts, every archive, recent threads and a search box', async () => {
    const stats = await s.store.stats();
    const r = await get('/');
    assert.equal(r.status, 200);
    assert.match(r.type, /text\/html/);
    assert.match(r.text, /What is ingested/);
    assert.match(r.text, new RegExp(`<dt>messages</dt><dd>${stats.messages}</dd>`));
    assert.match(r.text, new RegExp(`<dt>threads</dt><dd>${stats.threads}</dd>`));
    assert.match(r.text, new RegExp(`<dt>synthetic ids</dt><dd[^>]*>${stats.syntheticMessages}</dd>`));
    for (const f of ['000_e39e1c1dbf3cb047.txt', '001_3ff6e6a83da12ccf.txt', '002_3e7a4c28e30b5ca3.txt', '004_eeb55a53d6283a53.txt']) {
      assert.ok(r.text.includes(f), `archive ${f} is listed`);
    }
    assert.match(r.text, /<td>mail-archive<\/td>/);
    assert.match(r.text, /<td>lkml<\/td>/);
    assert.ok(r.text.includes(`href="/thread/${encodeMsgid(armRoot)}"`), 'the seed 000 thread is linked');
    assert.match(r.text, /<form class="big-search" action="\/search"/);
  });

  test('/api/stats holds the same data as JSON', async () => {
    const { status, body } = await getJson<HomeData>('/api/stats');
    assert.equal(status, 200);
    assert.deepEqual(body.stats, await s.store.stats());
    assert.equal(body.stats.messages, 122);
    assert.equal(body.archives.length, 5);
    assert.deepEqual(
      body.archives.map((a) => [basename(a.source), a.format]).sort(),
      [
        ['000_e39e1c1dbf3cb047.txt', 'mail-archive'],
        ['001_3ff6e6a83da12ccf.txt', 'flat-rfc822'],
        ['002_3e7a4c28e30b5ca3.txt', 'mail-archive'],
        ['003_71958f29ad8d687f.txt', 'lkml'],
        ['004_eeb55a53d6283a53.txt', 'lkml'],
      ],
    );
    assert.equal(body.recentThreads.length, 25);
    assert.equal(body.hasNext, true);
  });

  test('older threads page on, and a bad page number is a 400', async () => {
    const p1 = (await getJson<HomeData>('/api/stats')).body.recentThreads.map((t) => t.root);
    const p2 = (await getJson<HomeData>('/api/stats?page=2')).body.recentThreads.map((t) => t.root);
    assert.ok(p2.length > 0);
    assert.equal(p1.filter((r) => p2.includes(r)).length, 0);
    const bad = await get('/?page=zero');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /&#x27;page&#x27; must be a whole number/);
  });
});

describe('thread', () => {
  test("seed 000's thread: 19 messages under the root subject, a reply tree with inferred-parent badges", async () => {
    const r = await get(`/thread/${encodeMsgid(armRoot)}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`[PATCH V2 1/2] ${ARM_SUBJECT}`));
    assert.equal(count(r.text, '<article class="msg'), 19);
    for (let n = 1; n <= 19; n++) assert.ok(r.text.includes(`id="m-${n}"`), `anchor m-${n}`);
    assert.match(r.text, /<li class="row d0/);
    assert.match(r.text, /<li class="row d5/, 'replies are indented by depth');
    assert.match(r.text, /class="badge m-attribution inferred" title="inferred from an attribution line, confidence 0\.\d\d\. Evidence: /);
    assert.match(r.text, /<details class="how">/);
    assert.match(r.text, /<details class="quote q\d"/, 'quoted runs are collapsible');
    assert.match(r.text, /<pre class="diff"><span class="file">diff --git a\/arch\/arm64\/mm\/init\.c/);
    assert.match(r.text, /<span class="add">\+\s+return pfn_section_valid/);
    // Synthetic ids are not on lore: the page offers a subject search there instead of a dead link.
    assert.ok(!r.text.includes('https://lore.kernel.org/r/77'), 'no lore link for a made-up id');
    // handlebars escapes `=` in attributes as &#x3D;, which the browser reads back as `=`.
    assert.match(r.text, /href="https:\/\/lore\.kernel\.org\/all\/\?q&#x3D;s%3A%22/);
  });

  test('any member of the thread opens the same thread, marked and linked', async () => {
    const view = (await getJson<ThreadData>(`/api/thread/${encodeMsgid(armRoot)}`)).body;
    const member = view.thread.messages[view.thread.messages.length - 1];
    assert.notEqual(member.msgid, armRoot);
    const { status, body } = await getJson<ThreadData>(`/api/thread/${encodeMsgid(member.msgid)}`);
    assert.equal(status, 200);
    assert.equal(body.thread.root, armRoot);
    assert.equal(body.requested, member.msgid);
    assert.equal(body.messages.length, 19);
    assert.ok(body.messages.every((m) => typeof m.body === 'string' && m.sources.length > 0));
    const html = await get(`/thread/${encodeMsgid(member.msgid)}`);
    assert.match(html.text, /<article class="msg requested" id="m-\d+"/);
    assert.match(html.text, /jump to the message this link names/);
  });

  test('/api/thread gives the tree with how each parent was found', async () => {
    const { body } = await getJson<ThreadData>(`/api/thread/${encodeMsgid(armRoot)}`);
    assert.equal(body.thread.subject, `[PATCH V2 1/2] ${ARM_SUBJECT}`);
    const replies = body.thread.messages.filter((m) => m.parent !== null && !m.ghost);
    assert.equal(replies.length, 18);
    assert.ok(replies.every((m) => m.inferred !== null && m.evidence));
    assert.ok(Math.max(...body.thread.messages.map((m) => m.depth)) >= 5);
  });

  test('a thread whose root is a ghost says so', async () => {
    const threads = await s.store.threads();
    let found = false;
    for (const t of threads) {
      const view = await s.store.thread(t.root);
      if (!view?.messages[0]?.ghost) continue;
      const r = await get(`/thread/${encodeMsgid(t.root)}`);
      assert.equal(r.status, 200);
      assert.match(r.text, /\(not in this archive/);
      found = true;
      break;
    }
    assert.ok(found, 'the seeds hold a thread under a ghost');
  });
});

describe('message', () => {
  test('one message with its fields and where it was read from', async () => {
    const { body } = await getJson<ThreadData>(`/api/thread/${encodeMsgid(armRoot)}`);
    const first = body.messages[0];
    const r = await get(`/m/${encodeMsgid(first.msgid)}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`[PATCH V2 1/2] ${ARM_SUBJECT}`));
    assert.match(r.text, /000_e39e1c1dbf3cb047\.txt<\/code><\/td><td>mail-archive<\/td>/);
    assert.match(r.text, /made up by loregraph: no Message-ID could be read from the source/);
    assert.ok(r.text.includes(`href="/thread/${encodeMsgid(first.msgid)}"`));
    const api = await getJson<MessageData>(`/api/message/${encodeMsgid(first.msgid)}`);
    assert.equal(api.status, 200);
    assert.equal(api.body.message.msgid, first.msgid);
    assert.equal(api.body.message.sources[0].format, 'mail-archive');
    assert.equal(api.body.thread?.messages, 19);
  });
});

describe('message references', () => {
  test('Message-IDs not in this archive link to lore and say so', async () => {
    let withRefs: { msgid: string; references: string[] } | undefined;
    for await (const m of s.store.allMessages()) if (m.references.length > 0) withRefs ??= m;
    assert.ok(withRefs, 'seed 001 carries References');
    const api = await getJson<MessageData>(`/api/message/${encodeMsgid(withRefs.msgid)}`);
    assert.deepEqual(api.body.inArchive, []);
    const r = await get(`/m/${encodeMsgid(withRefs.msgid)}`);
    for (const ref of withRefs.references) {
      assert.ok(r.text.includes(`<a href="https://lore.kernel.org/r/${encodeMsgid(ref)}">&lt;${ref}&gt;</a> <span class="note">(not in this archive: lore)</span>`), ref);
    }
  });
});

describe('search', () => {
  test('pfn_valid finds messages from more than one seed, with highlighted snippets', async () => {
    const { status, body } = await getJson<SearchData>('/api/search?q=pfn_valid&limit=100');
    assert.equal(status, 200);
    assert.ok(body.hits.length > 3);
    const files = new Set<string>();
    for (const h of body.hits) {
      const m = await s.store.message(h.msgid);
      for (const src of m?.sources ?? []) files.add(basename(src.source));
    }
    assert.ok(files.size > 1, `hits come from ${[...files].join(', ')}`);
    const r = await get('/search?q=pfn_valid');
    assert.equal(r.status, 200);
    assert.match(r.text, /<mark>pfn_valid<\/mark>/);
    assert.match(r.text, /<input id="q" name="q" type="search" value="pfn_valid"/);
  });

  test('author and date filters narrow the hits; pages do not overlap', async () => {
    const all = (await getJson<SearchData>('/api/search?q=pfn_valid&limit=200')).body.hits;
    const will = (await getJson<SearchData>('/api/search?q=pfn_valid&author=Will%20Deacon&limit=200')).body.hits;
    assert.ok(will.length > 0 && will.length < all.length);
    assert.ok(will.every((h) => h.from.includes('Will Deacon')));
    const feb = (await getJson<SearchData>('/api/search?q=pfn_valid&since=2021-02-01&until=2021-02-28&limit=200')).body.hits;
    assert.ok(feb.length > 0 && feb.length < all.length);
    assert.ok(feb.every((h) => h.date !== null && h.date >= '2021-02-01' && h.date < '2021-03-01'));
    const p1 = (await getJson<SearchData>('/api/search?q=pfn_valid&limit=3')).body;
    const p2 = (await getJson<SearchData>('/api/search?q=pfn_valid&limit=3&page=2')).body;
    assert.equal(p1.hits.length, 3);
    assert.equal(p1.hasNext, true);
    assert.equal(p2.hits.filter((h) => p1.hits.some((x) => x.msgid === h.msgid)).length, 0);
    const html = await get('/search?q=pfn_valid&limit=3');
    assert.ok(html.text.includes('href="/search?q&#x3D;pfn_valid&amp;limit&#x3D;3&amp;page&#x3D;2"'));
  });

  test('no words: the form and no hits', async () => {
    const r = await get('/search');
    assert.equal(r.status, 200);
    assert.match(r.text, /<form class="search-form"/);
    assert.ok(!r.text.includes('class="hits"'));
    assert.deepEqual((await getJson<SearchData>('/api/search')).body.hits, []);
  });

  test('bad dates, limits and repeated parameters are 400s that say what is wrong', async () => {
    const cases: [string, RegExp][] = [
      ['q=x&since=2021-02-30', /'since' must be a date written YYYY-MM-DD, not '2021-02-30'/],
      ['q=x&until=March', /'until' must be a date written YYYY-MM-DD/],
      ['q=x&since=2021-03-01&until=2021-02-01', /'since' \(2021-03-01\) is after 'until' \(2021-02-01\)/],
      ['q=x&limit=0', /'limit' must be from 1 to 200, not 0/],
      ['q=x&limit=ten', /'limit' must be a whole number/],
      ['q=x&page=-1', /'page' must be a whole number/],
      ['q=a&q=b', /'q' must be given once/],
    ];
    for (const [qs, msg] of cases) {
      const api = await getJson<{ error: string; status: number }>(`/api/search?${qs}`);
      assert.equal(api.status, 400, qs);
      assert.match(api.body.error, msg, qs);
      const html = await get(`/search?${qs}`);
      assert.equal(html.status, 400, qs);
      assert.match(html.text, /<h1>400<\/h1>/);
    }
  });
});

describe('errors', () => {
  test('unknown ids and paths are 404s, HTML and JSON', async () => {
    for (const path of ['/thread/no-such-message@example.org', '/m/no-such-message@example.org', '/nowhere']) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.match(r.text, /<h1>404<\/h1>/);
    }
    const t = await getJson<{ error: string }>('/api/thread/no-such-message@example.org');
    assert.equal(t.status, 404);
    assert.equal(t.body.error, 'no thread holds a message with Message-ID <no-such-message@example.org>');
    const m = await getJson<{ error: string }>('/api/message/%3Cno-such%3E');
    assert.equal(m.status, 404);
    assert.match(m.body.error, /<no-such>/);
    assert.equal((await getJson<{ error: string }>('/api/nowhere')).status, 404);
  });

  test('the UI is read-only: other methods are 405', async () => {
    const res = await fetch(s.base + '/', { method: 'POST', body: 'x' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  test('a malformed percent-encoding is a 400, not a crash', async () => {
    const r = await get('/m/%E0%A4%A');
    assert.equal(r.status, 400);
  });
});
});
