import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Message } from '../model.js';
import { SEED } from '../../test/fixtures.js';
import { looksLikeMailArchiveDump, parseMailArchiveDump } from './mailArchive.js';
import { looksLikeLkmlDump } from './lkml.js';

const thread = readFileSync(SEED.armPfnValid, 'utf8');
const archive = readFileSync(SEED.danAuthorArchive, 'utf8');

/** A message as a reader names it: who, which day (as the dump dates it), how its own text begins. */
type Key = { line: number; author: string; day: string; own: string };

/** True when `snippet` starts an unquoted line of the body (not `>`-quoted, not indented). */
function ownLineStarts(m: Message, snippet: string): boolean {
  return m.body.split('\n').some((l) => l.startsWith(snippet));
}

function find(messages: Message[], k: Key): Message {
  const m = messages.find((x) => x.provenance.line === k.line);
  assert.ok(m, `no message starts on line ${k.line}`);
  assert.equal(m.from.name, k.author, `author of line ${k.line}`);
  assert.equal(m.dateRaw, k.day, `day of line ${k.line}`);
  assert.ok(ownLineStarts(m, k.own), `line ${k.line}: own text "${k.own}" not found`);
  return m;
}

// The reply tree of seed 000, derived by hand from each reply's first attribution line (author and
// time of the message it answers) and, where one author wrote several messages on one day, from
// which of them the reply actually quotes. The dump lists messages newest first.
const AK = 'Anshuman Khandual';
const WD = 'Will Deacon';
const DH = 'David Hildenbrand';
const CM = 'Catalin Marinas';
const M = {
  akRespin: { line: 1, author: AK, day: '2021-03-04', own: 'Sure, will respin the patch series' },
  wdBisect: { line: 84, author: WD, day: '2021-03-04', own: "I don't think we ever bisected it" },
  dhMissed: { line: 162, author: DH, day: '2021-03-04', own: 'Oh, right, I missed that in patch #2' },
  akProblematic: { line: 254, author: AK, day: '2021-03-03', own: 'Right, that is problematic.' },
  wdBogusPfn: { line: 317, author: WD, day: '2021-03-03', own: 'The case I wondered about was __pfn_to_section()' },
  dhLatentBug: { line: 372, author: DH, day: '2021-03-03', own: 'Indeed, it looks like a latent bug.' },
  cmCouldntFigure: { line: 477, author: CM, day: '2021-03-03', own: "I couldn't figure out how this could fail" },
  dhStrange: { line: 545, author: DH, day: '2021-02-11', own: "It's strange. One thing I can imagine" },
  wdFragile: { line: 647, author: WD, day: '2021-02-11', own: 'Sure, but this thing is horribly fragile' },
  akBootRegression: { line: 710, author: AK, day: '2021-02-11', own: 'Ahh, boot regression ?' },
  wdDropped: { line: 762, author: WD, day: '2021-02-11', own: '... and dropped.' },
  wdMulled: { line: 805, author: WD, day: '2021-02-05', own: "Alright, I've mulled this over a bit." },
  akAgreed: { line: 844, author: AK, day: '2021-02-02', own: 'Agreed.' },
  dhBootMem: { line: 940, author: DH, day: '2021-02-02', own: 'Yeah, and I agree when it comes to boot mem.' },
  wdGenericAssumptions: { line: 1032, author: WD, day: '2021-02-02', own: 'The generic implementation already makes' },
  dhLookAtGeneric: { line: 1108, author: DH, day: '2021-02-02', own: 'It might be a good idea to have a look at generic' },
  wdTypo: { line: 1168, author: WD, day: '2021-02-02', own: 'Sorry, typo here:' },
  wdHmm: { line: 1207, author: WD, day: '2021-02-02', own: 'Hmm. Although I follow your logic' },
  akPatch: { line: 1248, author: AK, day: '2021-02-01', own: 'pfn_valid() validates a pfn but basically' },
} satisfies Record<string, Key>;

const TREE: [Key, Key | null][] = [
  [M.akRespin, M.wdBisect],
  [M.wdBisect, M.dhMissed],
  [M.dhMissed, M.akProblematic],
  [M.akProblematic, M.wdBogusPfn],
  [M.wdBogusPfn, M.cmCouldntFigure],
  [M.dhLatentBug, M.cmCouldntFigure],
  [M.cmCouldntFigure, M.dhStrange],
  [M.dhStrange, M.akBootRegression],
  [M.wdFragile, M.akBootRegression],
  [M.akBootRegression, M.wdDropped],
  [M.wdDropped, M.wdMulled],
  [M.wdMulled, M.akAgreed],
  [M.akAgreed, M.dhBootMem],
  [M.dhBootMem, M.wdGenericAssumptions],
  [M.wdGenericAssumptions, M.dhLookAtGeneric],
  [M.dhLookAtGeneric, M.wdTypo],
  [M.wdTypo, M.wdHmm],
  [M.wdHmm, M.akPatch],
  [M.akPatch, null],
];

