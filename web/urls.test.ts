import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMsgid, isMadeUpMsgid, loreSubjectSearchUrl, loreUrl, searchUrl, threadUrl } from './urls.js';

test('a Message-ID is one readable path segment: @ kept, everything else that matters encoded', () => {
  assert.equal(encodeMsgid('20210204.1@kernel.org'), '20210204.1@kernel.org');
  assert.equal(encodeMsgid('a/b?c#d%e f@x'), 'a%2Fb%3Fc%23d%25e%20f@x');
  assert.equal(decodeURIComponent(encodeMsgid('a/b?c#d%e f@x')), 'a/b?c#d%e f@x');
  assert.equal(threadUrl('x/y@z'), '/thread/x%2Fy@z');
});

test('lore links by Message-ID, or by subject for ids loregraph made up', () => {
  assert.equal(loreUrl('20190902164622.18593-1-clemens.gruber@pqgruber.com'), 'https://lore.kernel.org/r/20190902164622.18593-1-clemens.gruber@pqgruber.com');
  assert.equal(isMadeUpMsgid('77c88205c46fd253aef4bc71@synthetic.loregraph.invalid'), true);
  assert.equal(isMadeUpMsgid('a32d0710e1d828bf0716cff4@subject.loregraph.invalid'), true);
  assert.equal(isMadeUpMsgid('20190902164622.18593-1-clemens.gruber@pqgruber.com'), false);
  assert.equal(loreSubjectSearchUrl('arm64/mm: "Fix" pfn_valid()'), 'https://lore.kernel.org/all/?q=s%3A%22arm64%2Fmm%3A%20Fix%20pfn_valid()%22');
});

test('search URLs leave out empty parameters', () => {
  assert.equal(searchUrl({ q: 'pfn_valid', author: undefined, since: '', page: 2 }), '/search?q=pfn_valid&page=2');
  assert.equal(searchUrl({}), '/search');
});
