// The web UI in a real headless Chromium (Debian's, driven by playwright-core): the seeds ingested
// by the real pipeline, seed 000's thread opened, a quote expanded, j/k and / used, hostile mail
// opened without any script running. Screenshots go to .work/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { HOSTILE, seededServer, type Seeded } from './seeded.js';
import { ROOT } from '../fixtures.js';
import { encodeMsgid } from '../../web/urls.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, '.work', 'artifacts');
/**
 * Polls a page expression until it is true. page.waitForFunction would evaluate the string with
 * eval() inside the page, which our CSP (script-src 'self') rightly refuses.
 */
async function waitUntil(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${expression}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every section map on the page has loaded and has a size (a broken image has none). */
const MAPS_LOADED = "[...document.querySelectorAll('img.section-map')].every((img) => img.complete && img.naturalWidth > 0)";
/** The first section map has loaded (the others load lazily as they scroll into view). */
const FIRST_MAP_LOADED = "(() => { const img = document.querySelector('img.section-map'); return img !== null && img.complete && img.naturalWidth > 0; })()";
const ARM_SUBJECT = '[PATCH V2 1/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory';

const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI !== 'true') {
  console.log(
    `browser e2e: ${CHROMIUM} is missing, so the browser tests are not run here. ` +
      'Install it with: apt-get install -y chromium (CI installs it and runs them).',
  );
} else {
  let s: Seeded;
  let browser: Browser;
  let armRoot: string;
  /** Console errors and CSP reports from every page: there must be none. */
  const problems: string[] = [];

  async function newPage(width: number, height = 900): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`${page.url()}: a ${d.type()} dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    return page;
  }

  before(async () => {
    if (!haveBrowser) throw new Error(`CI=true but ${CHROMIUM} is missing: the browser tests must run under CI`);
    mkdirSync(ARTIFACTS, { recursive: true });
    s = await seededServer('e2e-browser', { hostile: true });
    const arm = (await s.store.threads()).find((t) => t.subject === ARM_SUBJECT && t.messages === 19);
    assert.ok(arm, 'seed 000 forms one 19-message thread');
    armRoot = arm.root;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('home shows what is ingested and links the threads', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + '/');
    assert.equal(await page.locator('h1').textContent(), 'What is ingested');
    assert.equal(await page.locator('table.archives tbody tr').count(), 6);
    assert.ok((await page.locator('ol.threads li').count()) > 10);
    await page.screenshot({ path: join(ARTIFACTS, 'home-1280.png'), fullPage: true });
    await page.close();
  });

  test("seed 000's thread: the tree, a quote expanded, j/k between messages", async () => {
    const page = await newPage(1280);
    await page.goto(s.base + `/thread/${encodeMsgid(armRoot)}`);
    assert.equal(await page.locator('h1.thread-subject').textContent(), ARM_SUBJECT);
    assert.equal(await page.locator('ol.tree > li').count(), 19);
    assert.equal(await page.locator('article.msg').count(), 19);
    // The tree is indented by depth: a deep reply starts well to the right of the root.
    const rootX = (await page.locator('ol.tree > li.d0').first().boundingBox())?.x ?? 0;
    const deepX = (await page.locator('ol.tree > li.d8').first().boundingBox())?.x ?? 0;
    assert.ok(deepX - rootX > 60, `depth 8 is indented (${rootX} → ${deepX})`);
    await page.screenshot({ path: join(ARTIFACTS, 'thread-000-tree-1280.png') });

    // Expand a collapsed quote: the quoted text becomes visible.
    const quote = page.locator('article#m-3 details.quote').first();
    await quote.scrollIntoViewIfNeeded();
    assert.equal(await quote.getAttribute('open'), null, 'a long quote starts collapsed');
    const quotedText = quote.locator('pre');
    assert.equal(await quotedText.isVisible(), false);
    await quote.locator('summary').click();
    assert.equal(await quote.getAttribute('open'), '');
    assert.equal(await quotedText.isVisible(), true);
    await quote.screenshot({ path: join(ARTIFACTS, 'thread-000-quote-expanded.png') });

    // The evidence for an inferred parent opens on demand.
    const how = page.locator('article#m-2 details.how');
    await how.locator('summary').click();
    assert.match((await how.locator('pre.evidence').textContent()) ?? '', /wrote:/);

    // j / k move between messages; the URL follows so it can be shared.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    // j starts from the message at the top of the window: wait until the page is back at the top
    // with no message there (under load the scroll and the click can land after the key press).
    await page.waitForFunction(`window.scrollY === 0 && !location.hash && document.querySelector('article.msg').getBoundingClientRect().top > 80`);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(new URL(page.url()).hash, '#m-2');
    assert.equal(await page.locator('article.msg.current').getAttribute('id'), 'm-2');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    assert.equal(new URL(page.url()).hash, '#m-2');
    await page.screenshot({ path: join(ARTIFACTS, 'thread-000-after-j.png') });

    // / focuses search; typing a query and Enter searches.
    await page.keyboard.press('/');
    assert.equal(await page.evaluate<string | undefined>('document.activeElement?.id'), 'q');
    await page.keyboard.type('pfn_valid');
    await Promise.all([page.waitForURL(/\/search\?q=pfn_valid/), page.keyboard.press('Enter')]);
    assert.ok((await page.locator('li.hit').count()) > 3);
    assert.ok((await page.locator('.snippet mark').count()) > 0);
    await page.screenshot({ path: join(ARTIFACTS, 'search-pfn_valid-1280.png') });
    await page.close();
  });

  test('a narrow window keeps the thread readable', async () => {
    const page = await newPage(420, 900);
    await page.goto(s.base + `/thread/${encodeMsgid(armRoot)}#m-5`);
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    assert.ok(width <= 430, `no sideways scrolling of the page (${width}px)`);
    await page.screenshot({ path: join(ARTIFACTS, 'thread-000-narrow-420.png') });
    await page.goto(s.base + `/thread/${encodeMsgid(armRoot)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'thread-000-tree-narrow-420.png') });
    await page.close();
  });

  test("from seed 000's thread, a claim leads to its check page: the verdict and the section map drawn", async () => {
    const page = await newPage(1280);
    await page.goto(s.base + `/thread/${encodeMsgid(armRoot)}`);
    const verdict = page.locator('article.msg li.claim a.badge.verdict-confirmed').first();
    await verdict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'thread-000-claims.png') });
    await Promise.all([page.waitForURL(/\/check\/.+%23\d+$/), verdict.click()]);
    assert.match((await page.locator('section[aria-label="verdict"] .badge.verdict').textContent()) ?? '', /confirmed/);
    assert.ok((await page.locator('ul.links > li').count()) > 0, 'the linked checks are listed');
    const map = page.locator('img.section-map').first();
    await map.scrollIntoViewIfNeeded();
    await waitUntil(page, FIRST_MAP_LOADED);
    assert.ok((await page.evaluate<number>("document.querySelector('img.section-map').naturalWidth")) > 200, 'the SVG map loaded');
    await page.screenshot({ path: join(ARTIFACTS, 'check-claim-1280.png'), fullPage: true });
    // The re-run form answers with the fresh runs and whether the verdict held.
    await Promise.all([page.waitForURL(/\/run$/), page.locator('form.rerun button').click()]);
    assert.match((await page.locator('p.rerun-result').first().textContent()) ?? '', /Same verdict as the stored run/);
    await page.screenshot({ path: join(ARTIFACTS, 'check-claim-rerun-1280.png') });
    await page.close();
  });

  test('/symbol/pfn_valid shows claims from more than one thread, by year', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + '/symbol/pfn_valid');
    assert.ok((await page.locator('div.sym-thread').count()) > 1);
    assert.ok((await page.locator('li.year').count()) > 1);
    assert.ok((await page.locator('ol.sym-timeline li.claim').count()) > 10);
    await page.screenshot({ path: join(ARTIFACTS, 'symbol-pfn_valid-1280.png'), fullPage: true });
    await page.close();
  });

  test('a scenario page: outcome, trace and the SVG map; a re-run with another variant changes the verdict', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + '/scenario/arm64-pfn-valid-zone-device');
    assert.equal(await page.locator('.outcome-label').textContent(), 'Always');
    await waitUntil(page, MAPS_LOADED);
    await page.screenshot({ path: join(ARTIFACTS, 'scenario-zone-device-1280.png'), fullPage: true });
    await page.locator('input[name="variant"][value="arm64-pfn-valid-v2-1of2"]').check();
    await Promise.all([page.waitForURL(/\/run$/), page.locator('form.rerun button').click()]);
    assert.equal(await page.locator('.outcome-label').textContent(), 'Never');
    assert.match((await page.locator('p.rerun-result').textContent()) ?? '', /Different verdict/);
    await page.screenshot({ path: join(ARTIFACTS, 'scenario-zone-device-rerun-1280.png') });
    await page.close();
  });

  test('the graph view draws the neighbourhood with cytoscape; a node leads to its page', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + '/graph/symbol/pfn_valid');
    await page.waitForSelector('#graph.drawn canvas');
    assert.ok((await page.locator('#graph canvas').count()) > 0);
    assert.ok((await page.locator('ul.edges li').count()) > 3, 'the list is there too');
    await page.screenshot({ path: join(ARTIFACTS, 'graph-symbol-pfn_valid-1280.png') });
    await page.goto(s.base + `/graph/message/${encodeMsgid(armRoot)}`);
    await page.waitForSelector('#graph.drawn canvas');
    await page.screenshot({ path: join(ARTIFACTS, 'graph-message-1280.png') });
    await page.close();
  });

  test('series, range-diff, person and onboarding pages render', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + '/series?q=Sub-section');
    await Promise.all([page.waitForURL(/\/series\/series:/), page.locator('ol.series-list a').first().click()]);
    assert.equal(await page.locator('section.revision').count(), 4);
    await page.screenshot({ path: join(ARTIFACTS, 'series-subsection-1280.png'), fullPage: true });
    await Promise.all([page.waitForURL(/range-diff/), page.locator('a.range-diff').first().click()]);
    assert.ok((await page.locator('section.range-part').count()) === 2);
    await page.goto(s.base + '/series?q=HARDENED_USERCOPY');
    await Promise.all([page.waitForURL(/\/series\/series:/), page.locator('ol.series-list a').first().click()]);
    await Promise.all([page.waitForURL(/range-diff/), page.locator('a.range-diff').first().click()]);
    assert.ok((await page.locator('pre.range-diff span.add').count()) > 0);
    await page.screenshot({ path: join(ARTIFACTS, 'range-diff-1280.png'), fullPage: true });
    await page.goto(s.base + '/person/David%20Hildenbrand');
    assert.equal(await page.locator('h1').textContent(), 'David Hildenbrand');
    await page.screenshot({ path: join(ARTIFACTS, 'person-1280.png'), fullPage: true });
    await page.goto(s.base + '/onboard?files=arch/arm64/mm/*&symbols=pfn_valid,pfn_to_online_page');
    assert.ok((await page.locator('ol.debates li').count()) > 1);
    await page.screenshot({ path: join(ARTIFACTS, 'onboard-1280.png'), fullPage: true });
    await page.close();
  });

  test('the new pages stay readable in a narrow window (no sideways scrolling)', async () => {
    const page = await newPage(420, 900);
    const claim = (await s.store.claims.claims({ thread: armRoot })).find((c) => c.verdict === 'confirmed');
    assert.ok(claim);
    const paths = [
      '/symbol/pfn_valid',
      `/check/${encodeMsgid(claim.id)}`,
      '/scenario/arm64-pfn-valid-zone-device',
      '/check/pfn_valid-false-for-zone-device',
      '/series?q=Sub-section',
      '/person/David%20Hildenbrand',
      '/onboard?files=arch/arm64/mm/*&symbols=pfn_valid',
      '/graph/symbol/pfn_valid',
    ];
    for (const path of paths) {
      await page.goto(s.base + path);
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      assert.ok(width <= 430, `${path}: no sideways scrolling (${width}px)`);
    }
    await page.goto(s.base + `/check/${encodeMsgid(claim.id)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'check-claim-narrow-420.png'), fullPage: true });
    await page.goto(s.base + '/symbol/pfn_valid');
    await page.screenshot({ path: join(ARTIFACTS, 'symbol-narrow-420.png') });
    await page.close();
  });

  test('hostile mail runs nothing and the CSP refuses nothing of ours', async () => {
    const page = await newPage(1280);
    await page.goto(s.base + `/thread/${encodeMsgid(HOSTILE.rootMsgid)}`);
    assert.match((await page.locator('h1.thread-subject').textContent()) ?? '', /^<script>alert\(1\)<\/script> \[PATCH\]/);
    assert.equal(await page.locator('main script, main img, main svg').count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'hostile-thread.png'), fullPage: true });
    await page.goto(s.base + `/m/${encodeMsgid(HOSTILE.replyMsgid)}`);
    assert.equal(await page.locator('main script, main img, main svg').count(), 0);
    await page.close();
    assert.deepEqual(problems, []);
  });
}
