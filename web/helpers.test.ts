import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { create } from 'express-handlebars';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../graph/store.js';
import { createHelpers, escapeHtml, formatDate, formatZone, highlightSnippet, plural, type SafeStringCtor } from './helpers.js';

const O = SNIPPET_OPEN;
const C = SNIPPET_CLOSE;

describe('plural', () => {
  test('English plurals of the words the pages count', () => {
    assert.equal(plural(1, 'patch'), '1 patch');
    assert.equal(plural(2, 'patch'), '2 patches');
    assert.equal(plural(0, 'claim'), '0 claims');
    assert.equal(plural(3, 'series'), '3 series');
    assert.equal(plural(2, 'more claim'), '2 more claims');
  });
});

describe('snippet highlighting', () => {
  test('escapes the mail text first, then marks the matches', () => {
    const html = highlightSnippet(`<script>alert(1)</script> in ${O}pfn_valid${C}() & "x"`);
    assert.equal(html, '&lt;script&gt;alert(1)&lt;/script&gt; in <mark>pfn_valid</mark>() &amp; &quot;x&quot;');
  });

  test('mail text that looks like a mark tag stays text', () => {
    assert.equal(highlightSnippet(`<mark>${O}a${C}</mark>`), '&lt;mark&gt;<mark>a</mark>&lt;/mark&gt;');
  });

  test('unbalanced markers never leave a tag open or close one twice', () => {
    assert.equal(highlightSnippet(`${O}a`), '<mark>a</mark>');
    assert.equal(highlightSnippet(`a${C}${C}b`), 'ab');
    assert.equal(highlightSnippet(`${O}${O}a${C}`), '<mark>a</mark>');
  });

  test('runs of white space become one space', () => {
    assert.equal(highlightSnippet(`a\n\n  ${O}b${C}\tc`), 'a <mark>b</mark> c');
  });

  test('through handlebars the helper output is not escaped a second time, and other values are', async () => {
    const hbs = create({ defaultLayout: false });
    const SafeString = (hbs.handlebars as unknown as { SafeString: SafeStringCtor }).SafeString;
    const helpers = createHelpers(SafeString);
    const template = hbs.handlebars.compile('<p>{{highlight s}}</p><p>{{s}}</p>', {}) as (ctx: unknown, opts: unknown) => string;
    const out = template({ s: `<b>${O}x${C}</b>` }, { helpers });
    assert.equal(out, `<p>&lt;b&gt;<mark>x</mark>&lt;/b&gt;</p><p>&lt;b&gt;${O}x${C}&lt;/b&gt;</p>`);
  });
});

describe('formatting', () => {
  test('dates are shown in UTC to the minute', () => {
    assert.equal(formatDate('2021-03-04T10:12:59.000Z'), '2021-03-04 10:12 UTC');
    assert.equal(formatDate(null), '(no date)');
  });
  test('zones are written the way Date headers write them', () => {
    assert.equal(formatZone(60), '+0100');
    assert.equal(formatZone(-330), '-0530');
    assert.equal(formatZone(null), '');
  });
  test('escapeHtml covers what handlebars escapes', () => {
    assert.equal(escapeHtml(`<>&"'\`=`), '&lt;&gt;&amp;&quot;&#x27;&#x60;&#x3D;');
  });
});
