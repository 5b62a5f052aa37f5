import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { SEED } from '../../test/fixtures.js';
import { findAttributions, parentAttribution, parseAttributionLine, splitDateAndName } from './attribution.js';

describe('parseAttributionLine', () => {
  test('the forms seen in the seeds', () => {
    const cases: [string, string | null, string | null, number | null][] = [
      ['On 3/4/21 3:06 PM, Will Deacon wrote:', 'Will Deacon', '2021-03-04T15:06:00.000Z', null],
      ['On Thu, Mar 04, 2021 at 09:12:31AM +0100, David Hildenbrand wrote:', 'David Hildenbrand', '2021-03-04T08:12:31.000Z', 60],
      ['On 04.03.21 04:31, Anshuman Khandual wrote:', 'Anshuman Khandual', '2021-03-04T04:31:00.000Z', null],
      ['On Wed, Mar 03, 2021 at 07:04:33PM +, Catalin Marinas wrote:', 'Catalin Marinas', '2021-03-03T19:04:33.000Z', null],
      ['On Thu, Jun 13, 2019 at 11:42 AM Qian Cai  wrote:', 'Qian Cai', '2019-06-13T11:42:00.000Z', null],
      ['On Wed, 2019-06-12 at 12:37 -0700, Dan Williams wrote:', 'Dan Williams', '2019-06-12T19:37:00.000Z', -420],
      ['On Fri, 7 Apr 2023 at 02:13, John Hubbard <jhubbard@xxxxxxxxxx> wrote:', 'John Hubbard', '2023-04-07T02:13:00.000Z', null],
      ['On Wed 06-01-21 10:56:19, David Hildenbrand wrote:', 'David Hildenbrand', '2021-01-06T10:56:19.000Z', null],
      ['On Fri 31 May 13:47 PDT 2019, Alex Elder wrote:', 'Alex Elder', '2019-05-31T20:47:00.000Z', -420],
      ['On 2019-06-13 3:43 a.m., Christoph Hellwig wrote:', 'Christoph Hellwig', '2019-06-13T03:43:00.000Z', null],
    ];
    for (const [line, name, iso, tz] of cases) {
      const a = parseAttributionLine(line);
      assert.ok(a, line);
      assert.equal(a.kind, 'on-wrote');
      assert.equal(a.name, name, line);
      assert.equal(a.date?.iso ?? null, iso, line);
      if (iso) assert.equal(a.date?.tzOffset ?? null, tz, line);
    }
    const hubbard = parseAttributionLine('On Fri, 7 Apr 2023 at 02:13, John Hubbard <jhubbard@xxxxxxxxxx> wrote:');
    assert.equal(hubbard?.address, 'jhubbard@xxxxxxxxxx');
  });
  test('name-only, German and address-only forms', () => {
    assert.deepEqual(
      (({ kind, name, date }) => ({ kind, name, date }))(parseAttributionLine('Will Deacon <will@kernel.org> wrote:')!),
      { kind: 'wrote', name: 'Will Deacon', date: null },
    );
    const de = parseAttributionLine('Am 04.03.21 um 09:12 schrieb David Hildenbrand:');
    assert.equal(de?.kind, 'schrieb');
    assert.equal(de?.name, 'David Hildenbrand');
    assert.equal(de?.date?.iso, '2021-03-04T09:12:00.000Z');
    const stripped = parseAttributionLine('On Thu, May 23, 2019 at 3:37 PM  wrote:');
    assert.equal(stripped?.name, null);
    assert.equal(stripped?.date?.iso, '2019-05-23T15:37:00.000Z');
    assert.equal(parseAttributionLine('As I wrote:'), null);
    assert.equal(parseAttributionLine('This is an ordinary sentence.'), null);
  });
  test('splitDateAndName without a time', () => {
    assert.deepEqual(splitDateAndName('Tue, 4 Jun 2019, Dan Williams'), { dateText: 'Tue, 4 Jun 2019', nameText: 'Dan Williams' });
    assert.deepEqual(splitDateAndName('Tue, 4 Jun 2019, Saidi, Ali'), { dateText: 'Tue, 4 Jun 2019', nameText: 'Saidi, Ali' });
    // Goldwyn Rodrigues' client writes no year (seed 002): the name is still read, the date is not guessed.
    const a = parseAttributionLine('On 12:20 14/02, Dan Williams wrote:');
    assert.equal(a?.name, 'Dan Williams');
    assert.equal(a?.date, null);
  });
});

describe('findAttributions', () => {
  test('seed 000 first message: the nested chain with depths; lost markers show as indented lines', () => {
    const text = readFileSync(SEED.armPfnValid, 'utf8').split('\n').slice(6, 16).join('\n');
    const all = findAttributions(text);
    assert.deepEqual(
      all.map((a) => [a.name, a.depth, a.indented]),
      [
        ['Will Deacon', 0, false],
        ['David Hildenbrand', 1, false],
        ['Anshuman Khandual', 2, false],
        ['Will Deacon', 3, false],
        ['Catalin Marinas', 0, true],
        ['David Hildenbrand', 1, false],
        ['Anshuman Khandual', 2, false],
        ['Will Deacon', 3, false],
      ],
    );
    assert.equal(parentAttribution(text)?.line, 'On 3/4/21 3:06 PM, Will Deacon wrote:');
  });
  test('two-line attributions from seed 002 are joined', () => {
    const lines = readFileSync(SEED.danAuthorArchive, 'utf8').split('\n');
    const body = lines.slice(1816, 1820).join('\n');
    const a = parentAttribution(body);
    assert.ok(a);
    assert.equal(a.name, 'Subash Abhinov Kasiviswanathan');
    assert.equal(a.date?.iso, '2019-06-11T16:52:00.000Z');
    assert.equal(a.date?.tzOffset, -360);
  });
  test('Outlook header blocks', () => {
    const body = [
      'Thanks, applied.',
      '',
      '-----Original Message-----',
      'From: Saidi, Ali <alisaidi@amazon.com>',
      'Sent: Thursday, March 4, 2021 9:12 AM',
      'To: Will Deacon <will@kernel.org>',
      'Subject: RE: [PATCH] arm64: foo',
    ].join('\n');
    const a = parentAttribution(body);
    assert.equal(a?.kind, 'outlook');
    assert.equal(a?.name, 'Saidi, Ali');
    assert.equal(a?.address, 'alisaidi@amazon.com');
    assert.equal(a?.date?.iso, '2021-03-04T09:12:00.000Z');
  });
  test('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        assert.ok(Array.isArray(findAttributions(`On ${s} wrote:\n${s}`)));
      }),
      { numRuns: 300 },
    );
  });
});
