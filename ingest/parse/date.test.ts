import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { parseDate } from './date.js';
import { PEERS_DIR } from '../../test/fixtures.js';

/** Header values (`Name: value` lines) of every non-fuzz file of the peer corpus. */
function corpusHeaderValues(name: string): { file: string; value: string }[] {
  const out: { file: string; value: string }[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'fuzz') walk(p);
        continue;
      }
      const text = readFileSync(p, 'latin1');
      const re = new RegExp(`^${name}: (.*)$`, 'gm');
      for (const m of text.matchAll(re)) out.push({ file: relative(PEERS_DIR, p), value: m[1] });
    }
  };
  walk(PEERS_DIR);
  return out;
}

/** A real value with a random slice replaced by random text. */
function mutated(values: string[]) {
  return fc
    .tuple(fc.constantFrom(...values), fc.nat({ max: 80 }), fc.nat({ max: 20 }), fc.string({ maxLength: 20 }))
    .map(([v, at, cut, junk]) => v.slice(0, at) + junk + v.slice(at + cut));
}

describe('parseDate', () => {
  test('RFC 2822 with numeric zone', () => {
    assert.deepEqual(parseDate('Wed, 6 Jan 2021 12:06:31 -0800 (PST)'), {
      iso: '2021-01-06T20:06:31.000Z',
      tzOffset: -480,
      precision: 'second',
    });
    assert.equal(parseDate('Thu, 4 Mar 2021 09:12:31 +0100').iso, '2021-03-04T08:12:31.000Z');
  });
  test('zone names', () => {
    const cases: [string, number][] = [
      ['Fri, 7 Apr 2023 06:45:50 EST', -300],
      ['Fri, 7 Apr 2023 06:45:50 EDT', -240],
      ['Fri, 7 Apr 2023 06:45:50 PST', -480],
      ['Fri, 7 Apr 2023 06:45:50 CEST', 120],
      ['Fri, 7 Apr 2023 06:45:50 CET', 60],
      ['Fri, 7 Apr 2023 06:45:50 UT', 0],
      ['Fri, 7 Apr 2023 06:45:50 GMT', 0],
    ];
    for (const [raw, tz] of cases) assert.equal(parseDate(raw).tzOffset, tz, raw);
    assert.equal(parseDate('Fri, 7 Apr 2023 06:45:50 CEST').iso, '2023-04-07T04:45:50.000Z');
  });
  test("lkml.org's page date", () => {
    assert.deepEqual(parseDate('Fri Apr 07 2023 - 06:45:50 EST'), {
      iso: '2023-04-07T11:45:50.000Z',
      tzOffset: -300,
      precision: 'second',
    });
  });
  test("mail-archive's day-only date", () => {
    assert.deepEqual(parseDate('2021-03-04'), { iso: '2021-03-04T00:00:00.000Z', tzOffset: null, precision: 'day' });
  });
  test('attribution-line dates', () => {
    assert.deepEqual(parseDate('On Thu, Jun 13, 2019 at 11:42 AM Qian Cai  wrote:'), {
      iso: '2019-06-13T11:42:00.000Z',
      tzOffset: null,
      precision: 'minute',
    });
    assert.equal(parseDate('On 3/4/21 3:06 PM, Will Deacon wrote:').iso, '2021-03-04T15:06:00.000Z');
    assert.equal(parseDate('On 04.03.21 04:31, Anshuman Khandual wrote:').iso, '2021-03-04T04:31:00.000Z');
    assert.equal(parseDate('On Fri, 7 Apr 2023 at 02:13, John Hubbard wrote:').iso, '2023-04-07T02:13:00.000Z');
    assert.equal(parseDate('On 2/11/21 12:00 AM').iso, '2021-02-11T00:00:00.000Z');
    assert.equal(parseDate('On Wed 12-06-19 08:47:21, Jason Gunthorpe wrote:').iso, '2019-06-12T08:47:21.000Z');
    assert.deepEqual(parseDate('On Fri 31 May 13:47 PDT 2019, Alex Elder wrote:'), {
      iso: '2019-05-31T20:47:00.000Z',
      tzOffset: -420,
      precision: 'minute',
    });
    assert.equal(parseDate('Fri Apr  7 06:45:50 2023').iso, '2023-04-07T06:45:50.000Z');
    const mutt = parseDate('On Thu, Mar 04, 2021 at 09:12:31AM +0100, David Hildenbrand wrote:');
    assert.deepEqual(mutt, { iso: '2021-03-04T08:12:31.000Z', tzOffset: 60, precision: 'second' });
  });
  test('a stripped zone gives tzOffset null', () => {
    assert.deepEqual(parseDate('On Wed, Mar 03, 2021 at 12:32:15PM +, Catalin Marinas wrote:'), {
      iso: '2021-03-03T12:32:15.000Z',
      tzOffset: null,
      precision: 'second',
    });
  });
  test('garbage and out-of-range years give nulls', () => {
    for (const raw of ['', 'Wg>', 'hello world', 'Wed, 4 Jun 207777777777777777777714 17:50:46 0', '31 Feb 2021', '1 Jan 1860 10:00']) {
      assert.deepEqual(parseDate(raw), { iso: null, tzOffset: null, precision: null }, raw);
    }
  });
  test('every Date header of the patchwork fuzz corpus parses without throwing', () => {
    const dir = resolve(PEERS_DIR, 'patchwork/fuzz');
    let seen = 0;
    for (const f of readdirSync(dir)) {
      const text = readFileSync(resolve(dir, f), 'latin1');
      for (const m of text.matchAll(/^Date:(.*)$/gm)) {
        const d = parseDate(m[1]);
        assert.ok(d.iso === null || !Number.isNaN(Date.parse(d.iso)));
        seen++;
      }
    }
    assert.ok(seen >= 20);
    assert.equal(parseDate(',  1 Jun 2016 22:00:54+0200').iso, '2016-06-01T20:00:54.000Z');
  });
  test('every non-empty Date header of the peer corpus (mbox, eml, pipermail, nntp) is read', () => {
    const all = corpusHeaderValues('Date').filter((d) => d.value.trim() !== '');
    assert.ok(all.length > 300, `${all.length} Date headers`);
    const unread = all.filter((d) => parseDate(d.value).iso === null);
    assert.deepEqual(unread, []);
    const zoned = all.filter((d) => parseDate(d.value).tzOffset !== null);
    assert.ok(zoned.length / all.length > 0.95);
  });
  test('never throws on mutated real Date headers', () => {
    const real = corpusHeaderValues('Date').map((d) => d.value);
    fc.assert(
      fc.property(mutated(real), (s) => {
        const d = parseDate(s);
        assert.ok(d.iso === null || !Number.isNaN(Date.parse(d.iso)));
      }),
      { numRuns: 1000 },
    );
  });
  test('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const d = parseDate(s);
        assert.ok(d.iso === null || /^\d{4}-\d\d-\d\dT/.test(d.iso));
      }),
      { numRuns: 1000 },
    );
  });
});
