// Evaluates the claim classifier: trains on the train split only, predicts the test split and
// prints precision, recall and F1 per kind, macro-F1, the majority-class baseline, and the
// precision/recall of shown concerns (threshold chosen on the train split).
//   npm run eval:claims [-- --json]
import { loadLabelled, type LabelledRow } from './dataset.js';
import { binaryScore, score, type Scores } from './metrics.js';
import { predict, shownConcernCandidate, trainWithThreshold } from './model.js';
import { CLAIM_KINDS, LABELS } from './types.js';

export interface Evaluation {
  train: number;
  test: number;
  testPerKind: Record<string, number>;
  /** Scores over the six claim kinds plus `none`; macroF1 is over the claim kinds present in test. */
  scores: Scores;
  macroF1ClaimKinds: number;
  /** Kinds left out of the macro average because the test split has no example of them. */
  absentFromTest: string[];
  baseline: { label: string; macroF1ClaimKinds: number; accuracy: number };
  shownConcern: { threshold: number; precision: number; recall: number; tp: number; fp: number; fn: number };
}

function macroOver(scores: Scores, kinds: readonly string[]): number {
  const rows = scores.perLabel.filter((l) => kinds.includes(l.label));
  return rows.reduce((s, l) => s + l.f1, 0) / Math.max(1, rows.length);
}

export function evaluate(rows: readonly LabelledRow[] = loadLabelled()): Evaluation {
  const train = rows.filter((r) => r.split === 'train');
  const test = rows.filter((r) => r.split === 'test');
  const classifier = trainWithThreshold(train);
  const preds = predict(classifier, test);
  const gold = test.map((r) => r.kind);
  const labels = [...LABELS];
  const scores = score(gold, preds.map((p) => p.kind), labels);
  const testPerKind: Record<string, number> = {};
  for (const g of gold) testPerKind[g] = (testPerKind[g] ?? 0) + 1;
  const present = CLAIM_KINDS.filter((k) => (testPerKind[k] ?? 0) > 0);
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  const majority = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'assertion';
  const baseScores = score(gold, gold.map(() => majority), labels);
  const shown = binaryScore(
    gold.map((g) => g === 'concern'),
    preds.map((p) => shownConcernCandidate({ kind: p.kind, text: p.row.text }) && p.confidence >= classifier.shownConcernThreshold),
  );
  return {
    train: train.length,
    test: test.length,
    testPerKind,
    scores,
    macroF1ClaimKinds: macroOver(scores, present),
    absentFromTest: CLAIM_KINDS.filter((k) => !present.includes(k)),
    baseline: { label: majority, macroF1ClaimKinds: macroOver(baseScores, present), accuracy: baseScores.accuracy },
    shownConcern: { threshold: classifier.shownConcernThreshold, ...shown },
  };
}

export function toMarkdown(e: Evaluation): string {
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    `Claim classifier: trained on ${e.train} train sentences, evaluated on ${e.test} test sentences.`,
    '',
    '| kind | precision | recall | F1 | test support | predicted |',
    '|---|---:|---:|---:|---:|---:|',
    ...e.scores.perLabel.map((l) => `| ${l.label} | ${f(l.precision)} | ${f(l.recall)} | ${f(l.f1)} | ${l.support} | ${l.predicted} |`),
    '',
    `Macro-F1 over the claim kinds present in test: **${f(e.macroF1ClaimKinds)}**` +
      (e.absentFromTest.length ? ` (absent from test: ${e.absentFromTest.join(', ')})` : ''),
    `Accuracy (7 labels incl. none): ${f(e.scores.accuracy)}`,
    `Majority-class baseline ('${e.baseline.label}'): macro-F1 ${f(e.baseline.macroF1ClaimKinds)}, accuracy ${f(e.baseline.accuracy)}`,
    '',
    `Shown concerns (threshold ${f(e.shownConcern.threshold)}, chosen on train): precision ${f(e.shownConcern.precision)}, recall ${f(e.shownConcern.recall)} (tp ${e.shownConcern.tp}, fp ${e.shownConcern.fp}, fn ${e.shownConcern.fn})`,
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const e = evaluate();
  console.log(process.argv.includes('--json') ? JSON.stringify(e, null, 2) : toMarkdown(e));
}
