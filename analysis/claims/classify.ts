// The claim classifier: natural's naive Bayes over sentence features, with the few kernel-review
// rules that need no statistics (an `Acked-by:` trailer is an agreement, a NAK is a NAK).
import { CUES } from './cues.js';
import { sentenceFeatures } from './features.js';
import { restoreBayes, trainBayes, type BayesModel } from './naturalAdapter.js';
import type { Entity, Label } from './types.js';
import { LABELS } from './types.js';

export interface Classification {
  kind: Label;
  /** Posterior probability of `kind` (softmax of the model's log scores), or the rule's confidence. */
  confidence: number;
  /** 'rule' when a cue rule decided, 'model' otherwise. */
  by: 'rule' | 'model';
}

export interface LabelledSentence {
  text: string;
  kind: Label;
}

export interface SavedClaimClassifier {
  format: 'loregraph-claims-bayes';
  version: 1;
  /** Minimum confidence of a concern that the UI shows (chosen on the train split). */
  shownConcernThreshold: number;
  trainedOn: { sentences: number; perKind: Record<string, number> };
  bayes: unknown;
}

const RULE_CONFIDENCE = { ack: 0.98, nak: 0.95 } as const;

function isLabel(s: string): s is Label {
  return (LABELS as readonly string[]).includes(s);
}

export class ClaimClassifier {
  constructor(
    private readonly bayes: BayesModel,
    /** Minimum confidence of a shown concern; see `shownConcern`. */
    public shownConcernThreshold = 0.9,
    private readonly trainedOn: SavedClaimClassifier['trainedOn'] = { sentences: 0, perKind: {} },
  ) {}

  static train(rows: readonly LabelledSentence[], findEntities: (text: string) => Entity[]): ClaimClassifier {
    const perKind: Record<string, number> = {};
    const docs = rows.map((r) => {
      perKind[r.kind] = (perKind[r.kind] ?? 0) + 1;
      return { features: sentenceFeatures(r.text, findEntities(r.text)), label: r.kind };
    });
    return new ClaimClassifier(trainBayes(docs), 0.9, { sentences: rows.length, perKind });
  }

  static restore(saved: SavedClaimClassifier): ClaimClassifier {
    if (saved.format !== 'loregraph-claims-bayes' || saved.version !== 1) throw new Error('unknown claim model format');
    return new ClaimClassifier(restoreBayes(saved.bayes), saved.shownConcernThreshold, saved.trainedOn);
  }

  toJSON(): SavedClaimClassifier {
    return {
      format: 'loregraph-claims-bayes',
      version: 1,
      shownConcernThreshold: this.shownConcernThreshold,
      trainedOn: this.trainedOn,
      bayes: this.bayes.toJSON(),
    };
  }

  /** Posterior of every label for a sentence, highest first. */
  posteriors(text: string, entities: readonly Entity[]): Array<{ kind: Label; p: number }> {
    const features = sentenceFeatures(text, entities);
    const scores = this.bayes.logScores(features);
    // Naive Bayes adds one log-likelihood ratio per feature, so a long sentence gets a posterior of
    // 0.9999 whatever it says. Dividing the scores by a temperature that grows with the number of
    // features (its square root, chosen by cross-validation on the train split) keeps confidences
    // comparable between short and long sentences; the argmax is unchanged.
    const temperature = Math.max(1, Math.sqrt(features.length));
    const max = Math.max(...scores.values());
    let sum = 0;
    for (const v of scores.values()) sum += Math.exp((v - max) / temperature);
    const out: Array<{ kind: Label; p: number }> = [];
    for (const [label, v] of scores) if (isLabel(label)) out.push({ kind: label, p: Math.exp((v - max) / temperature) / sum });
    return out.sort((a, b) => b.p - a.p);
  }

  classify(text: string, entities: readonly Entity[]): Classification {
    const t = text.trim();
    if (CUES.ackTrailer.test(t)) return { kind: 'agreement', confidence: RULE_CONFIDENCE.ack, by: 'rule' };
    if (CUES.nak.test(t)) return { kind: 'nak', confidence: RULE_CONFIDENCE.nak, by: 'rule' };
    const [best] = this.posteriors(t, entities);
    if (!best) return { kind: 'none', confidence: 0, by: 'model' };
    return { kind: best.kind, confidence: best.p, by: 'model' };
  }
}
