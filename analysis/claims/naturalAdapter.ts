// The one module that touches `natural`: word tokenising, Porter stemming and a naive Bayes model
// (natural's BayesClassifier) with log-space scoring and JSON persistence. natural's package root
// loads database drivers, so only its submodules are imported.
import { BayesClassifier } from 'natural/lib/natural/classifiers/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/index.js';

const tokenizer = new WordTokenizer();

/** Lower-cased word tokens of a text (letters, digits and underscores). */
export function words(text: string): string[] {
  return tokenizer.tokenize(text.toLowerCase());
}

const stemCache = new Map<string, string>();

/** Porter stem of a word (memoised: review mail repeats a small vocabulary). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stemCache.size < 100_000) stemCache.set(word, s);
  }
  return s;
}

export interface BayesModel {
  labels(): string[];
  /** Log score of each label for a set of features (unknown features are ignored). */
  logScores(features: readonly string[]): Map<string, number>;
  toJSON(): unknown;
}

class NaturalBayes implements BayesModel {
  private readonly index: Map<string, number>;
  /** Per label: log prior. */
  private readonly base = new Map<string, number>();
  /** Per label and feature index: log P(feature | label). */
  private readonly presentGain = new Map<string, Float64Array>();

  constructor(private readonly model: BayesClassifier) {
    const names = Object.keys(model.features);
    this.index = new Map(names.map((f, i) => [f, i]));
    // natural's apparatus stores, per label, (documents + 1) in classTotals and, per feature,
    // (count + smoothing) once seen. Its own scoring divides by the label's document count with an
    // unscaled smoothing term, which lets a label with two documents outvote one with two hundred;
    // so the counts are read back and scored as a multinomial naive Bayes over binary features
    // with Laplace smoothing.
    const apparatus = model.classifier;
    const alpha = apparatus.smoothing;
    const labels = Object.keys(apparatus.classTotals);
    for (const label of labels) {
      const stored = apparatus.classFeatures[label];
      const gain = new Float64Array(names.length);
      // Uniform class prior: with assertions three times as common as concerns, the empirical
      // prior buried the rarer kinds (cross-validation on the train split).
      const base = 0;
      let tokens = 0;
      for (let i = 0; i < names.length; i++) tokens += stored[i] ? stored[i] - alpha : 0;
      for (let i = 0; i < names.length; i++) {
        const count = stored[i] ? stored[i] - alpha : 0;
        gain[i] = Math.log((count + alpha) / (tokens + alpha * names.length));
      }
      this.base.set(label, base);
      this.presentGain.set(label, gain);
    }
  }

  labels(): string[] {
    return [...this.base.keys()];
  }

  logScores(features: readonly string[]): Map<string, number> {
    const seen = new Set<number>();
    for (const f of features) {
      const i = this.index.get(f);
      if (i !== undefined) seen.add(i);
    }
    const out = new Map<string, number>();
    for (const [label, base] of this.base) {
      const gain = this.presentGain.get(label) as Float64Array;
      let score = base;
      for (const i of seen) score += gain[i];
      out.set(label, score);
    }
    return out;
  }

  toJSON(): unknown {
    return this.model;
  }
}

/** Trains natural's BayesClassifier on feature lists (already tokenised, so no stop-word removal). */
export function trainBayes(docs: ReadonlyArray<{ features: string[]; label: string }>, smoothing = 1): BayesModel {
  const model = new BayesClassifier(PorterStemmer, smoothing);
  for (const d of docs) if (d.features.length > 0) model.addDocument(d.features, d.label);
  model.train();
  return new NaturalBayes(model);
}

/** Restores a model saved with `JSON.stringify(model)`. */
export function restoreBayes(json: unknown): BayesModel {
  if (typeof json !== 'object' || json === null) throw new Error('not a saved Bayes model');
  return new NaturalBayes(BayesClassifier.restore(json as Record<string, unknown>, PorterStemmer));
}
