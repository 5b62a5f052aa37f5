// Grouped cross-validation on the train split only: what every model, feature and threshold
// choice of the claim classifier is made on (the test split is never looked at here).
//   node --import tsx analysis/claims/cv.ts [--json]
import type { TrainOptions } from './classify.js';
import { loadLabelled, type LabelledRow } from './dataset.js';
import { binaryScore, score, type Scores } from './metrics.js';
import { crossValidate, SHOWN_CONCERN_SELECTION_TARGET, shownConcernCandidate, shownConcernThreshold, type Prediction } from './model.js';
import { LABELS } from './types.js';

/** The claim kinds the macro average is taken over (nak has two examples, all in one message). */
export const CV_MACRO_KINDS = ['concern', 'assertion', 'question', 'suggestion', 'agreement'] as const;

export interface CrossValidation {
  sentences: number;
  folds: number;
  scores: Scores;
  macroF1: number;
  /**
   * Shown concerns with the threshold chosen inside each outer fold (nested cross-validation),
   * so the precision is not measured on the sentences the threshold was chosen on.
   */
  shownConcern: { precision: number; recall: number; tp: number; fp: number; fn: number };
  predictions: Prediction[];
}

function foldsOf(rows: readonly LabelledRow[], folds: number): Map<string, number> {
  const threads = [...new Set(rows.map((r) => r.thread))].sort();
  return new Map(threads.map((t, i) => [t, i % folds]));
}

export function crossValidateTrain(rows: readonly LabelledRow[] = loadLabelled().filter((r) => r.split === 'train'), folds = 5, options: Partial<TrainOptions> = {}, shownTarget = SHOWN_CONCERN_SELECTION_TARGET): CrossValidation {
  const foldOf = foldsOf(rows, folds);
  // crossValidate() numbers the sorted threads modulo `folds` exactly as foldsOf() does.
  const predictions = crossValidate(rows, folds, options);
  const thresholds = new Map<number, number>();
  for (let k = 0; k < folds; k++) {
    const inner = rows.filter((r) => foldOf.get(r.thread) !== k);
    if (inner.length < rows.length) thresholds.set(k, shownConcernThreshold(crossValidate(inner, folds, options), shownTarget));
  }
  const shown = predictions.map(
    (p) => shownConcernCandidate({ kind: p.kind, text: p.row.text }) && p.confidence >= (thresholds.get(foldOf.get(p.row.thread) ?? -1) ?? 1),
  );
  const gold = predictions.map((p) => p.row.kind);
  const scores = score(gold, predictions.map((p) => p.kind), [...LABELS]);
  const macroF1 = scores.perLabel.filter((l) => (CV_MACRO_KINDS as readonly string[]).includes(l.label)).reduce((s, l) => s + l.f1, 0) / CV_MACRO_KINDS.length;
  return {
    sentences: rows.length,
    folds,
    scores,
    macroF1,
    shownConcern: binaryScore(gold.map((g) => g === 'concern'), shown),
    predictions,
  };
}

export function cvMarkdown(cv: CrossValidation): string {
  const f = (x: number): string => x.toFixed(3);
  return [
    `Grouped ${cv.folds}-fold cross-validation (folds of whole threads) on ${cv.sentences} train sentences.`,
    '',
    '| kind | precision | recall | F1 | support | predicted |',
    '|---|---:|---:|---:|---:|---:|',
    ...cv.scores.perLabel.map((l) => `| ${l.label} | ${f(l.precision)} | ${f(l.recall)} | ${f(l.f1)} | ${l.support} | ${l.predicted} |`),
    '',
    `Macro-F1 over ${CV_MACRO_KINDS.join(', ')}: **${f(cv.macroF1)}**; accuracy ${f(cv.scores.accuracy)}`,
    `Shown concerns (threshold chosen by inner cross-validation in each fold): precision ${f(cv.shownConcern.precision)}, recall ${f(cv.shownConcern.recall)} (tp ${cv.shownConcern.tp}, fp ${cv.shownConcern.fp}, fn ${cv.shownConcern.fn})`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cv = crossValidateTrain();
  console.log(process.argv.includes('--json') ? JSON.stringify({ ...cv, predictions: undefined }, null, 2) : cvMarkdown(cv));
}
