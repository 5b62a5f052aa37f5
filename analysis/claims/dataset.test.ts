import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inputFromBody } from './bodyView.js';
import { CORPUS_FILES, PEERS_DIR, readCorpusFile, REPO_ROOT } from './corpus/index.js';
import { answeredBlock, answerKindOf, candidateSentences } from './extract.js';
import { loadLabelled, splitOf, threadKey } from './dataset.js';
import { LABELS } from './types.js';

const rows = loadLabelled();

describe('labelled claim data (data/claims/labelled.jsonl)', () => {
  test('size and coverage: >= 300 sentences, >= 80 in test, every label present', () => {
    assert.ok(rows.length >= 300, `${rows.length}`);
    const test = rows.filter((r) => r.split === 'test');
    assert.ok(test.length >= 80, `${test.length}`);
    for (const label of LABELS) assert.ok(rows.some((r) => r.kind === label), `no ${label}`);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
  });

  test('the split follows the thread rule, so no message or thread is on both sides', () => {
    const sides = new Map<string, Set<string>>();
    for (const r of rows) {
      assert.equal(r.thread, threadKey(r.subject));
      assert.equal(r.split, splitOf(r.thread));
      for (const key of [`msg:${r.msgid}`, `thread:${r.thread}`]) {
        const s = sides.get(key) ?? new Set<string>();
        s.add(r.split);
        sides.set(key, s);
      }
    }
    for (const [key, s] of sides) assert.equal(s.size, 1, `${key} is in both splits`);
  });

  test('every row points at the source line its sentence starts on', () => {
    const files = new Map<string, string[]>();
    for (const f of CORPUS_FILES) {
      const abs = f.startsWith('../') ? resolve(PEERS_DIR, f.split('/peers/')[1]) : resolve(REPO_ROOT, f);
      files.set(abs.split('/').pop() ?? f, readFileSync(abs, 'utf8').split(/\r?\n/));
    }
    let checked = 0;
    for (const r of rows) {
      const lines = files.get(r.source);
      assert.ok(lines, r.source);
      if (r.source.startsWith('001_')) continue; // one flattened line: positions index the recovered lines
      const source = lines[r.line - 1];
      const firstToken = r.text.split(' ')[0];
      if (source.includes('=?') || !/^[\x20-\x7e]*$/.test(source)) continue;
      if (lines.slice(r.bodyLine - 1, r.bodyLine + 2).some((l) => /^[A-Za-z0-9+/]{60,}={0,2}$/.test(l))) continue; // base64 body
      // quoted-printable soft line breaks above the sentence: its line is exact only in the decoded body
      if (lines.slice(r.bodyLine - 1, r.line - 1).some((l) => /[^=]=$/.test(l))) continue;
      assert.ok(source.includes(firstToken), `${r.id}: "${firstToken}" not on source line ${r.line}: ${source}`);
      checked++;
    }
    assert.ok(checked > rows.length * 0.8, `${checked} of ${rows.length}`);
  });

  test("each row's `answers` is what the extractor derives for its sentence from the source", () => {
    const derived = new Map<string, 'hunk' | 'claim' | null>();
    for (const f of CORPUS_FILES) {
      for (const m of readCorpusFile(f)) {
        const input = inputFromBody(m.msgid, m.lines, { unmarkedQuotes: m.unmarkedQuotes });
        for (const c of candidateSentences(input, { includeQuoted: true })) {
          const id = `${m.source}:${m.bodyLine + c.sentence.start.line}:${c.sentence.start.col}`;
          const block = answeredBlock(input.quoted, c.sentence, c.depth);
          if (!derived.has(id)) derived.set(id, block ? answerKindOf(block) : null);
        }
      }
    }
    for (const r of rows) {
      assert.ok(derived.has(r.id), `${r.id} is no candidate sentence of its source`);
      assert.equal(r.answers, derived.get(r.id), r.id);
    }
  });
});
