// The claim classifier: a multinomial logistic regression (logistic.ts) over sentence features
// (stems, bigrams, review cues, entity kinds, text shape; features.ts), with the few
// kernel-review rules that need no statistics (an `Acked-by:` trailer is an agreement, a NAK is
// a NAK).
import { CUES, hasConcernEvidence, isNak } from './cues.js';
import { claimFeatures, DEFAULT_FEATURE_OPTIONS, type ClaimContext, type FeatureOptions } from './features.js';
import { LogisticModel, type LogisticOptions, type SavedLogistic } from './logistic.js';
import type { Entity, Label } from './types.js';
import { LABELS } from './types.js';

export interface Classification {
  kind: Label;
  /** Posterior probability of `kind` under the model, or the rule's confidence. */
  confidence: number;
  /** 'rule' when a cue rule decided, 'model' otherwise. */
  by: 'rule' | 'model';
}

export interface LabelledSentence {
  text: string;
  kind: Label;
  /** Where the sentence stands in its message (used when the `context` features are on). */
  context?: ClaimContext;
}

export interface SavedClaimClassifier {
  format: 'loregraph-claims-logreg';
  version: 2;
  /** Minimum confidence of a concern that the UI shows (chosen on the train split). */
  shownConcernThreshold: number;
  trainedOn: { sentences: number; perKind: Record<string, number> };
  features: FeatureOptions;
  overrides: boolean;
  model: SavedLogistic;
}

export interface TrainOptions {
  model: Partial<LogisticOptions>;
  features: Partial<FeatureOptions>;
  /** Apply the high-precision cue overrides (`OVERRIDES`); on by default. */
  overrides: boolean;
}

const RULE_CONFIDENCE = { ack: 0.98, nak: 0.95 } as const;

/** Confidence of a concern decided by the strongConcern override; shown concerns need at least this much. */
export const CONCERN_OVERRIDE_CONFIDENCE = 0.92;

/**
 * A question put to the reader ("What do you feel is wrong with it?", "Could you give an example
 * of how it could break?", both linux-efi) asks about a problem rather than raising one: the
 * concern override leaves it to the model. Rhetorical questions that are objections ("are we going
 * to start getting syzbot reports of this happening?") do not open this way.
 */
function asksTheReader(t: string): boolean {
  return CUES.question.test(t) && /^(?:(?:what|which|how)\s+(?:do|did|does|would|could|can)\s+|(?:could|can|would|will|do|did)\s+)you\b/i.test(t.trim());
}

/**
 * Kernel-review phrasings that decide a sentence's kind before the model is asked, each with the
 * confidence it is given. On the train split each was right in at least nine cases of ten where it
 * fired (see data/claims/README.md); they apply to review prose only, not to logs or code.
 */
export const OVERRIDES: ReadonlyArray<{ kind: Label; test: (text: string) => boolean; confidence: number }> = [
  { kind: 'concern', test: (t) => CUES.strongConcern.test(t) && !CUES.notAnObjection.test(t) && !asksTheReader(t), confidence: CONCERN_OVERRIDE_CONFIDENCE },
  { kind: 'suggestion', test: (t) => CUES.strongSuggest.test(t) && !CUES.question.test(t), confidence: 0.9 },
  { kind: 'agreement', test: (t) => CUES.strongAgree.test(t) && !CUES.question.test(t), confidence: 0.9 },
];

/**
 * A compiler or checker diagnostic ("arch/arm64/kvm/hyp-init.S:149: Error: invalid operands …",
 * "pgtable.c:1208:9: sparse: incorrect type …"): a build log quoted by a bot or a reviewer, mostly
 * letters, so the letter ratio alone takes it for prose (seen on kvmarm's kernel test robot mail).
 */
const DIAGNOSTIC = /^\S+\.\w{1,4}:\d+(?::\d+)?:\s*(?:fatal )?(?:error|warning|note|sparse|Error|Warning|Info)\b/i;

