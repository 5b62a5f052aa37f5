// Training the claim classifier on labelled rows, choosing the shown-concern threshold on the
// train split by grouped cross-validation, and loading the cached model (data/claims/model.json).
import { existsSync, readFileSync } from 'node:fs';
import { ClaimClassifier, CONCERN_OVERRIDE_CONFIDENCE, type SavedClaimClassifier, type TrainOptions } from './classify.js';
import { CUES, hasConcernEvidence } from './cues.js';
import { type LabelledRow, loadLabelled, MODEL_PATH, rowContext } from './dataset.js';
import { findEntities } from './entities.js';
import type { Claim, Label } from './types.js';

/** Trains on exactly the rows given (callers pass the train split). */
export function trainClassifier(rows: readonly LabelledRow[], options: Partial<TrainOptions> = {}): ClaimClassifier {
  return ClaimClassifier.train(
    rows.map((r) => ({ text: r.text, kind: r.kind, context: rowContext(r) })),
    (text) => findEntities(text),
    options,
  );
}

export interface Prediction {
  row: LabelledRow;
  kind: Label;
  confidence: number;
}

export function predict(classifier: ClaimClassifier, rows: readonly LabelledRow[]): Prediction[] {
  return rows.map((row) => {
    const { kind, confidence } = classifier.classify(row.text, findEntities(row.text), rowContext(row));
    return { row, kind, confidence };
  });
}

/** Out-of-fold predictions over `rows`, folds made of whole threads (never of single sentences). */
export function crossValidate(rows: readonly LabelledRow[], folds = 5, options: Partial<TrainOptions> = {}): Prediction[] {
  const threads = [...new Set(rows.map((r) => r.thread))].sort();
  const foldOf = new Map(threads.map((t, i) => [t, i % folds]));
  const out: Prediction[] = [];
  for (let k = 0; k < folds; k++) {
    const train = rows.filter((r) => foldOf.get(r.thread) !== k);
    const held = rows.filter((r) => foldOf.get(r.thread) === k);
    if (held.length === 0 || train.length === 0) continue;
    out.push(...predict(trainClassifier(train, options), held));
  }
  return out;
}

export const SHOWN_CONCERN_PRECISION = 0.9;
/**
 * The precision the threshold is chosen for on out-of-fold predictions of the train split: the
 * lowest confidence at which every out-of-fold shown concern was right. It is above
 * SHOWN_CONCERN_PRECISION because a threshold fitted to exactly 0.9 (or 0.95) on the sentences it
 * was chosen on fell short on held-out threads, while 1.0 kept every shown concern of nested
 * cross-validation right at the same recall (analysis/claims/cv.ts, data/claims/README.md).
 */
export const SHOWN_CONCERN_SELECTION_TARGET = 1;

/**
 * A predicted concern is a shown-concern candidate only when its sentence carries concern
 * evidence (a defect word, a worry, or a modal "might crash"-style risk): on out-of-fold
 * predictions of the train split, concerns without such a cue were right less than half the time.
 * A sentence whose objection words object to nothing in the patch (`CUES.notAnObjection`: one's own
 * mistake, a denial, a condition) is never one: the model reads the same words as evidence and was
 * sure of three such kvmarm sentences ("My assumption is completely wrong I suppose.").
 */
export function shownConcernCandidate(p: { kind: Label; text: string }): boolean {
  return p.kind === 'concern' && hasConcernEvidence(p.text) && !CUES.notAnObjection.test(p.text);
}

/**
 * The lowest confidence at which shown-concern candidates reach the target precision on
 * out-of-fold predictions of the train split. When no threshold reaches it, the one with the
 * best precision is returned (and the evaluation reports the precision actually reached).
 */
export function chooseShownConcernThreshold(oof: readonly Prediction[], target = SHOWN_CONCERN_PRECISION, minShown = 5): number {
  const concerns = oof
    .filter((p) => shownConcernCandidate({ kind: p.kind, text: p.row.text }))
    .sort((a, b) => b.confidence - a.confidence);
  let best = { threshold: 1, precision: -1 };
  let tp = 0;
  let lowestMeeting: number | null = null;
  concerns.forEach((p, i) => {
    if (p.row.kind === 'concern') tp++;
    const shown = i + 1;
    const next = concerns[i + 1];
    if (next && next.confidence === p.confidence) return; // a threshold cannot split equal confidences
    const precision = tp / shown;
    if (shown >= minShown && precision >= target) lowestMeeting = p.confidence;
    if (shown >= minShown && precision > best.precision) best = { threshold: p.confidence, precision };
  });
  return lowestMeeting ?? best.threshold;
}

/**
 * The shown-concern threshold is never below the confidence of the strongConcern override: the
 * model's own concerns are shown only when it is at least as sure of them as of a concern put in
 * unambiguous words. In nested grouped cross-validation on the train split (with the kind lexicon),
 * thresholds chosen without the floor fell to 0.70–0.84 in some inner folds and, across selection
 * settings, showed 18/18, 20/21, 21/22 and 23/26 right; with it 18 of 18 in every setting (see
 * data/claims/README.md for why that figure is optimistic).
 */
export const SHOWN_CONCERN_FLOOR = CONCERN_OVERRIDE_CONFIDENCE;

/** The shown-concern threshold for out-of-fold predictions: the chosen one, raised to the floor. */
export function shownConcernThreshold(oof: readonly Prediction[], target = SHOWN_CONCERN_SELECTION_TARGET): number {
  return Math.max(SHOWN_CONCERN_FLOOR, chooseShownConcernThreshold(oof, target));
}

/** Trains on the rows and sets the shown-concern threshold from cross-validation on the same rows. */
export function trainWithThreshold(rows: readonly LabelledRow[], options: Partial<TrainOptions> = {}, shownTarget = SHOWN_CONCERN_SELECTION_TARGET): ClaimClassifier {
  const classifier = trainClassifier(rows, options);
  classifier.shownConcernThreshold = shownConcernThreshold(crossValidate(rows, 5, options), shownTarget);
  return classifier;
}

let cached: ClaimClassifier | null = null;

/**
 * The classifier used by the pipeline: data/claims/model.json (built by analysis/claims/train.ts
 * from the train split) when present, else trained from the train split at load time.
 */
export function loadClassifier(path = MODEL_PATH): ClaimClassifier {
  if (cached) return cached;
  if (existsSync(path)) {
    cached = ClaimClassifier.restore(JSON.parse(readFileSync(path, 'utf8')) as SavedClaimClassifier);
  } else {
    cached = trainWithThreshold(loadLabelled().filter((r) => r.split === 'train'));
  }
  return cached;
}

/**
 * True for a concern the UI and summaries show: a predicted concern with concern evidence and a
 * confidence at or above the threshold chosen on the train split (aiming at nine in ten right).
 */
export function shownConcern(claim: Pick<Claim, 'kind' | 'confidence' | 'text'>, classifier: ClaimClassifier = loadClassifier()): boolean {
  return shownConcernCandidate(claim) && claim.confidence >= classifier.shownConcernThreshold;
}
