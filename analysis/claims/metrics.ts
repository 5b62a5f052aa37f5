// Classification metrics: per-label precision, recall and F1, and their macro average.

export interface LabelScore {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold examples of the label. */
  support: number;
  /** Examples predicted as the label. */
  predicted: number;
}

export interface Scores {
  perLabel: LabelScore[];
  /** Unweighted mean F1 over `labels`. */
  macroF1: number;
  accuracy: number;
}

function ratio(n: number, d: number): number {
  return d === 0 ? 0 : n / d;
}

/**
 * Scores predictions against gold labels for the given labels. A label with no gold and no
 * predicted example scores 0 and still counts in the macro average, so an absent class is never
 * hidden.
 */
export function score(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): Scores {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const perLabel = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === label;
      const p = predicted[i] === label;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { label, precision, recall, f1, support: tp + fn, predicted: tp + fp };
  });
  const correct = gold.filter((g, i) => g === predicted[i]).length;
  return {
    perLabel,
    macroF1: perLabel.reduce((s, l) => s + l.f1, 0) / Math.max(1, perLabel.length),
    accuracy: ratio(correct, gold.length),
  };
}

/** Precision and recall of a binary decision (e.g. "shown concern") against a binary gold. */
export function binaryScore(gold: readonly boolean[], predicted: readonly boolean[]): { precision: number; recall: number; tp: number; fp: number; fn: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  gold.forEach((g, i) => {
    if (g && predicted[i]) tp++;
    else if (predicted[i]) fp++;
    else if (g) fn++;
  });
  return { precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), tp, fp, fn };
}