/**
 * Form text a tool writes into mail, the same in every copy, that reads like review prose:
 * - Mark Brown's "Applied to …" notice (424 of the 2,915 `[sure]` concerns on linuxppc-dev came
 *   from its "…however if problems are discovered then the patch may be dropped…" sentence);
 * - modpost's section-mismatch advice, quoted in commit messages ("This is often because foo
 *   lacks a __init annotation or the annotation of bar is wrong.").
 */
const FORM_TEXT = [
  /^All being well this means that it will be integrated into the linux-next tree\b/,
  /^You may get further e-mails resulting from automated or manual testing and review of the tree\b/,
  /^If any updates are required or you are submitting further changes they should be sent as incremental updates against current git\b/,
  /^Please add any relevant lists and maintainers to the CCs when replying to this mail\b/,
  /\bThis is often because \S+ lacks an? __\w+ annotation or the annotation of \S+ is wrong\b/,
];

/** A tool's form text: no one's claim, whatever its words (classified `none`). */
export function isFormText(text: string): boolean {
  return FORM_TEXT.some((f) => f.test(text));
}

/**
 * A line of C pasted into the mail (`break;`, `if (p->is_write) {`, `+ return ERR_PTR(rc);`): no
 * one's claim, whatever its words. All 188 train sentences that end this way are labelled `none`; on
 * linux-riscv, `break;` from a pasted memmap_init_zone() loop was read as a concern (its cue
 * "break").
 */
export function isCodeLine(text: string): boolean {
  return /[;{}]$/.test(text.trimEnd());
}

/** `subsys/part: title` as a commit title starts. */
const COMMIT_TITLE = /(?:^|\s)[a-z0-9_][a-z0-9_-]*(?:\/[a-z0-9_-]+)*: [a-z]/gi;

/**
 * Commit titles run together: a pull request's shortlog or a list of the patches a series holds
 * ("efi/x86: re-disable RT services for 32-bit kernels … efi/x86: map the entire EFI vendor string …", read
 * as a concern on linux-efi). Three or more titles in one sentence; all 18 train sentences with
 * that many are labelled `none`.
 */
export function isTitleList(text: string): boolean {
  return (text.match(COMMIT_TITLE)?.length ?? 0) >= 3;
}

/**
 * A table or a call diagram drawn with `|` columns (a diffstat, a compiler's caret lines, two call
 * chains side by side as in Sumanth Korikkar's memory-offline race on linux-s390): no one's claim,
 * and its function names must not send it to a check. Three or more free-standing `|`; all 10
 * train sentences with that many are labelled `none`.
 */
export function isDrawnTable(text: string): boolean {
  return (text.match(/(?:^|\s)\|(?=\s|$)/g)?.length ?? 0) >= 3;
}

