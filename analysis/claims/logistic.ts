// A small multinomial logistic regression (softmax) over sparse named features, trained by
// full-batch gradient descent with Adam, L2 regularisation and per-class weights. natural's
// LogisticRegressionClassifier was too slow for grouped cross-validation over a few hundred
// sentences (and has no class weights or regularisation), so the model is written here; natural
// still does the tokenising and stemming (naturalAdapter.ts). Training is deterministic: weights
// start at zero and every step uses the whole training set in a fixed order.

export type SparseFeatures = ReadonlyMap<string, number>;

export interface LogisticOptions {
  /** L2 penalty per training example (the loss is the weighted mean cross-entropy plus l2/2·|W|²). */
  l2: number;
  /** Number of full-batch Adam steps. */
  epochs: number;
  learningRate: number;
  /**
   * Weight of each class in the loss. 'balanced' gives every class the same total weight
   * (n / (classes · count)), so a kind with 40 examples counts as much as one with 170; 'sqrt'
   * takes the square root of that weight.
   */
  classWeight: 'balanced' | 'sqrt' | 'none' | Readonly<Record<string, number>>;
  /** Features seen in fewer training examples than this are dropped. */
  minCount: number;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = {
  l2: 0.01,
  epochs: 100,
  learningRate: 0.2,
  classWeight: 'balanced',
  minCount: 2,
};

export interface SavedLogistic {
  labels: string[];
  features: string[];
  /** Row-major [label][feature] weights, rounded for a compact file. */
  weights: number[][];
  bias: number[];
}

interface Example {
  idx: Int32Array;
  val: Float64Array;
  y: number;
  w: number;
}

export class LogisticModel {
  private readonly index: Map<string, number>;

  constructor(
    readonly labels: readonly string[],
    readonly features: readonly string[],
    /** weights[k][j]: weight of feature j for label k. */
    private readonly weights: Float64Array[],
    private readonly bias: Float64Array,
  ) {
    this.index = new Map(features.map((f, j) => [f, j]));
  }

