import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogisticModel } from './logistic.js';

const doc = (label: string, ...features: string[]): { features: Map<string, number>; label: string } => ({
  features: new Map(features.map((f) => [f, 1])),
  label,
});

function argmax(model: LogisticModel, ...features: string[]): string {
  const p = model.probabilities(new Map(features.map((f) => [f, 1])));
  return model.labels[p.indexOf(Math.max(...p))];
}

describe('logistic regression', () => {
  const docs = [
    doc('x', 'a', 'c'),
    doc('x', 'a'),
    doc('x', 'a', 'd'),
    doc('y', 'b', 'c'),
    doc('y', 'b'),
    doc('y', 'b', 'd'),
    doc('z', 'e'),
    doc('z', 'e', 'c'),
  ];

  test('learns a separable problem, probabilities sum to 1', () => {
    const m = LogisticModel.train(docs);
    assert.deepEqual(m.labels, ['x', 'y', 'z']);
    assert.equal(argmax(m, 'a'), 'x');
    assert.equal(argmax(m, 'b', 'c'), 'y');
    assert.equal(argmax(m, 'e'), 'z');
    const p = m.probabilities(new Map([['a', 1]]));
    assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-9);
    assert.ok(p[0] > 0.8, `${p[0]}`);
    assert.ok(m.weight('x', 'a') > 0 && m.weight('y', 'a') < 0);
    assert.equal(m.weight('x', 'unknown'), 0);
  });

  test('unknown features are ignored: an empty sentence gets the bias only', () => {
    const m = LogisticModel.train(docs);
    assert.deepEqual(m.probabilities(new Map([['never seen', 1]])), m.probabilities(new Map()));
  });

  test('training is deterministic and a saved model restores exactly', () => {
    const a = LogisticModel.train(docs);
    const b = LogisticModel.train(docs);
    assert.deepEqual(JSON.stringify(a.toJSON()), JSON.stringify(b.toJSON()));
    const restored = LogisticModel.restore(JSON.parse(JSON.stringify(a.toJSON())));
    const f = new Map([['a', 1], ['c', 1]]);
    assert.deepEqual(restored.probabilities(f), a.probabilities(f));
  });

  test('balanced class weights lift a rare class on an ambiguous feature', () => {
    const skewed = [
      ...Array.from({ length: 12 }, () => doc('common', 'shared')),
      doc('rare', 'shared'),
      doc('rare', 'shared'),
    ];
    const p = (classWeight: 'balanced' | 'none'): number => {
      const m = LogisticModel.train(skewed, { classWeight });
      return m.probabilities(new Map([['shared', 1]]))[m.labels.indexOf('rare')];
    };
    assert.ok(p('none') < 0.3, `${p('none')}`);
    assert.ok(p('balanced') > 0.4, `${p('balanced')}`);
  });

  test('features seen in fewer than minCount documents are dropped', () => {
    const m = LogisticModel.train(docs, { minCount: 3 });
    assert.deepEqual([...m.features].sort(), ['a', 'b', 'c', 'd'].filter((f) => docs.filter((d) => d.features.has(f)).length >= 3));
  });

  test('restore rejects a malformed model', () => {
    assert.throws(() => LogisticModel.restore({ labels: ['x'], features: ['a'], weights: [[1, 2]], bias: [0] }));
    assert.throws(() => LogisticModel.restore({ labels: ['x', 'y'], features: [], weights: [[]], bias: [0, 0] }));
  });
});
