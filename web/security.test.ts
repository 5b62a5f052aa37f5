// Hostile mail through the real pipeline comes out as text; the headers and static files hold —
// on each store (SQLite, Neo4j).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE, type Seeded } from '../test/e2e/seeded.js';
import type { MessageData, SearchData, ThreadData } from './pages.js';
import { encodeMsgid } from './urls.js';
import { VIEWS_DIR } from './server.js';
import { forEachStore } from '../test/e2e/stores.js';

await forEachStore((store) => {

let s: Seeded;

before(async () => {
  s = await store.open('web-security', { hostile: true });
});

after(async () => {
  await s?.close();
});

async function html(path: string): Promise<string> {
  const res = await fetch(s.base + path);
  assert.equal(res.status, 200, path);
  return res.text();
}

/** Markup the hostile mail tried to inject; none of it may reach a page as markup. */
const INJECTED = /<script>alert|<img[\s>]|<svg|<\/pre><script|onerror=|onload=|onmouseover=|<b>bold/i;

function assertInert(page: string, where: string): void {
  const m = INJECTED.exec(page);
  assert.equal(m, null, `${where}: injected markup '${m?.[0]}' came through`);
  // Our own pages carry scripts only as files, and no inline styles (the CSP would refuse both).
  for (const tag of page.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /^<script src="\/static\/[\w.-]+\.js" defer>$/);
  assert.doesNotMatch(page, /\sstyle=|\son[a-z]+=/i, `${where}: inline style or event handler`);
}

/** A raw request, so the path reaches the server exactly as written (fetch would normalise `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(s.base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hostile mail is escaped everywhere it is shown', () => {
  test('the thread page shows the subject, From name and bodies as text', async () => {
    const page = await html(`/thread/${encodeMsgid(HOSTILE.rootMsgid)}`);
    assertInert(page, 'thread');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; [PATCH] mm: hostile subject'));
    assert.ok(page.includes('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;'), 'the From name is shown, escaped');
    assert.ok(page.includes('&lt;/pre&gt;&lt;script&gt;alert(6)&lt;/script&gt;'));
    assert.ok(page.includes('&lt;svg onload&#x3D;alert(4)&gt;'), 'the quoted line is shown, escaped');
    assert.match(page, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt; \[PATCH\] mm: hostile subject · loregraph<\/title>/);
  });

  test('the message page, including a Message-ID full of quotes and a slash', async () => {
    const path = `/m/${encodeMsgid(HOSTILE.replyMsgid)}`;
    assert.equal(path, `/m/hostile-2%2F%22onmouseover%3D'x'%26y@example.org`);
    const page = await html(path);
    assertInert(page, 'message');
    assert.ok(page.includes('&lt;hostile-2/&quot;onmouseover&#x3D;&#x27;x&#x27;&amp;y@example.org&gt;'));
    // The lore link carries the Message-ID percent-encoded, and the attribute cannot be broken out of.
    assert.ok(page.includes(`href="https://lore.kernel.org/r/hostile-2%2F%22onmouseover%3D&#x27;x&#x27;%26y@example.org"`));
    const api = (await (await fetch(s.base + `/api/message/${encodeMsgid(HOSTILE.replyMsgid)}`)).json()) as MessageData;
    assert.equal(api.message.msgid, HOSTILE.replyMsgid);
    assert.equal(api.message.inReplyTo, HOSTILE.rootMsgid);
    assert.deepEqual(api.inArchive, [HOSTILE.rootMsgid]);
    assert.ok(page.includes(`<a href="/m/${HOSTILE.rootMsgid}">&lt;${HOSTILE.rootMsgid}&gt;</a>`), 'the parent in the archive is linked here');
  });

  test('the thread opened from the reply holds both messages, linked by In-Reply-To', async () => {
    const api = (await (await fetch(s.base + `/api/thread/${encodeMsgid(HOSTILE.replyMsgid)}`)).json()) as ThreadData;
    assert.equal(api.thread.root, HOSTILE.rootMsgid);
    assert.deepEqual(
      api.thread.messages.map((m) => [m.msgid, m.inferred]),
      [
        [HOSTILE.rootMsgid, null],
        [HOSTILE.replyMsgid, 'in-reply-to'],
      ],
    );
  });

  test('search snippets are escaped before matches are marked', async () => {
    const page = await html(`/search?q=${HOSTILE.searchWord}`);
    assertInert(page, 'search');
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt; and <mark>hostileword<\/mark>/);
    const api = (await (await fetch(s.base + `/api/search?q=${HOSTILE.searchWord}`)).json()) as SearchData;
    assert.equal(api.hits.length, 2);
  });

  test('the home page lists the hostile thread as text', async () => {
    const page = await html('/');
    assertInert(page, 'home');
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt; [PATCH] mm: hostile subject'));
  });

  test('a 404 echoing a hostile id escapes it', async () => {
    const res = await fetch(s.base + '/thread/%3Cscript%3Ealert(7)%3C%2Fscript%3E');
    assert.equal(res.status, 404);
    const page = await res.text();
    assertInert(page, '404');
    assert.ok(page.includes('&lt;script&gt;alert(7)&lt;/script&gt;'));
  });

  test('templates never triple-stash anything but the layout body', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.hbs')) files.push(join(dir, e.name));
      }
    };
    walk(VIEWS_DIR);
    assert.ok(files.length >= 8);
    for (const f of files) {
      const triples = readFileSync(f, 'utf8').match(/\{\{\{[^}]*\}\}\}/g) ?? [];
      assert.deepEqual(triples, f.endsWith(join('layouts', 'main.hbs')) ? ['{{{body}}}'] : [], f);
    }
  });
});

describe('headers', () => {
  test('every page and API answer carries the Content-Security-Policy', async () => {
    for (const path of ['/', '/search?q=x', `/thread/${encodeMsgid(HOSTILE.rootMsgid)}`, '/api/stats', '/nowhere']) {
      const res = await fetch(s.base + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /style-src 'self'(;|$)/, path);
      assert.match(csp, /object-src 'none'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('x-powered-by'), null);
    }
  });
});

describe('static files', () => {
  test('the stylesheet, the key script and the local cytoscape bundle are served', async () => {
    const css = await fetch(s.base + '/static/style.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.match(await css.text(), /pre\.diff/);
    const js = await fetch(s.base + '/static/keys.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    const cy = await fetch(s.base + '/static/vendor/cytoscape.min.js');
    assert.equal(cy.status, 200);
    assert.ok((await cy.text()).length > 100_000);
  });

  test('no path leaves the static directory', async () => {
    const attempts = [
      '/static/../package.json',
      '/static/..%2fpackage.json',
      '/static/%2e%2e/package.json',
      '/static/%2e%2e%2fpackage.json',
      '/static/..%5cpackage.json',
      '/static/....//package.json',
      '/static/vendor/../../../package.json',
      '/static/vendor/..%2f..%2f..%2fpackage.json',
      '/static/%252e%252e/package.json',
      '/static/../../web/server.ts',
      '/static/.%2e/.%2e/graph/paths.ts',
      '/static//etc/passwd',
      '/static/%2fetc%2fpasswd',
    ];
    for (const path of attempts) {
      const r = await rawGet(path);
      assert.ok(r.status === 400 || r.status === 403 || r.status === 404, `${path} → ${r.status}`);
      assert.doesNotMatch(r.body, /"name": "loregraph"|root:x:0:0|createApp|projectRoot/, path);
    }
  });
});
});
