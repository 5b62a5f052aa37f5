import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromBody } from './bodyView.js';
import { CORPUS_FILES, readCorpusFile, type CorpusMessage } from './corpus/index.js';
import { splitSentences } from './sentences.js';

function message(file: string, author: string, date: string): CorpusMessage {
  const m = readCorpusFile(file).find((x) => x.author === author && x.date.startsWith(date));
  assert.ok(m, `${author} ${date} in ${file}`);
  return m;
}

function ownSentences(m: CorpusMessage): string[] {
  const input = inputFromBody(m.msgid, m.lines, { unmarkedQuotes: m.unmarkedQuotes });
  return splitSentences(m.lines, input.ownRanges).map((s) => s.text);
}

const SEED_000 = 'data/samples/000_e39e1c1dbf3cb047.txt';

describe('splitSentences on the seed threads', () => {
  test('a numbered list keeps its items apart, and wrapped lines join into one sentence', () => {
    const texts = ownSentences(message(SEED_000, 'David Hildenbrand', '2021-02-11'));
    assert.ok(texts.includes('In sparse_init_nid(), we:'));
    assert.ok(texts.includes('1. Initialize the memmap'));
    assert.ok(texts.includes('2. Set SECTION_IS_EARLY | SECTION_HAS_MEM_MAP via sparse_init_one_section()'));
    assert.ok(
      texts.includes(
        'Only hotplugged sections (DIMMs, dax/kmem) set SECTION_HAS_MEM_MAP without SECTION_IS_EARLY - which is correct, because these are not early.',
      ),
    );
    assert.ok(texts.includes("It's strange."));
    assert.ok(texts.includes('One thing I can imagine is a mis-detection of early sections.'));
  });

  test('a version number ends a sentence only where a new one starts (v5.12, 5.12.)', () => {
    const texts = ownSentences(message(SEED_000, 'Will Deacon', '2021-02-05'));
    assert.ok(
      texts.includes(
        "I don't agree that this patch helps with maintainability (quite the opposite, in fact), but perfection is the enemy of the good so I'll queue the series for 5.12.",
      ),
    );
    assert.ok(texts.some((t) => t.startsWith("However, I'll revert the changes at the first sign of a problem")));
  });

  test('code identifiers, paths, abbreviations and ellipses stay inside their sentence', () => {
    const catalin = ownSentences(message(SEED_000, 'Catalin Marinas', '2021-03-03'));
    assert.ok(
      catalin.includes('Assuming that we do get a valid_section(ms) && !early_section(ms), is there a case where ms->usage is not initialised?'),
    );
    const page = readCorpusFile(SEED_000).flatMap(ownSentences);
    assert.ok(page.includes('It might be a good idea to have a look at generic include/linux/mmzone.h:pfn_valid()'));
    const ard = ownSentences(readCorpusFile('data/samples/003_71958f29ad8d687f.txt')[0]);
    assert.ok(
      ard.includes(
        'The bottom line is that the VMEMMAP region is dimensioned to cover system memory only, i.e., what can be covered by the kernel direct map.',
      ),
    );
    assert.ok(ard.includes('So the PFN associated with the first usable DRAM address is 0x800_0000, and pfn_to_page(0x800_0000) will return VMEMMAP_START.'));
    assert.ok(page.includes('... and dropped.'));
  });

  test('"#3 and #4" opens a sentence after a full stop', () => {
    const [m] = readCorpusFile('data/samples/004_eeb55a53d6283a53.txt');
    const input = inputFromBody(m.msgid, m.lines);
    const plain = m.lines.map((l) => l.replace(/^\s?(?:>\s?)+/, (x) => ' '.repeat(x.length)));
    const quotedTexts = input.quoted.flatMap((b) => splitSentences(plain, [[b.start, b.end]]).map((s) => s.text));
    assert.ok(quotedTexts.includes('I can see that your patch tries to make #5 vanish by initializing the memmap, fair enough.'));
    assert.ok(quotedTexts.includes("#3 and #4 can't be detected."));
    assert.ok(quotedTexts.includes('The PFN walker could still stumble over uninitialized memmaps.'));
  });

  test('every sentence of every corpus message is exactly the text between its recorded positions', () => {
    let checked = 0;
    for (const file of CORPUS_FILES) {
      for (const m of readCorpusFile(file)) {
        const input = inputFromBody(m.msgid, m.lines, { unmarkedQuotes: m.unmarkedQuotes });
        for (const s of splitSentences(m.lines, input.ownRanges)) {
          const pieces: string[] = [];
          for (let ln = s.start.line; ln <= s.end.line; ln++) {
            const from = ln === s.start.line ? s.start.col : 0;
            const to = ln === s.end.line ? s.end.col : m.lines[ln].length;
            pieces.push(m.lines[ln].slice(from, to));
          }
          const rebuilt = pieces.map((p) => p.trim()).filter((p) => p !== '').join(' ').replace(/[ \t\u00a0]+/g, ' ');
          assert.equal(rebuilt, s.text, `${m.msgid} line ${s.start.line}`);
          assert.ok(s.start.line >= 0 && s.end.line >= s.start.line && s.end.line < m.lines.length);
          checked++;
        }
      }
    }
    assert.ok(checked > 800, `only ${checked} sentences checked`);
  });

  test('a blank line ends a paragraph: no sentence spans one', () => {
    const m = message(SEED_000, 'Anshuman Khandual', '2021-02-01');
    const input = inputFromBody(m.msgid, m.lines);
    for (const s of splitSentences(m.lines, input.ownRanges)) {
      for (let ln = s.start.line; ln <= s.end.line; ln++) assert.notEqual(m.lines[ln].trim(), '', `sentence "${s.text}" spans a blank line`);
    }
  });
});