describe('parseMailArchiveDump: seed 000 (thread page, 19 messages)', () => {
  const { messages, skips } = parseMailArchiveDump(thread, SEED.armPfnValid);

  test('19 messages, no skips, fields read from the dump', () => {
    assert.equal(messages.length, 19);
    assert.deepEqual(skips, []);
    const root = find(messages, M.akPatch);
    assert.equal(root.subject.normalized, 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
    assert.equal(root.subject.isReply, false);
    assert.equal(root.subject.version, 2);
    assert.equal(root.subject.index, 1);
    assert.equal(root.subject.total, 2);
    assert.equal(root.subject.subsystem, 'arm64/mm');
    assert.equal(root.date, '2021-02-01T00:00:00.000Z');
    assert.equal(root.tzOffset, null);
    assert.equal(root.from.address, null);
    assert.equal(root.synthetic, true);
    assert.match(root.msgid, /@synthetic\.loregraph\.invalid$/);
    assert.ok(root.body.endsWith('2.20.1'));
    const first = messages[0];
    assert.deepEqual(first.provenance, { source: SEED.armPfnValid, format: 'mail-archive', offset: 0, length: first.provenance.length, line: 1 });
    // Offsets are byte offsets: the bytes there are the message's subject line.
    const bytes = readFileSync(SEED.armPfnValid);
    for (const m of messages) {
      const at = bytes.subarray(m.provenance.offset, m.provenance.offset + 80).toString('utf8');
      assert.ok(at.startsWith(m.subject.raw), `offset of line ${m.provenance.line}`);
    }
    assert.equal(new Set(messages.map((m) => m.msgid)).size, 19);
  });

  test('the inferred reply tree is the one derived by hand, rooted at the 2021-02-01 patch', () => {
    const byId = new Map(messages.map((m) => [m.msgid, m]));
    for (const [child, parent] of TREE) {
      const m = find(messages, child);
      const got = m.inferredParent ? byId.get(m.inferredParent.parent) : null;
      if (parent === null) {
        assert.equal(m.inferredParent, null, `line ${child.line} should be the root`);
        continue;
      }
      assert.ok(got, `line ${child.line} (${child.author}, ${child.day}) has no parent; expected line ${parent.line}`);
      assert.equal(got.provenance.line, parent.line, `parent of line ${child.line} (${child.author}, ${child.day}, "${child.own}")`);
      find(messages, parent);
    }
    assert.equal(TREE.length, 19);
  });

  test('every link says how it was found, how sure it is and why', () => {
    for (const m of messages) {
      if (!m.inferredParent) continue;
      const p = m.inferredParent;
      assert.equal(p.method, 'attribution');
      assert.ok(p.confidence > 0.5 && p.confidence <= 1, `confidence ${p.confidence}`);
      const firstOn = m.body.split('\n').find((l) => /^On .*wrote:$/.test(l));
      assert.ok(firstOn && p.evidence.includes(firstOn), `evidence quotes the attribution line: ${p.evidence}`);
    }
    const same = find(messages, M.dhMissed).inferredParent;
    assert.ok(same);
    assert.match(same.evidence, /Anshuman Khandual \(2021-03-03/);
  });
});

describe('parseMailArchiveDump: seed 002 (author archive of Dan Williams)', () => {
  const { messages, skips } = parseMailArchiveDump(archive, SEED.danAuthorArchive);
  const at = (line: number) => {
    const m = messages.find((x) => x.provenance.line === line);
    assert.ok(m, `no message on line ${line}`);
    return m;
  };

  test('100 messages by one author, with subjects and days', () => {
    assert.equal(messages.length, 100);
    assert.deepEqual(skips, []);
    assert.ok(messages.every((m) => m.from.name === 'Dan Williams' && m.from.address === null));
    const first = at(1);
    assert.equal(first.subject.raw, 'Re: [PATCH -next] mm/hotplug: skip bad PFNs from pfn_to_online_page()');
    assert.equal(first.subject.tree, '-next');
    assert.equal(first.dateRaw, '2019-06-13');
    assert.equal(first.date, '2019-06-13T00:00:00.000Z');
    const cover = at(1749);
    assert.equal(cover.subject.normalized, 'libnvdimm: Fix async operations and locking');
    assert.equal(cover.subject.index, 0);
    assert.equal(cover.subject.total, 6);
    assert.equal(cover.dateRaw, '2019-06-11');
    const v9 = at(2581);
    assert.equal(v9.subject.version, 9);
    assert.equal(v9.subject.index, 7);
    assert.equal(v9.subject.subsystem, 'mm/sparsemem');
    // The pager line at the end of the page is not part of the last message.
    assert.ok(!messages[messages.length - 1].body.includes('<    8   9'));
  });

  test('replies to messages inside the archive are linked; replies to others are not invented', () => {
    // "On Wed, Jun 12, 2019 at 2:52 PM Dan Williams wrote:" answers the 2:52 PM message (line 109),
    // whose own text ("Yes, I was just sending you another note") it quotes.
    const followUp = at(299);
    assert.ok(followUp.inferredParent);
    assert.equal(followUp.inferredParent.parent, at(109).msgid);
    assert.equal(followUp.inferredParent.method, 'attribution');
    assert.match(followUp.inferredParent.evidence, /2:52 PM Dan Williams wrote:/);
    // "On Wed, Jun 12, 2019 at 12:37 PM Dan Williams wrote:" answers Dan's reply to Qian Cai (line 769).
    assert.equal(at(706).inferredParent?.parent, at(769).msgid);
    // Qian Cai's, Logan Gunthorpe's, Ira Weiny's messages are not in the archive: no parent.
    assert.equal(at(1).inferredParent, null);
    assert.equal(at(81).inferredParent, null);
    assert.equal(at(221).inferredParent, null);
    const linked = messages.filter((m) => m.inferredParent !== null);
    for (const m of linked) {
      const parent = messages.find((x) => x.msgid === m.inferredParent?.parent);
      assert.ok(parent, 'a parent is always a message of the dump');
      assert.ok(parent.date && m.date && parent.date <= m.date, 'a parent is never later than its reply');
    }
    assert.ok(linked.length >= 3 && linked.length <= 10, `${linked.length} links`);
  });
});

describe('looksLikeMailArchiveDump', () => {
  test('recognises the seeds and rejects other formats', () => {
    assert.equal(looksLikeMailArchiveDump(thread.slice(0, 4096)), true);
    assert.equal(looksLikeMailArchiveDump(archive.slice(0, 4096)), true);
    const lkml = readFileSync(SEED.lkmlDevicePrivate, 'utf8');
    assert.equal(looksLikeMailArchiveDump(lkml.slice(0, 4096)), false);
    assert.equal(looksLikeLkmlDump(thread.slice(0, 4096)), false);
    assert.equal(looksLikeMailArchiveDump(readFileSync(SEED.flatRfc822, 'utf8').slice(0, 4096)), false);
  });
});

describe('parseMailArchiveDump on bad input', () => {
  test('text without message headers is one skip, not a crash', () => {
    const r = parseMailArchiveDump('just some words\nand more\n', 'x.txt');
    assert.deepEqual(r.messages, []);
    assert.equal(r.skips.length, 1);
    assert.equal(r.skips[0].source, 'x.txt');
    assert.equal(r.skips[0].offset, 0);
  });
  test('text before the first message is reported with its offset', () => {
    const text = `page chrome\n\n${thread.slice(0, 2000)}`;
    const r = parseMailArchiveDump(text, 'y.txt');
    assert.equal(r.messages.length, 1);
    assert.deepEqual(r.skips, [{ source: 'y.txt', offset: 0, reason: '1 line(s) before the first message' }]);
    assert.equal(r.messages[0].provenance.offset, Buffer.byteLength('page chrome\n\n'));
    assert.equal(r.messages[0].provenance.line, 3);
  });
  test("mail-archive's per-message navigation is cut into footers", () => {
    const page = thread.slice(0, thread.indexOf('\n\n\nRe: [PATCH V2 1/2]', 100)) + '\n\nReply via email to\n';
    const r = parseMailArchiveDump(page, 'z.txt');
    assert.equal(r.messages.length, 1);
    assert.ok(r.messages[0].body.endsWith('and then follow up with Veronika to recreate the problem.'));
    assert.deepEqual(r.messages[0].footers, ['Reply via email to']);
  });
  test('random and mutated dumps never throw', () => {
    const mutated = fc
      .tuple(fc.nat({ max: thread.length }), fc.nat({ max: 400 }), fc.string({ maxLength: 60 }))
      .map(([at, cut, junk]) => thread.slice(0, at) + junk + thread.slice(at + cut, at + cut + 6000));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), mutated), (s) => {
        const r = parseMailArchiveDump(s, 'fuzz');
        assert.ok(Array.isArray(r.messages) && Array.isArray(r.skips));
      }),
      { numRuns: 150 },
    );
  });
});
