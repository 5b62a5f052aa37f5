import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { looksLikeFlatRfc822, recoverFlatRfc822 } from './flatRfc822.js';
import { restoreFlatBody } from './dump/flatBody.js';

const flat = readFileSync(SEED.flatRfc822, 'utf8');

describe('recoverFlatRfc822: seed 001 (Gmail-received LKML mail flattened onto one line)', () => {
  const bytes = recoverFlatRfc822(flat);

  test('is recognised and recovered', () => {
    assert.equal(looksLikeFlatRfc822(flat.slice(0, 65536)), true);
    assert.ok(bytes);
    const text = bytes.toString('utf8');
    const [head] = text.split('\n\n', 1);
    const names = head.split('\n').filter((l) => !l.startsWith(' ')).map((l) => l.slice(0, l.indexOf(':')));
    assert.deepEqual(names.slice(-9), [
      'In-Reply-To',
      'From',
      'Date',
      'Subject',
      'To',
      'Cc',
      'Content-Type',
      'Precedence',
      'X-Mailing-List',
    ]);
    assert.equal(names.filter((n) => n === 'Received').length, 6);
    // Message-ID, Return-Path and List-ID lost their <…> values: they are left out, not invented.
    assert.ok(!names.includes('Message-ID') && !names.includes('List-ID'));
  });

  test('mailparser reads Subject, From, Date and threading headers from the recovered bytes', async () => {
    assert.ok(bytes);
    const mail = await simpleParser(bytes);
    assert.equal(mail.subject, 'Re: [PATCH] mm: Teach pfn_to_online_page() about ZONE_DEVICE section collisions');
    assert.equal(mail.from?.value[0]?.name, 'Dan Williams');
    assert.equal(mail.date?.toISOString(), '2021-01-06T20:02:49.000Z');
    assert.equal(mail.inReplyTo, '<7d7c5dc4-7784-5dcc-fc00-4fe99f0a4a90@redhat.com>');
    assert.deepEqual(mail.references, [
      '<160990599013.2430134.11556277600719835946.stgit@dwillia2-desk3.amr.corp.intel.com>',
      '<785b9095-eca4-8100-33ea-6ae84e02a92e@redhat.com>',
      '<20210106104255.GK13207@dhcp22.suse.cz>',
      '<7d7c5dc4-7784-5dcc-fc00-4fe99f0a4a90@redhat.com>',
    ]);
    assert.equal(mail.headers.get('x-mailing-list'), 'linux-kernel@vger.kernel.org');
  });

  test('the body keeps its quotes, one quoted line per line, with depth', async () => {
    assert.ok(bytes);
    const mail = await simpleParser(bytes);
    const lines = (mail.text ?? '').split('\n');
    assert.equal(lines[0], 'On Wed, Jan 6, 2021 at 3:23 AM David Hildenbrand wrote:');
    assert.ok(lines.includes('> On 06.01.21 11:42, Michal Hocko wrote:'));
    assert.ok(lines.includes('>> On Wed 06-01-21 10:56:19, David Hildenbrand wrote:'));
    assert.ok(lines.includes('>>> Note that this is not sufficient in the general case. I already'));
    assert.ok(lines.includes('>>> mentioned that we effectively override an already initialized memmap.'));
    assert.ok(lines.includes('> on the slow path. Ideally also on the fast path.'));
    // Dan's own reply is split off the quoted line it was glued to.
    const own = lines.findIndex((l) => l.startsWith('Good eye, I glazed over'));
    assert.ok(own > 0);
    assert.ok(lines[own - 1].startsWith('> '));
    assert.ok(lines.at(-1)?.endsWith('willing to be proved wrong with a patch.') || lines.at(-2)?.endsWith('willing to be proved wrong with a patch.'));
    const quoted = lines.filter((l) => l.startsWith('>'));
    assert.ok(quoted.length > 60, `${quoted.length} quoted lines`);
    assert.ok(quoted.every((l) => l.length <= 90), 'no glued paragraphs left in quoted lines');
  });
});

describe('restoreFlatBody', () => {
  test('an empty quoted line flattened into the next line is split off by context', () => {
    const lines = restoreFlatBody('X wrote: > > Y wrote: > > > > text one. > > > > text two > > more of two.');
    assert.deepEqual(lines, [
      { depth: 0, text: 'X wrote:' },
      { depth: 1, text: '' },
      { depth: 1, text: 'Y wrote:' },
      { depth: 2, text: '' },
      { depth: 2, text: 'text one.' },
      { depth: 2, text: '' },
      { depth: 2, text: 'text two' },
      { depth: 2, text: 'more of two.' },
    ]);
  });
});

describe('recoverFlatRfc822 on other input', () => {
  test('ordinary multi-line mail and plain text are not flat RFC 822', () => {
    const eml = readFileSync(resolve(PEERS_DIR, 'public-inbox/plack-qp.eml'), 'utf8');
    assert.equal(looksLikeFlatRfc822(eml.slice(0, 4096)), false);
    assert.equal(looksLikeFlatRfc822(readFileSync(SEED.armPfnValid, 'utf8').slice(0, 4096)), false);
    assert.equal(recoverFlatRfc822('hello world'), null);
    // A flattened mbox separator in front is tolerated.
    const withFrom = `From mboxrd@z Thu Jan  1 00:00:00 1970 ${flat}`;
    assert.equal(looksLikeFlatRfc822(withFrom), true);
    assert.ok(recoverFlatRfc822(withFrom)?.toString('utf8').startsWith('Received: by 2002:a05:6a10:f347'));
    // Deep quote runs (fuzz-like) stay fast and readable.
    const deep = restoreFlatBody(`x ${'> '.repeat(5000)}y`);
    assert.equal(deep.at(-1)?.depth, 5000);
    assert.equal(recoverFlatRfc822(''), null);
  });
  test('random and mutated flat mail never throws', () => {
    const mutated = fc
      .tuple(fc.nat({ max: flat.length }), fc.nat({ max: 300 }), fc.string({ maxLength: 40 }))
      .map(([at, cut, junk]) => flat.slice(0, at) + junk + flat.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated), (s) => {
        const out = recoverFlatRfc822(s);
        assert.ok(out === null || Buffer.isBuffer(out));
      }),
      { numRuns: 200 },
    );
  });
});
