import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Message } from '../model.js';
import { dumpMessage } from '../sources/dump/message.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { SEED } from '../../test/fixtures.js';
import { parseDate } from '../parse/date.js';
import { dateInterval, gapHours, messageInterval } from './dateMatch.js';
import { inferParents } from './infer.js';
import { addressMatchesName, nameMatch } from './names.js';
import { containment, shingles, splitBody } from './quotes.js';

function msg(author: string, dateRaw: string, subject: string, body: string, line: number): Message {
  return dumpMessage({ subject, author, dateRaw, body, provenance: { source: 'test', format: 'mail-archive', offset: line * 100, line } });
}

describe('dateMatch', () => {
  test('an attribution with a zone is one instant; without one it spans the world zones', () => {
    const withZone = dateInterval(parseDate('Thu, Mar 04, 2021 at 09:12:31AM +0100'));
    const noZone = dateInterval(parseDate('04.03.21 04:31'));
    assert.ok(withZone && noZone);
    assert.equal(new Date(withZone.lo).toISOString(), '2021-03-04T08:12:31.000Z');
    assert.equal(new Date(noZone.lo).toISOString(), '2021-03-03T14:31:00.000Z');
    assert.equal(new Date(noZone.hi).toISOString(), '2021-03-04T16:32:00.000Z');
  });
  test("an archive's day stamp matches attribution times near that day, not a week away", () => {
    const day = messageInterval({ date: '2021-03-03T00:00:00.000Z', tzOffset: null, dateRaw: '2021-03-03' });
    assert.ok(day);
    const att = (s: string) => {
      const i = dateInterval(parseDate(s));
      assert.ok(i);
      return i;
    };
    // Anshuman's 2021-03-03 message, written 04.03.21 04:31 in David's zone.
    assert.equal(gapHours(att('04.03.21 04:31'), day), 0);
    assert.equal(gapHours(att('Wed, Mar 03, 2021 at 07:04:33PM +'), day), 0);
    assert.ok(gapHours(att('Thu, Feb 11, 2021 at 01:35:56PM +0100'), day) > 24 * 18);
  });
});

describe('names', () => {
  test('tolerant author matching', () => {
    assert.equal(nameMatch('Will Deacon', 'will deacon'), 1);
    assert.equal(nameMatch('Deacon, Will', 'Will Deacon'), 1);
    assert.equal(nameMatch('Will', 'Will Deacon'), 0.8);
    assert.equal(nameMatch('Ira Weiny', 'Dan Williams'), 0);
    assert.equal(nameMatch(null, 'Dan Williams'), 0);
    assert.equal(addressMatchesName('ira.we...@intel.com', 'Ira Weiny'), true);
    assert.equal(addressMatchesName('jhubbard@xxxxxxxxxx', 'Ira Weiny'), false);
  });
});

describe('quotes', () => {
  test('own and quoted text, including lines whose > run an archive turned into a space', () => {
    const body = readFileSync(SEED.armPfnValid, 'utf8').split('\n').slice(6, 82).join('\n');
    const parts = splitBody(body);
    assert.equal(parts.lostMarkers, false);
    assert.ok(parts.own.some((l) => l.startsWith('Sure, will respin')));
    assert.ok(!parts.own.some((l) => l.startsWith('The case I wondered about')), 'indented quoted line is not own text');
    assert.ok(parts.quoted.some((l) => l.startsWith('The case I wondered about')));
    assert.ok(!parts.own.some((l) => l.startsWith('On 3/4/21')), 'attribution lines are not own text');
  });
  test('shingles survive re-wrapping', () => {
    const a = shingles(['Only hotplugged sections (DIMMs, dax/kmem) set SECTION_HAS_MEM_MAP', 'without SECTION_IS_EARLY']);
    const b = shingles(['Only hotplugged sections (DIMMs, dax/kmem) set', 'SECTION_HAS_MEM_MAP without SECTION_IS_EARLY']);
    assert.equal(containment(a, b), 1);
  });
});

