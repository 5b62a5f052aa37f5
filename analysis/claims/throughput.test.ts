import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputFromBody } from './bodyView.js';
import { CORPUS_FILES, readCorpusFile } from './corpus/index.js';
import { extractMany } from './pipeline.js';
import { measureExtraction } from './throughput.js';

test('extraction over the whole corpus runs at hundreds of sentences per second at least', () => {
  const inputs = CORPUS_FILES.flatMap((f) => readCorpusFile(f).map((m) => inputFromBody(m.msgid, m.lines, { unmarkedQuotes: m.unmarkedQuotes })));
  const t = measureExtraction(inputs, 3);
  assert.equal(t.messages, 186);
  assert.ok(t.sentences > 800, `${t.sentences}`);
  assert.equal(t.claims, extractMany(inputs).length);
  assert.ok(t.claims > 300 && t.claims < t.sentences, `${t.claims}`);
  // Measured at ~4,800 sentences/s on the development machine; the bound only catches a
  // quadratic slip, not a busy CI box.
  assert.ok(t.sentencesPerSecond > 500, `${t.sentencesPerSecond.toFixed(0)} sentences/s`);
});
