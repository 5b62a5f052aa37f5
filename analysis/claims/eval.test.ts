import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClaimClassifier, type SavedClaimClassifier } from './classify.js';
import { loadLabelled, MODEL_PATH } from './dataset.js';
import { evaluate } from './eval.js';
import { binaryScore, score } from './metrics.js';
import { chooseShownConcernThreshold, trainWithThreshold, type Prediction } from './model.js';

describe('metrics', () => {
  test('precision, recall, F1 and macro-F1 on a hand-computed example', () => {
    // gold:      a a a b b c
    // predicted: a a b b c c
    // a: tp 2 fp 0 fn 1 -> P 1, R 2/3, F1 0.8
    // b: tp 1 fp 1 fn 1 -> P 1/2, R 1/2, F1 1/2
    // c: tp 1 fp 1 fn 0 -> P 1/2, R 1, F1 2/3
    // d: no gold, no prediction -> 0 (and still counted in the macro average)
    const s = score(['a', 'a', 'a', 'b', 'b', 'c'], ['a', 'a', 'b', 'b', 'c', 'c'], ['a', 'b', 'c', 'd']);
    const [a, b, c, d] = s.perLabel;
    assert.equal(a.precision, 1);
    assert.ok(Math.abs(a.recall - 2 / 3) < 1e-12);
    assert.ok(Math.abs(a.f1 - 0.8) < 1e-12);
    assert.equal(b.precision, 0.5);
    assert.equal(b.recall, 0.5);
    assert.equal(b.f1, 0.5);
    assert.equal(c.precision, 0.5);
    assert.equal(c.recall, 1);
    assert.ok(Math.abs(c.f1 - 2 / 3) < 1e-12);
    assert.deepEqual([d.f1, d.support, d.predicted], [0, 0, 0]);
    assert.ok(Math.abs(s.macroF1 - (0.8 + 0.5 + 2 / 3 + 0) / 4) < 1e-12);
    assert.ok(Math.abs(s.accuracy - 4 / 6) < 1e-12);
  });

  test('binary precision and recall', () => {
    const r = binaryScore([true, true, false, false, true], [true, false, true, false, true]);
    assert.deepEqual([r.tp, r.fp, r.fn], [2, 1, 1]);
    assert.ok(Math.abs(r.precision - 2 / 3) < 1e-12);
    assert.ok(Math.abs(r.recall - 2 / 3) < 1e-12);
  });

  test('the shown-concern threshold is the lowest confidence that keeps the target precision', () => {
    const rows = loadLabelled();
    const concern = rows.find((r) => r.kind === 'concern' && /\bbroken\b/.test(r.text));
    const assertion = rows.find((r) => r.kind === 'assertion' && /\bbogus\b/.test(r.text));
    assert.ok(concern && assertion);
    // Six predicted concerns with concern evidence, by confidence: right, right, right, right, right, wrong.
    const preds: Prediction[] = [0.9, 0.8, 0.7, 0.6, 0.5].map((confidence) => ({ row: concern, kind: 'concern', confidence }));
    preds.push({ row: assertion, kind: 'concern', confidence: 0.4 });
    assert.equal(chooseShownConcernThreshold(preds, 0.9, 5), 0.5);
    // With the wrong one on top, 5 shown reach 4/5 = 0.8 and 6 reach 5/6: the best precision wins.
    preds[5] = { row: assertion, kind: 'concern', confidence: 0.95 };
    assert.equal(chooseShownConcernThreshold(preds, 0.9, 5), 0.5);
  });
});

describe('evaluation on the thread split', () => {
  const e = evaluate();

  test('the classifier beats the majority-class baseline on the test split', () => {
    assert.ok(e.test >= 80);
    assert.ok(e.macroF1ClaimKinds > e.baseline.macroF1ClaimKinds + 0.2, `${e.macroF1ClaimKinds} vs ${e.baseline.macroF1ClaimKinds}`);
    assert.ok(e.scores.accuracy > e.baseline.accuracy, `${e.scores.accuracy} vs ${e.baseline.accuracy}`);
  });

  test('the cached model is the one trained on the train split, threshold included', () => {
    const saved = JSON.parse(readFileSync(MODEL_PATH, 'utf8')) as SavedClaimClassifier;
    const train = loadLabelled().filter((r) => r.split === 'train');
    assert.equal(saved.trainedOn.sentences, train.length);
    const retrained = trainWithThreshold(train);
    assert.equal(saved.shownConcernThreshold, retrained.shownConcernThreshold);
    const cached = ClaimClassifier.restore(saved);
    for (const row of loadLabelled().filter((r) => r.split === 'test').slice(0, 40)) {
      assert.deepEqual(cached.posteriors(row.text, []), retrained.posteriors(row.text, []));
    }
  });
});