describe('inferParents', () => {
  const patch = msg('Anshuman Khandual', '2021-02-01', '[PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
    'pfn_valid() validates a pfn but basically it checks for a valid struct page',
    'backing for that pfn. It should always return positive for memory ranges',
    'backed with struct page mapping.',
  ].join('\n'), 30);

  test('quote method: no attribution line, the quoted text names the parent', () => {
    const reply = msg('Will Deacon', '2021-02-02', 'Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
      '> pfn_valid() validates a pfn but basically it checks for a valid struct page',
      '> backing for that pfn. It should always return positive for memory ranges',
      '',
      'Hmm. Although I follow your logic, this does seem fragile.',
    ].join('\n'), 20);
    const [r, p] = inferParents([reply, patch]);
    assert.equal(p.inferredParent, null);
    assert.ok(r.inferredParent);
    assert.equal(r.inferredParent.parent, patch.msgid);
    assert.equal(r.inferredParent.method, 'quote');
    assert.ok(r.inferredParent.confidence > 0.4 && r.inferredParent.confidence < 0.9);
    assert.match(r.inferredParent.evidence, /no attribution line; \d+% of the own text of Anshuman Khandual/);
  });

  test('date method: the attribution lost its name, the date and the quote still match', () => {
    const reply = msg('Will Deacon', '2021-02-02', 'Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
      'On Tue, Feb 02, 2021 at 09:41:53AM +0530,  wrote:',
      '> pfn_valid() validates a pfn but basically it checks for a valid struct page',
      '> backing for that pfn.',
      '',
      'Looks fine.',
    ].join('\n'), 20);
    const [r] = inferParents([reply, patch]);
    assert.ok(r.inferredParent);
    assert.equal(r.inferredParent.parent, patch.msgid);
    assert.equal(r.inferredParent.method, 'date');
    assert.match(r.inferredParent.evidence, /2021-02-02 04:11Z/);
  });

  test('no parent is invented when the attributed author is not in the dump, or the date is far off', () => {
    const toOutsider = msg('Will Deacon', '2021-02-02', 'Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
      'On Tue, Feb 02, 2021 at 09:41:53AM +0530, Robin Murphy wrote:',
      '> pfn_valid() validates a pfn but basically it checks for a valid struct page',
    ].join('\n'), 10);
    const wrongDay = msg('Will Deacon', '2021-03-09', 'Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
      'On Mon, Mar 08, 2021 at 09:41:53AM +0530, Anshuman Khandual wrote:',
      '> Something Anshuman wrote in a message that this dump does not hold at all.',
    ].join('\n'), 20);
    // Same author, same day, same subject, but the reply quotes text the candidate never wrote:
    // the attributed message is another one of Anshuman's that the dump does not hold.
    const otherMessage = msg('Will Deacon', '2021-02-01', 'Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid()', [
      'On Mon, Feb 01, 2021 at 11:00:00PM +0530, Anshuman Khandual wrote:',
      '> This text comes from a message of Anshuman that is missing from the dump entirely.',
      '',
      'Sure.',
    ].join('\n'), 25);
    const out = inferParents([toOutsider, wrongDay, otherMessage, patch]);
    assert.deepEqual(out.map((m) => m.inferredParent), [null, null, null, null]);
  });

  test('messages with header threading are left alone, and the input is not modified', () => {
    const withHeader: Message = { ...msg('Will Deacon', '2021-02-02', 'Re: x', '> backed with struct page mapping.\nok', 5), inReplyTo: 'abc@example.org' };
    const out = inferParents([withHeader, patch]);
    assert.equal(out[0].inferredParent, null);
    assert.equal(withHeader.inferredParent, null);
    assert.notEqual(out[0], withHeader);
  });

  test('seed 000: the same result whatever order the messages come in', () => {
    const { messages } = parseMailArchiveDump(readFileSync(SEED.armPfnValid, 'utf8'), SEED.armPfnValid);
    const forward = new Map(messages.map((m) => [m.msgid, m.inferredParent?.parent ?? null]));
    const reversed = inferParents([...messages].reverse().map((m) => ({ ...m, inferredParent: null })));
    for (const m of reversed) assert.equal(m.inferredParent?.parent ?? null, forward.get(m.msgid));
    assert.equal([...forward.values()].filter((p) => p === null).length, 1);
  });
});
