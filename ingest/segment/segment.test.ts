import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { splitLines } from './diff.js';
import { ownText, segmentBody, segmentText, unquotedDiffs, type Segment } from './segment.js';
import { readMboxMessages } from '../series/testMbox.js';
import { parseAttribution, quoteInfo } from './quoting.js';
import { readMailFile, splitMailArchiveDump } from './test-mail.js';

const kinds = (segs: Segment[]): string[] => segs.map((s) => `${s.kind}:${s.depth}`);

function assertCovers(segs: Segment[], body: string): void {
  const n = splitLines(body).length;
  let next = 0;
  for (const s of segs) {
    assert.equal(s.startLine, next, 'segments are ordered and contiguous');
    assert.ok(s.endLine >= s.startLine);
    next = s.endLine + 1;
  }
  assert.equal(next, n, 'segments cover every line');
}

describe('quote markers and attributions', () => {
  test('quoteInfo counts `>`, `> >`, `>>` and column-0 `|`', () => {
    assert.deepEqual(quoteInfo('> > > @@ -28,6 +28,7 @@'), { depth: 3, content: '@@ -28,6 +28,7 @@' });
    assert.deepEqual(quoteInfo('>>> On 3/4/21 2:54 AM, Will Deacon wrote:'), { depth: 3, content: 'On 3/4/21 2:54 AM, Will Deacon wrote:' });
    assert.deepEqual(quoteInfo('> >> >-Original Message-'), { depth: 4, content: '-Original Message-' });
    assert.deepEqual(quoteInfo('| quoted by a pipe'), { depth: 1, content: 'quoted by a pipe' });
    assert.deepEqual(quoteInfo(' drivers/nvdimm/bus.c |   96 --'), { depth: 0, content: ' drivers/nvdimm/bus.c |   96 --' });
    assert.deepEqual(quoteInfo('>  \t\tkvm_pmu_enable_counter_mask(vcpu,'), { depth: 1, content: ' \t\tkvm_pmu_enable_counter_mask(vcpu,' });
  });

  test('attribution lines from the seeds and the lfdr archives', () => {
    const cases: [string, string | null, string | null, string | null][] = [
      ['On Thu, Jun 13, 2019 at 11:42 AM Qian Cai  wrote:', 'Qian Cai', null, 'Thu, Jun 13, 2019 at 11:42 AM'],
      ['On Wed, 2019-06-12 at 12:37 -0700, Dan Williams wrote:', 'Dan Williams', null, 'Wed, 2019-06-12 at 12:37 -0700'],
      ['On 04.03.21 04:31, Anshuman Khandual wrote:', 'Anshuman Khandual', null, '04.03.21 04:31'],
      ['On Thu, Mar 04, 2021 at 09:12:31AM +0100, David Hildenbrand wrote:', 'David Hildenbrand', null, 'Thu, Mar 04, 2021 at 09:12:31AM +0100'],
      ['On Mon, 28 Jun 2021 17:19:25 +0100, Alexandre Chartre <alexandre.chartre@oracle.com> wrote:', 'Alexandre Chartre', 'alexandre.chartre@oracle.com', 'Mon, 28 Jun 2021 17:19:25 +0100'],
      ['Am 04.03.21 um 09:12 schrieb David Hildenbrand:', 'David Hildenbrand', null, '04.03.21 09:12'],
    ];
    for (const [line, name, email, date] of cases) {
      const a = parseAttribution(line);
      assert.deepEqual([a?.name, a?.email, a?.date], [name, email, date], line);
    }
    assert.equal(parseAttribution('This is just a sentence.'), null);
  });
});

