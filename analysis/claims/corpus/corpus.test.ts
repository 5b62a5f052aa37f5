import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromBody } from '../bodyView.js';
import { readCorpusFile } from './index.js';

describe('claim corpus readers on the raw files', () => {
  test('mail-archive.com page: 19 messages, and quotes whose markers the page lost are recognised', () => {
    const page = readCorpusFile('data/samples/000_e39e1c1dbf3cb047.txt');
    assert.equal(page.length, 19);
    const david = page.find((m) => m.author === 'David Hildenbrand' && m.date === '2021-02-11');
    assert.ok(david);
    const at = (prefix: string): number => david.lines.findIndex((l) => l.startsWith(prefix));
    assert.ok(david.unmarkedQuotes.has(at('Ahh, boot regression ?')));
    assert.ok(david.unmarkedQuotes.has(at('Will look into the logs and see if there is something pointing to')));
    assert.ok(!david.unmarkedQuotes.has(at("It's strange. One thing I can imagine")));
    assert.ok(!david.unmarkedQuotes.has(at('Only hotplugged sections (DIMMs, dax/kmem) set SECTION_HAS_MEM_MAP')));
    const input = inputFromBody(david.msgid, david.lines, { unmarkedQuotes: david.unmarkedQuotes });
    assert.ok(input.ownRanges.some(([s, e]) => s <= at("It's strange.") && at("It's strange.") <= e));
  });

  test('flattened RFC822: quote runs start lines again, and the reply is cut from the quoted line it followed', () => {
    const [m] = readCorpusFile('data/samples/001_3ff6e6a83da12ccf.txt');
    assert.equal(m.subject, 'Re: [PATCH] mm: Teach pfn_to_online_page() about ZONE_DEVICE section collisions');
    const poison = m.lines.indexOf('> >> After memunmap (poisioning):');
    assert.ok(poison > 0);
    assert.equal(m.lines[poison - 1], '> >>');
    const reply = m.lines.findIndex((l) => l.startsWith('Good eye, I glazed over'));
    assert.equal(m.lines[reply - 2], '> on the slow path. Ideally also on the fast path.');
  });

  test('lfdr mboxes: every message read, base64 bodies decoded', () => {
    const counts = [
      ['kvmarm-pmu-disabled-counters-2021.mbox', 12],
      ['lakml-gic-v3-its-disabled-irq-2020.mbox', 11],
      ['nvdimm-btt-block-integrity-2024.mbox', 11],
    ] as const;
    for (const [file, n] of counts) assert.equal(readCorpusFile(`../shared/corpus/peers/lfdr-list-archives/${file}`).length, n);
    const nvdimm = readCorpusFile('../shared/corpus/peers/lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox');
    const last = nvdimm[nvdimm.length - 1];
    assert.match(last.author, /Verma, Vishal L/);
    assert.equal(last.lines[0], 'On Fri, 2024-11-15 at 08:19 -0700, Keith Busch wrote:');
  });
});