  static train(docs: ReadonlyArray<{ features: SparseFeatures; label: string }>, options: Partial<LogisticOptions> = {}): LogisticModel {
    const opts = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
    const labels = [...new Set(docs.map((d) => d.label))].sort();
    const K = labels.length;
    const labelIndex = new Map(labels.map((l, k) => [l, k]));
    // Vocabulary: features in at least minCount documents, in first-seen order.
    const df = new Map<string, number>();
    for (const d of docs) for (const f of d.features.keys()) df.set(f, (df.get(f) ?? 0) + 1);
    const features = [...df].filter(([, n]) => n >= opts.minCount).map(([f]) => f);
    const fIndex = new Map(features.map((f, j) => [f, j]));
    const F = features.length;
    const counts = new Array<number>(K).fill(0);
    for (const d of docs) counts[labelIndex.get(d.label) as number]++;
    const classWeight = (k: number): number => {
      const cw = opts.classWeight;
      if (cw === 'none') return 1;
      if (cw === 'balanced') return docs.length / (K * counts[k]);
      if (cw === 'sqrt') return Math.sqrt(docs.length / (K * counts[k]));
      return cw[labels[k]] ?? 1;
    };
    const examples: Example[] = docs.map((d) => {
      const idx: number[] = [];
      const val: number[] = [];
      for (const [f, v] of d.features) {
        const j = fIndex.get(f);
        if (j !== undefined && v !== 0) {
          idx.push(j);
          val.push(v);
        }
      }
      const y = labelIndex.get(d.label) as number;
      return { idx: Int32Array.from(idx), val: Float64Array.from(val), y, w: classWeight(y) };
    });
    const totalWeight = examples.reduce((s, e) => s + e.w, 0) || 1;

    const W = Array.from({ length: K }, () => new Float64Array(F));
    const b = new Float64Array(K);
    const gW = Array.from({ length: K }, () => new Float64Array(F));
    const gb = new Float64Array(K);
    // Adam moments.
    const mW = Array.from({ length: K }, () => new Float64Array(F));
    const vW = Array.from({ length: K }, () => new Float64Array(F));
    const mb = new Float64Array(K);
    const vb = new Float64Array(K);
    const beta1 = 0.9;
    const beta2 = 0.999;
    const eps = 1e-8;
    const z = new Float64Array(K);
    for (let t = 1; t <= opts.epochs; t++) {
      for (let k = 0; k < K; k++) {
        gW[k].fill(0);
        for (let j = 0; j < F; j++) gW[k][j] = opts.l2 * W[k][j];
      }
      gb.fill(0);
      for (const e of examples) {
        softmaxInto(z, W, b, e.idx, e.val);
        const scale = e.w / totalWeight;
        for (let k = 0; k < K; k++) {
          const g = (z[k] - (k === e.y ? 1 : 0)) * scale;
          if (g === 0) continue;
          gb[k] += g;
          const row = gW[k];
          for (let n = 0; n < e.idx.length; n++) row[e.idx[n]] += g * e.val[n];
        }
      }
      const lr = opts.learningRate * Math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t);
      for (let k = 0; k < K; k++) {
        const w = W[k];
        const g = gW[k];
        const m = mW[k];
        const v = vW[k];
        for (let j = 0; j < F; j++) {
          m[j] = beta1 * m[j] + (1 - beta1) * g[j];
          v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
          w[j] -= (lr * m[j]) / (Math.sqrt(v[j]) + eps);
        }
        mb[k] = beta1 * mb[k] + (1 - beta1) * gb[k];
        vb[k] = beta2 * vb[k] + (1 - beta2) * gb[k] * gb[k];
        b[k] -= (lr * mb[k]) / (Math.sqrt(vb[k]) + eps);
      }
    }
    // Weights are kept to six significant digits, so the saved model (data/claims/model.json) stays
    // small and restores to exactly the model that was trained.
    for (const row of W) for (let j = 0; j < F; j++) row[j] = round6(row[j]);
    for (let k = 0; k < K; k++) b[k] = round6(b[k]);
    return new LogisticModel(labels, features, W, b);
  }

  static restore(saved: SavedLogistic): LogisticModel {
    const { labels, features, weights, bias } = saved;
    if (!Array.isArray(labels) || !Array.isArray(features) || !Array.isArray(weights) || weights.length !== labels.length || bias.length !== labels.length) {
      throw new Error('not a saved logistic model');
    }
    for (const row of weights) if (row.length !== features.length) throw new Error('not a saved logistic model');
    return new LogisticModel(labels, features, weights.map((r) => Float64Array.from(r)), Float64Array.from(bias));
  }

  toJSON(): SavedLogistic {
    return {
      labels: [...this.labels],
      features: [...this.features],
      weights: this.weights.map((row) => Array.from(row)),
      bias: Array.from(this.bias),
    };
  }

  /** Probability of every label (same order as `labels`). Unknown features are ignored. */
  probabilities(features: SparseFeatures): Float64Array {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [f, v] of features) {
      const j = this.index.get(f);
      if (j !== undefined) {
        idx.push(j);
        val.push(v);
      }
    }
    const z = new Float64Array(this.labels.length);
    softmaxInto(z, this.weights, this.bias, Int32Array.from(idx), Float64Array.from(val));
    return z;
  }

  /** The weight of a feature for a label (0 when unknown): for explaining a decision. */
  weight(label: string, feature: string): number {
    const k = this.labels.indexOf(label);
    const j = this.index.get(feature);
    return k < 0 || j === undefined ? 0 : this.weights[k][j];
  }
}

function round6(x: number): number {
  return Number(x.toPrecision(6));
}

function softmaxInto(out: Float64Array, W: readonly Float64Array[], b: Float64Array, idx: Int32Array, val: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < out.length; k++) {
    let s = b[k];
    const row = W[k];
    for (let n = 0; n < idx.length; n++) s += row[idx[n]] * val[n];
    out[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = Math.exp(out[k] - max);
    sum += out[k];
  }
  for (let k = 0; k < out.length; k++) out[k] /= sum;
}