describe('segmentBody on real replies', () => {
  const dan = splitMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'));

  test('seed 002, first message: nested attributions, a depth-3 quoted diff, and own text', () => {
    const m = dan[0];
    const segs = segmentBody(m.body);
    assertCovers(segs, m.body);
    assert.deepEqual(kinds(segs), ['attribution:0', 'quote:1', 'attribution:1', 'attribution:2', 'quote:3', 'quoted-diff:3', 'quote:2', 'quote:1', 'text:0']);
    const qd = segs[5];
    assert.equal(qd.diffs?.[0].newPath, 'include/linux/memory_hotplug.h');
    assert.equal(qd.diffs?.[0].hunks[0].header, '@@ -28,6 +28,7 @@');
    assert.equal(qd.attribution?.name, 'Qian Cai');
    // Dan's quoted "Looks ok to me" is introduced by his own attribution, one level up.
    assert.equal(segs[6].attribution?.name, 'Dan Williams');
    assert.match(segmentText(segs[6], m.body), /^Looks ok to me:$/m);
    const own = ownText(segs, m.body);
    assert.match(own, /^Ok, makes sense I had I assumed it was something horrible like that\./);
    assert.doesNotMatch(own, /Acked-by|Looks ok to me|Sigh/);
  });

  test('seed 002: Outlook "-Original Message-" blocks with "On Behalf Of" senders', () => {
    const m = dan.find((x) => x.body.includes('Is a config option really necessary'));
    assert.ok(m);
    const segs = segmentBody(m.body);
    assertCovers(segs, m.body);
    assert.deepEqual([segs[0].kind, segs[0].attribution?.name, segs[0].endLine], ['attribution', 'Elliott, Robert (Servers)', 1]);
    const outlook = segs.find((s) => s.attribution?.style === 'outlook');
    assert.deepEqual([outlook?.depth, outlook?.attribution?.name, outlook?.attribution?.date], [2, 'Larry Bassel', 'Thursday, May 09, 2019 11:06 AM']);
    const lines = splitLines(m.body);
    const headerless = segs.find((s) => s.kind === 'quoted-diff' && s.headerless);
    assert.equal(lines[headerless?.startLine ?? -1], '> > +config MAY_SHARE_FSDAX_PMD');
    assert.match(ownText(segs, m.body), /^Agree\. Either the arch implementation supports it/);
  });

  test('seed 000: quotes that lost their markers are found from earlier messages', () => {
    const msgs = splitMailArchiveDump(readFileSync(SEED.armPfnValid, 'utf8'));
    const i = msgs.findIndex((x) => x.author === 'David Hildenbrand' && x.body.includes('Oh, right, I missed that in patch #2'));
    assert.ok(i >= 0);
    const m = msgs[i];
    const earlier = msgs.slice(i + 1).map((x) => x.body); // the dump lists newest first
    const without = segmentBody(m.body);
    assert.match(ownText(without, m.body), /\.\.\. and dropped\. These patches appear/, 'without context the lost quote reads as own text');
    const segs = segmentBody(m.body, { knownQuotes: earlier });
    assertCovers(segs, m.body);
    const lost = segs.filter((s) => s.markersLost);
    assert.ok(lost.length >= 1);
    assert.ok(lost.every((s) => s.kind === 'quote' && s.depth === 1));
    assert.match(segmentText(lost[0], m.body), /^\.\.\. and dropped\. These patches appear to be responsible for a boot/);
    assert.equal(lost[0].attribution?.name, 'Will Deacon');
    const own = ownText(segs, m.body);
    assert.equal(own, 'Oh, right, I missed that in patch #2. (and when comparing to generic \npfn_valid()).\n\nI thought bisecting pointed at patch #1, that\'s why I didn\'t even have \nanother look at patch #2. Makes sense.');
    const sig = segs[segs.length - 1];
    assert.equal(sig.kind, 'signature');
    assert.match(segmentText(sig, m.body), /David \/ dhildenb/);
  });

  test("seed 003 (lkml.org page): the page's From/Date header is not an Outlook block; obfuscated addresses are kept", () => {
    const body = readFileSync(SEED.lkmlDevicePrivate, 'utf8');
    const segs = segmentBody(body);
    assertCovers(segs, body);
    assert.ok(!segs.some((s) => s.attribution?.style === 'outlook'));
    const first = segs.find((s) => s.kind === 'attribution');
    assert.deepEqual([first?.attribution?.name, first?.attribution?.email, first?.attribution?.date], ['John Hubbard', 'jhubbard@xxxxxxxxxx', 'Fri, 7 Apr 2023 at 02:13']);
    const qd = segs.find((s) => s.kind === 'quoted-diff');
    assert.equal(qd?.diffs?.[0].newPath, 'arch/arm64/mm/mmu.c');
    assert.match(ownText(segs, body), /That is what I am talking about - the struct pages are allocated in a/);
  });

  test('a wrapped diffstat tail (`+++-`) in a quote is not a quoted diff line', () => {
    const m = dan.find((x) => x.body.includes('> > +++-'));
    assert.ok(m);
    const lines = splitLines(m.body);
    const i = lines.indexOf('> > +++-');
    const seg = segmentBody(m.body).find((s) => s.startLine <= i && i <= s.endLine);
    assert.equal(seg?.kind, 'quote');
  });

  test('lfdr kvmarm: Marc Zyngier\'s review: quoted diff, comments, `-- ` signature and the mailman footer', async () => {
    const mails = await readMailFile(resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox'));
    const reply = mails[1];
    const segs = segmentBody(reply.body);
    assertCovers(segs, reply.body);
    const qd = segs.filter((s) => s.kind === 'quoted-diff');
    assert.equal(qd.length, 1);
    assert.equal(qd[0].diffs?.[0].hunks[0].functionName, 'kvm_pmu_handle_pmcr');
    assert.deepEqual(segs.slice(-2).map((s) => s.kind), ['signature', 'footer']);
    const own = ownText(segs, reply.body);
    assert.match(own, /This seems to perpetuate a flawed pattern/);
    assert.doesNotMatch(own, /kvmarm mailing list|Without deviation from the norm|> /);
  });
});

describe('segmentBody on patches and b4 follow-ups', () => {
  test('patchwork 0009: text, trailers, diffstat, diff, signature', async () => {
    const [m] = await readMailFile(resolve(PEERS_DIR, 'patchwork/mail/0009-git-rename-with-diff.mbox'));
    const segs = segmentBody(m.body);
    assertCovers(segs, m.body);
    const order = segs.map((s) => s.kind).filter((k, i, a) => k !== a[i - 1]);
    assert.deepEqual(order, ['text', 'trailers', 'diffstat', 'text', 'diff', 'signature']);
    const diff = segs.find((s) => s.kind === 'diff');
    assert.deepEqual(diff?.diffs?.map((d) => d.status), ['renamed', 'renamed']);
    assert.equal(segs.find((s) => s.kind === 'trailers')?.trailers?.[0].person?.name, 'Yann E. MORIN');
  });

  test('b4 single follow-up: quote, own trailer, `--` signature', async () => {
    const [, , r2] = await readMailFile(resolve(PEERS_DIR, 'b4/trailers-followup-single.mbox'));
    const segs = segmentBody(r2.body);
    assertCovers(segs, r2.body);
    assert.deepEqual(
      segs.filter((s) => s.kind !== 'text').map((s) => `${s.kind}:${s.depth}`),
      ['quote:2', 'quote:1', 'trailers:0', 'signature:0'],
    );
    assert.equal(ownText(segs, r2.body), '');
  });

  test('b4 already-present: a "Cheers,\nMiguel" sign-off before `--` is signature, the indented restatement stays prose', async () => {
    const [, miguel] = await readMailFile(resolve(PEERS_DIR, 'b4/trailers-followup-already-present.mbox'));
    const segs = segmentBody(miguel.body);
    assertCovers(segs, miguel.body);
    assert.ok(!segs.some((s) => s.kind === 'trailers'));
    const own = ownText(segs, miguel.body);
    assert.match(own, /^I would suggest this ordering:\n\n {4}Suggested-by: Benno Lossin/);
    assert.doesNotMatch(own, /Cheers|Miguel|My sig/);
  });

  test('odd input never throws and still covers the body', () => {
    for (const body of ['', '\n', '>', '> > >', '@@ -1 +1 @@', '-- ', 'diff --git', '\r\n\r\n>\r\n', 'On wrote:']) {
      const segs = segmentBody(body);
      assertCovers(segs, body);
    }
  });
});

describe('unquotedDiffs', () => {
  test("gives the diffs of segmentBody's diff segments, on every peer mbox (patches, reviews quoting them)", async () => {
    let diffs = 0;
    let quoting = 0;
    for (const dir of ['b4', 'patchwork/series', 'lfdr-list-archives']) {
      for (const f of readdirSync(resolve(PEERS_DIR, dir)).filter((x) => x.endsWith('.mbox'))) {
        for (const m of await readMboxMessages(resolve(PEERS_DIR, dir, f))) {
          const segs = segmentBody(m.body);
          const fromSegments = segs.filter((x) => x.kind === 'diff').flatMap((x) => x.diffs ?? []);
          assert.deepEqual(unquotedDiffs(m.body), fromSegments, `${dir}/${f} <${m.msgid}>`);
          diffs += fromSegments.length;
          if (segs.some((x) => x.kind === 'quoted-diff')) quoting++;
        }
      }
    }
    assert.ok(diffs > 100 && quoting > 10, `${diffs} diffs, ${quoting} replies quoting one`);
  });
});