/** Review prose, as opposed to a bot report, a log line or code: what the overrides apply to. */
export function isProse(text: string): boolean {
  const letters = (text.match(/[A-Za-z]/g) ?? []).length;
  return !/^(?:\[|<|\||\*|\/\*|#(?:include|define|if))/.test(text) && !DIAGNOSTIC.test(text) && letters >= text.length * 0.6;
}

function isLabel(s: string): s is Label {
  return (LABELS as readonly string[]).includes(s);
}

/** Sentences remembered by one classifier (a few MB) before the memo starts afresh. */
const MEMO_SIZE = 20_000;

export class ClaimClassifier {
  constructor(
    private readonly model: LogisticModel,
    /** Minimum confidence of a shown concern; see `shownConcern`. */
    public shownConcernThreshold = 0.9,
    private readonly trainedOn: SavedClaimClassifier['trainedOn'] = { sentences: 0, perKind: {} },
    private readonly featureOptions: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS },
    private readonly overrides = true,
  ) {}

  static train(rows: readonly LabelledSentence[], findEntities: (text: string) => Entity[], options: Partial<TrainOptions> = {}): ClaimClassifier {
    const perKind: Record<string, number> = {};
    const featureOptions: FeatureOptions = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
    const docs: Array<{ features: Map<string, number>; label: string }> = [];
    for (const r of rows) {
      perKind[r.kind] = (perKind[r.kind] ?? 0) + 1;
      // NAK has two examples in the whole corpus: class weighting would make each count as much
      // as a hundred assertions, so the model never learns the kind and a rule decides it (isNak).
      if (r.kind === 'nak') continue;
      docs.push({ features: claimFeatures(r.text, findEntities(r.text), featureOptions, r.context), label: r.kind });
    }
    const overrides = options.overrides ?? true;
    return new ClaimClassifier(LogisticModel.train(docs, options.model), 0.9, { sentences: rows.length, perKind }, featureOptions, overrides);
  }

  static restore(saved: SavedClaimClassifier): ClaimClassifier {
    if (saved.format !== 'loregraph-claims-logreg' || saved.version !== 2) throw new Error('unknown claim model format');
    return new ClaimClassifier(LogisticModel.restore(saved.model), saved.shownConcernThreshold, saved.trainedOn, saved.features, saved.overrides);
  }

  toJSON(): SavedClaimClassifier {
    return {
      format: 'loregraph-claims-logreg',
      version: 2,
      shownConcernThreshold: this.shownConcernThreshold,
      trainedOn: this.trainedOn,
      features: this.featureOptions,
      overrides: this.overrides,
      model: this.model.toJSON(),
    };
  }

  /** Posterior of every label for a sentence, highest first. */
  posteriors(text: string, entities: readonly Entity[], context?: ClaimContext): Array<{ kind: Label; p: number }> {
    const p = this.model.probabilities(claimFeatures(text, entities, this.featureOptions, context));
    const out: Array<{ kind: Label; p: number }> = [];
    this.model.labels.forEach((label, k) => {
      if (isLabel(label)) out.push({ kind: label, p: p[k] });
    });
    return out.sort((a, b) => b.p - a.p);
  }

  /** Classifications already made, by sentence, entities and context (see `classify`). */
  private readonly memo = new Map<string, Classification>();

  /**
   * Classifies a sentence; `context` (where it stands in its message) is used by models trained
   * with it. The result is a function of the text, the entities' kinds and spans (the features
   * mask them) and the context, so a sentence met again in the same place (a commit message re-sent
   * with each revision, "Thanks!") is answered from a bounded memo.
   */
  classify(text: string, entities: readonly Entity[], context?: ClaimContext): Classification {
    let key = `${context?.depth ?? ''}\u0000${context?.answers ?? ''}\u0000${text}`;
    for (const e of entities) key += `\u0000${e.kind}:${e.start}:${e.end}`;
    const known = this.memo.get(key);
    if (known) return { ...known };
    const c = this.classifyAnew(text, entities, context);
    if (this.memo.size >= MEMO_SIZE) this.memo.clear();
    this.memo.set(key, c);
    return { ...c };
  }

  private classifyAnew(text: string, entities: readonly Entity[], context?: ClaimContext): Classification {
    const t = text.trim();
    if (isFormText(t) || isCodeLine(t)) return { kind: 'none', confidence: 1, by: 'rule' };
    if (CUES.ackTrailer.test(t)) return { kind: 'agreement', confidence: RULE_CONFIDENCE.ack, by: 'rule' };
    if (isNak(t)) return { kind: 'nak', confidence: RULE_CONFIDENCE.nak, by: 'rule' };
    if (isTitleList(t) || isDrawnTable(t)) return { kind: 'none', confidence: 1, by: 'rule' };
    if (this.overrides && isProse(t)) {
      for (const rule of OVERRIDES) if (rule.test(t)) return { kind: rule.kind, confidence: rule.confidence, by: 'rule' };
    }
    const ranked = this.posteriors(t, entities, context);
    let [best] = ranked;
    if (!best) return { kind: 'none', confidence: 0, by: 'model' };
    // Prose that says what can go wrong ("might return something that will BUG_ON") is a claim
    // of some kind even when the model leans to `none`: take the likeliest claim kind instead.
    if (best.kind === 'none' && isProse(t) && hasConcernEvidence(t)) best = ranked.find((r) => r.kind !== 'none') ?? best;
    return { kind: best.kind, confidence: best.p, by: 'model' };
  }
}
