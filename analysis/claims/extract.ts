// Claim extraction: sentences of a message that name a kernel entity (or carry a strong review
// cue) are classified, linked to the quoted text they answer, and given a stance toward it.
import { hasStrongCue, stanceOf } from './cues.js';
import { findEntities } from './entities.js';
import { splitSentences } from './sentences.js';
import type { Answer, Claim, Entity, ExtractInput, QuotedBlock, Sentence } from './types.js';
import { EXTRACTOR_VERSION } from './types.js';
import type { ClaimClassifier } from './classify.js';
import { loadClassifier } from './model.js';

export interface CandidateSentence {
  sentence: Sentence;
  /** 0 for the sender's own text, else the quote depth of the block it was read from. */
  depth: number;
  entities: Entity[];
  /** True for the first candidate after the quote it answers (the opening of a reply). */
  opensReply: boolean;
}

export interface ExtractOptions {
  /** The classifier to use; default: the cached model (data/claims/model.json). */
  classifier?: ClaimClassifier;
  /**
   * Also extract claims from quoted blocks (origin 'quoted'). Useful when the quoted message is
   * not in the archive itself, e.g. a single saved reply: the quoted reviewer's claims exist
   * nowhere else.
   */
  includeQuoted?: boolean;
}

/** The lines of a message with quote markers blanked out, so columns stay exact. */
function unquotedLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/^\s?(?:>\s?)+/, (m) => ' '.repeat(m.length)));
}

/** A line of a pasted kernel .config (`CONFIG_X=y`, `# CONFIG_Y is not set`). */
const CONFIG_LINE = /(?:^|\s)(?:#\s*)?CONFIG_\w+(?:=\S*|\s+is not set)/g;

/**
 * Three or more .config lines in one "sentence" is a pasted configuration (a bug report's
 * attachment inlined into the body), not prose: seen on the nvdimm archive, where such a dump
 * named CONFIG_PAGE_POISONING and was linked to a check as if it were a claim.
 */
export function isConfigDump(text: string): boolean {
  return (text.match(CONFIG_LINE)?.length ?? 0) >= 3;
}

function isCandidate(text: string, entities: Entity[]): boolean {
  return !isConfigDump(text) && (entities.length > 0 || hasStrongCue(text));
}

/** Sentences of the message that may be claims, own text first, then quoted blocks if asked for. */
export function candidateSentences(input: ExtractInput, opts: ExtractOptions = {}): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  const own = splitSentences(input.lines, input.ownRanges);
  let index = own.length;
  const pushAll = (sentences: Sentence[], depth: number): void => {
    for (const sentence of sentences) {
      const entities = findEntities(sentence.text, input.knownIdentifiers);
      if (isCandidate(sentence.text, entities)) out.push({ sentence, depth, entities, opensReply: false });
    }
  };
  pushAll(own, 0);
  if (opts.includeQuoted) {
    const plain = unquotedLines(input.lines);
    for (const block of input.quoted) {
      const sentences = splitSentences(plain, [[block.start, block.end]], index);
      index += sentences.length;
      pushAll(sentences, block.depth);
    }
  }
  // The first candidate after each answered block opens the reply to it.
  const opened = new Set<QuotedBlock | null>();
  for (const c of out) {
    const block = answeredBlock(input.quoted, c.sentence, c.depth);
    if (!opened.has(block)) {
      opened.add(block);
      c.opensReply = block !== null;
    }
  }
  return out;
}

/** The nearest quoted block above a sentence that is deeper than the sentence itself. */
export function answeredBlock(quoted: readonly QuotedBlock[], s: Sentence, depth: number): QuotedBlock | null {
  for (let k = quoted.length - 1; k >= 0; k--) {
    const b = quoted[k];
    if (b.end >= s.start.line) continue;
    if (b.depth > depth) return b;
    return null;
  }
  return null;
}

const DIFF_LINE = /^(?:[+-](?![+-]{2}\s)|@@ |diff --git|index [0-9a-f]+\.\.|--- a\/|\+\+\+ b\/)/;

/** Whether a quoted block is a hunk of a patch (diff lines make up a third of it) or prose. */
export function answerKindOf(block: QuotedBlock): Answer['kind'] {
  const textLines = block.text.split('\n');
  const diffish = textLines.filter((l) => DIFF_LINE.test(l)).length;
  return diffish > 0 && diffish * 3 >= textLines.filter((l) => l.trim() !== '').length ? 'hunk' : 'claim';
}

/** Two words at most and no closing punctuation. */
function isNoSentence(text: string): boolean {
  return !/[.!?:;)"'`]$/.test(text) && text.split(/\s+/).length <= 2;
}

function answerOf(plain: readonly string[], block: QuotedBlock): Answer {
  if (answerKindOf(block) === 'hunk') return { lines: [block.start, block.end], text: block.text, kind: 'hunk' };
  const sentences = splitSentences(plain, [[block.start, block.end]]);
  let last = sentences[sentences.length - 1];
  // A quote may end in words that are no sentence: a sentence cut off in its middle ("… nor the
  // state. Now"), a sign-off ("Regards, Bjorn"). What the reply answers is the sentence before.
  if (last && sentences.length > 1 && isNoSentence(last.text)) last = sentences[sentences.length - 2];
  if (!last) return { lines: [block.start, block.end], text: block.text, kind: 'claim' };
  return { lines: [last.start.line, last.end.line], text: last.text, kind: 'claim' };
}

/** Extracts the claims of one message. */
export function extractClaims(input: ExtractInput, opts: ExtractOptions = {}): Claim[] {
  const classifier = opts.classifier ?? loadClassifier();
  const claims: Claim[] = [];
  let plain: string[] | null = null;
  const answers = new Map<QuotedBlock, Answer>();
  const answerFor = (block: QuotedBlock): Answer => {
    let a = answers.get(block);
    if (!a) {
      plain ??= unquotedLines(input.lines);
      a = answerOf(plain, block);
      answers.set(block, a);
    }
    return a;
  };
  for (const c of candidateSentences(input, opts)) {
    const block = answeredBlock(input.quoted, c.sentence, c.depth);
    const { kind, confidence } = classifier.classify(c.sentence.text, c.entities, { depth: c.depth, answers: block ? answerKindOf(block) : null });
    if (kind === 'none') continue;
    const answer = block ? answerFor(block) : null;
    claims.push({
      id: `${input.msgid}#${c.sentence.index}`,
      msgid: input.msgid,
      sentenceIndex: c.sentence.index,
      text: c.sentence.text,
      kind,
      confidence,
      entities: c.entities,
      lines: { start: c.sentence.start.line, end: c.sentence.end.line, startCol: c.sentence.start.col, endCol: c.sentence.end.col },
      origin: c.depth === 0 ? 'own' : 'quoted',
      quoteDepth: c.depth,
      answers: answer,
      stance: answer ? stanceOf(c.sentence.text, c.opensReply) : 'neutral',
      extractorVersion: EXTRACTOR_VERSION,
    });
  }
  return claims;
}
