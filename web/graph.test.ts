// The graph neighbourhood of a message, as a list (HTML without JS) and as {nodes, edges} JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { type Seeded } from '../test/e2e/seeded.js';
import type { GraphData } from './graphPages.js';
import type { ThreadData } from './pages.js';
import { encodeMsgid } from './urls.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

let s: Seeded;
let thread: ThreadData;

before(async () => {
  s = await store.open('web-graph', { hostile: true });
  const arm = (await s.store.threads()).find((t) => t.subject.includes('arm64/mm: Fix pfn_valid() for ZONE_DEVICE') && t.messages === 19);
  assert.ok(arm);
  thread = (await (await fetch(s.base + `/api/thread/${encodeMsgid(arm.root)}`)).json()) as ThreadData;
});

after(async () => {
  await s?.close();
});

test("a reply's neighbourhood: its parent, its replies, its thread and its author", async () => {
  const withKids = thread.thread.messages.find((m) => m.parent !== null && thread.thread.messages.some((c) => c.parent === m.msgid));
  assert.ok(withKids, 'seed 000 has a reply that was replied to');
  const kids = thread.thread.messages.filter((c) => c.parent === withKids.msgid);
  const res = await fetch(s.base + `/api/graph/message/${encodeMsgid(withKids.msgid)}`);
  assert.equal(res.status, 200);
  const g = (await res.json()) as GraphData;
  assert.deepEqual(g.center, { kind: 'message', id: withKids.msgid });
  const ids = new Set(g.nodes.map((n) => n.id));
  assert.ok(ids.has(`message:${withKids.parent}`), 'parent');
  for (const k of kids) assert.ok(ids.has(`message:${k.msgid}`), 'child');
  assert.ok(ids.has(`thread:${thread.thread.root}`), 'thread');
  assert.ok(g.nodes.some((n) => n.kind === 'person'), 'author');
  assert.equal(g.edges.filter((e) => e.kind === 'REPLY_TO').length, 1 + kids.length);
  assert.ok(g.edges.every((e) => ids.has(e.source) && ids.has(e.target)), 'every edge joins listed nodes');
  assert.ok(g.edges.some((e) => e.kind === 'REPLY_TO' && /attribution|quote|subject|date/.test(e.label)), 'inferred links say how');

  const html = await (await fetch(s.base + `/graph/message/${encodeMsgid(withKids.msgid)}`)).text();
  assert.match(html, /<div id="graph" class="graph-canvas" data-api="\/api\/graph\/message\//);
  assert.match(html, /<script src="\/static\/vendor\/cytoscape\.min\.js" defer><\/script>\s*<script src="\/static\/graph\.js" defer><\/script>/);
  assert.equal(html.split('<li><span class="node-kind').length - 1, g.edges.length, 'the list shows every edge without JS');
  assert.ok(html.includes(`href="/m/${encodeMsgid(withKids.parent ?? '')}"`));
  assert.ok(html.includes(`href="/thread/${encodeMsgid(thread.thread.root)}"`));
});

test('the thread page links each message to its graph; the static script and cytoscape are served', async () => {
  const html = await (await fetch(s.base + `/thread/${encodeMsgid(thread.thread.root)}`)).text();
  assert.ok(html.includes(`<a href="/graph/message/${encodeMsgid(thread.messages[0].msgid)}">graph</a>`));
  const js = await fetch(s.base + '/static/graph.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
  const cy = await fetch(s.base + '/static/vendor/cytoscape.min.js');
  assert.equal(cy.status, 200);
});

test('hostile names are text in the list and in the JSON', async () => {
  const html = await (await fetch(s.base + `/graph/message/${encodeMsgid('hostile-1@example.org')}`)).text();
  assert.doesNotMatch(html, /<script>alert|<img[\s>]|onerror=/);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('unknown kinds and ids are 404s, malformed kinds 400s', async () => {
  const cases: [string, number][] = [
    ['/graph/message/no-such@example.org', 404],
    ['/api/graph/message/no-such@example.org', 404],
    ['/api/graph/planet/x', 404],
    ['/api/graph/Bad%20Kind/x', 400],
  ];
  for (const [path, status] of cases) assert.equal((await fetch(s.base + path)).status, status, path);
  const body = (await (await fetch(s.base + '/api/graph/planet/x')).json()) as { error: string };
  assert.match(body.error, /no graph view for 'planet' nodes/);
});
});
