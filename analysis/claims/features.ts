// Features of a sentence for the claim classifier: stemmed words and bigrams (kernel entities
// replaced by their kind, so `pfn_valid` and `pfn_to_page` count alike), review cues, entity kinds
// and shape features.
import { cuesOf } from './cues.js';
import { stem, words } from './naturalAdapter.js';
import type { Entity } from './types.js';

function maskEntities(text: string, entities: readonly Entity[]): string {
  let out = '';
  let at = 0;
  for (const e of entities) {
    if (e.start < at) continue; // the other names of one brace shorthand (`arch_{add,remove}_memory`)
    out += text.slice(at, e.start) + ` entx${e.kind} `;
    at = e.end;
  }
  return out + text.slice(at);
}

export const CUE_WEIGHT = 4;
/** Weight of the text-shape features that tell logs and code from prose (cross-validated on train). */
export const SHAPE_WEIGHT = 2;

/**
 * The feature list of the first claim model (natural's naive Bayes), kept for callers of the
 * exported API; the classifier now uses `claimFeatures`.
 */
export function sentenceFeatures(text: string, entities: readonly Entity[]): string[] {
  const stems = words(maskEntities(text, entities)).map((w) => (w.startsWith('entx') ? w : stem(w)));
  // Word bigrams were tried and lowered cross-validated macro-F1 on the train split (too sparse
  // for a few hundred sentences), so only unigrams are used.
  const feats = new Set<string>(stems);
  if (stems[0]) feats.add(`first:${stems[0]}`);
  // Each review cue counts as CUE_WEIGHT features: in a bag of a few dozen words, one cue token
  // would weigh no more than a stray word (weight chosen by cross-validation on the train split).
  for (const cue of cuesOf(text)) for (let k = 0; k < CUE_WEIGHT; k++) feats.add(`cue${k}:${cue}`);
  for (const e of entities) feats.add(`ent:${e.kind}`);
  feats.add(entities.length === 0 ? 'ent:none' : 'ent:some');
  const trimmed = text.trim();
  if (trimmed.endsWith('?')) feats.add('shape:qmark');
  if (trimmed.endsWith(':')) feats.add('shape:colon');
  if (stems.length <= 4) feats.add('shape:short');
  else if (stems.length >= 25) feats.add('shape:long');
  if (/^[-*]|^\d+[.)]|^#\d/.test(trimmed)) feats.add('shape:list');
  if (/[;{}]\s*$|:=/.test(trimmed)) feats.add('shape:code');
  // Stack traces, build logs and code: symbol-dense text, `+0x1a/0x20` offsets, comment stars.
  const letters = (trimmed.match(/[A-Za-z]/g) ?? []).length;
  const addShape = (f: string): void => {
    for (let k = 0; k < SHAPE_WEIGHT; k++) feats.add(`${f}#${k}`);
  };
  if (letters < trimmed.length * 0.6) addShape('shape:symbolic');
  if (/\+0x[0-9a-f]+\/0x[0-9a-f]+/.test(trimmed)) addShape('shape:trace');
  if (!/[.?!:)]["')]*$/.test(trimmed)) addShape('shape:unterminated');
  if (/^[a-z_]/.test(trimmed)) addShape('shape:lowerStart');
  if (/^(?:\*|\/\*|\||\d+\s)/.test(trimmed)) addShape('shape:codeStart');
  return [...feats];
}

/** Switches for the groups of `claimFeatures` (all on by default; cross-validation turns them off to compare). */
export interface FeatureOptions {
  bigrams: boolean;
  cues: boolean;
  shape: boolean;
  entities: boolean;
  firstWords: boolean;
  /** Words within three of a negation carry a `neg:` feature ("don't think", "not sufficient"). */
  negScope?: boolean;
  /** Where the sentence stands in its message (see `ClaimContext`). */
  context?: boolean;
  /** Cue-word groups per claim kind (`KIND_LEXICON`): "you should", "I think", wh-words, "I'm not sure"… */
  lexicon?: boolean;
  /**
   * Value of the cue and lexicon features (1 when absent). The L2 penalty shrinks every weight
   * alike, so a value of 2 lets a cue carry its evidence with a smaller, less penalised weight.
   */
  cueValue?: number;
}

/** Where a sentence stands in its message: known to the extractor, and stored with each labelled row. */
export interface ClaimContext {
  /** 0 for the sender's own text, n for text quoted at depth n. */
  depth: number;
  /** What the sentence follows: a quoted hunk, a quoted claim, or nothing (a patch's own description, a new mail). */
  answers: 'hunk' | 'claim' | null;
}

/**
 * Cue-word groups that tell the claim kinds apart, written from kernel review practice rather than
 * from single sentences: advice addressed to the author or the list ("you should", "we could"),
 * imperatives, hedges ("I think") and doubt ("I'm not sure"), wh- and auxiliary-verb openings of
 * questions, thanks and acks, promises ("I'll"), negated copulas and modals, reasons, patch
 * descriptions, past tense, emphasis. Features when `lexicon` is on; grouped cross-validation on
 * the train split (5 fold assignments): macro-F1 0.659 without, 0.671 with, 0.673 with cue value 2
 * (data/claims/README.md).
 */
export const KIND_LEXICON: ReadonlyArray<[string, RegExp]> = [
  ['youShould', /\byou (?:should|must|need to|have to|want to|might want|may want|could)\b/i],
  ['weShould', /\bwe (?:should|must|need to|have to|could|can)\b/i],
  ['itShould', /\b(?:it|this|that) (?:should|must|needs to|ought to)\b/i],
  ['imperative', /^(?:please\s+)?(?:use|drop|add|make|fix|split|move|keep|change|rename|convert|remove|document|describe|explain|put|pass|check|call|avoid|just)\b/i],
  ['iThink', /\bI (?:think|believe|suspect|guess|assume|feel)\b/i],
  ['notSure', /\bI(?:'m| am) not (?:sure|convinced)\b|\bI (?:don'?t|do not) (?:know|understand|get|see why)\b/i],
  ['whWord', /^(?:why|what|how|where|when|which|who)\b/i],
  ['auxStart', /^(?:is|are|do|does|did|can|could|would|should|will|shall|has|have|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t|shouldn'?t|wouldn'?t)\b/i],
  ['thanks', /\bthanks?\b|\bthank you\b/i],
  ['ackWord', /\b(?:ack(?:ed)?|reviewed|tested|applied|queued|picked up)\b/i],
  ['willDo', /\b(?:I'?ll|I will|will do|I can|let me)\b/i],
  ['negCopula', /\b(?:is|are|was|were|does|do|did|has|have)(?:n'?t| not)\b/i],
  ['mustNot', /\b(?:must|should|can)(?:n'?t| not)\b|\bcannot\b/i],
  ['because', /\b(?:because|since|so that|due to|as a result|otherwise)\b/i],
  ['patchDesc', /^(?:this|the) (?:patch|series|commit|change)\b|\b(?:this|the) patch(?:es)?\b/i],
  ['past', /\b(?:was|were|had|did|used to)\b/i],
  ['emph', /\*\w+\*|!|\breally\b|\bactually\b|\bclearly\b|\bobviously\b/i],
];

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { bigrams: true, cues: true, shape: true, entities: true, firstWords: true, negScope: false, context: true, lexicon: true, cueValue: 2 };

/**
 * Sparse features of a sentence for the logistic-regression claim classifier: stemmed words and
 * word bigrams (kernel entities masked by their kind), the first words, review cues, entity kinds,
 * and text-shape features that tell stack traces, code and build logs from prose. Values are 1
 * (presence), except cue and lexicon features, which carry `cueValue`; the model learns each
 * feature's weight, so no feature is repeated to weigh more.
 */
export function claimFeatures(text: string, entities: readonly Entity[], options: Partial<FeatureOptions> = {}, context?: ClaimContext): Map<string, number> {
  const opts = { ...DEFAULT_FEATURE_OPTIONS, ...options };
  const trimmed = text.trim();
  const stems = words(maskEntities(trimmed, entities)).map((w) => (w.startsWith('entx') ? w : stem(w)));
  const feats = new Map<string, number>();
  const add = (f: string, v = 1): void => {
    feats.set(f, v);
  };
  for (const s of stems) add(`w:${s}`);
  if (opts.bigrams) for (let i = 1; i < stems.length; i++) add(`b:${stems[i - 1]}_${stems[i]}`);
  if (opts.firstWords) {
    add(`first:${stems[0] ?? ''}`);
    if (stems.length > 1) add(`first2:${stems[0]}_${stems[1]}`);
    add(`last:${stems[stems.length - 1] ?? ''}`);
  }
  const cues = opts.cues ? cuesOf(trimmed) : [];
  for (const cue of cues) add(`cue:${cue}`, opts.cueValue ?? 1);
  if (opts.lexicon) for (const [name, re] of KIND_LEXICON) if (re.test(trimmed)) add(`lex:${name}`, opts.cueValue ?? 1);
  if (opts.negScope) {
    // natural's tokeniser splits "don't" into "don" + "t".
    let left = 0;
    stems.forEach((s, i) => {
      if (/^(?:not|no|never|cannot|nor)$/.test(s) || (s === 't' && /n$/.test(stems[i - 1] ?? ''))) left = 3;
      else if (left > 0) {
        add(`neg:${s}`);
        left--;
      }
    });
  }
  if (opts.context && context) {
    // The same cue or opening word means different things in a patch's own description, after a
    // quoted hunk and after a quoted claim ("This fixes…" against "This breaks…" under a hunk).
    // The quote depth is left out on purpose: in the labelled data quoted sentences come from one
    // author archive (002) and are mostly quoted diff lines, so depth would teach "quoted means
    // none", which is false of the quoted reviewers' prose the extractor reads elsewhere.
    const where = context.answers ?? 'nothing';
    add(`ctx:answers:${where}`);
    for (const cue of cues) add(`ctxcue:${where}:${cue}`);
    add(`ctxfirst:${where}:${stems[0] ?? ''}`);
  }
  if (opts.entities) {
    for (const e of entities) add(`ent:${e.kind}`);
    // Counted as written: a brace shorthand is one entity in the sentence, however many names it stands for.
    const written = new Set(entities.map((e) => e.start)).size;
    add(written === 0 ? 'ent:none' : written === 1 ? 'ent:one' : 'ent:many');
  }
  if (opts.shape) {
    if (trimmed.endsWith('?')) add('shape:qmark');
    else if (trimmed.includes('?')) add('shape:innerQmark');
    if (trimmed.endsWith(':')) add('shape:colon');
    if (stems.length <= 3) add('shape:short');
    else if (stems.length <= 8) add('shape:medium');
    else if (stems.length >= 25) add('shape:long');
    if (/^[-*]|^\d+[.)]|^#\d/.test(trimmed)) add('shape:list');
    if (/[;{}]\s*$|:=/.test(trimmed)) add('shape:code');
    const letters = (trimmed.match(/[A-Za-z]/g) ?? []).length;
    if (letters < trimmed.length * 0.6) add('shape:symbolic');
    if (/\+0x[0-9a-f]+\/0x[0-9a-f]+/.test(trimmed)) add('shape:trace');
    if (!/[.?!:)]["')]*$/.test(trimmed)) add('shape:unterminated');
    if (/^[a-z_]/.test(trimmed)) add('shape:lowerStart');
    if (/^(?:\*|\/\*|\||\d+\s)/.test(trimmed)) add('shape:codeStart');
    if (/^[A-Z][\w-]*-by:/.test(trimmed)) add('shape:trailer');
  }
  return feats;
}
