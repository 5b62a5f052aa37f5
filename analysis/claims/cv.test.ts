import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CV_MACRO_KINDS, crossValidateTrain, cvMarkdown } from './cv.js';
import { loadLabelled } from './dataset.js';

describe('grouped cross-validation on the train split', () => {
  // A slice of the train split keeps the test fast; the full run is `node --import tsx analysis/claims/cv.ts`.
  const rows = loadLabelled()
    .filter((r) => r.split === 'train')
    .filter((r) => /pmu|gic|btt|ipa|rdma|swap|hotplug/.test(r.thread));

  test('every sentence is predicted once, by a model that never saw its thread', () => {
    const cv = crossValidateTrain(rows, 3);
    assert.equal(cv.predictions.length, rows.length);
    assert.deepEqual(new Set(cv.predictions.map((p) => p.row.id)), new Set(rows.map((r) => r.id)));
    assert.ok(cv.macroF1 > 0 && cv.macroF1 <= 1);
    assert.equal(CV_MACRO_KINDS.length, 5);
    const { tp, fp, fn } = cv.shownConcern;
    assert.equal(tp + fn, rows.filter((r) => r.kind === 'concern').length);
    assert.ok(tp + fp <= cv.predictions.filter((p) => p.kind === 'concern').length);
    assert.match(cvMarkdown(cv), /Macro-F1 over concern, assertion, question, suggestion, agreement/);
  });
});
