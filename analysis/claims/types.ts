// Shapes shared by the claim extractor: entities, sentences with their provenance, claims.
// Line numbers are 0-based indices into the message body's lines; ranges are inclusive.
// Column offsets are 0-based UTF-16 offsets into the line; `endCol` is exclusive.

export const ENTITY_KINDS = [
  'function',
  'flag',
  'lock',
  'config',
  'struct',
  'field',
  'file',
  'zone',
  'macro',
  'literal',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

export interface Entity {
  kind: EntityKind;
  /** Normalised name: `pfn_valid` for `pfn_valid()`, `ms->usage`, `0x8000000` for `0x800_0000`. */
  name: string;
  /** The text as written. */
  text: string;
  /** Span in the sentence text; `end` is exclusive. */
  start: number;
  end: number;
  /** For literals: whether the number is used as a page frame number or as an address. */
  role?: 'pfn' | 'address';
}

export interface Sentence {
  /** Index of the sentence in the message (own text first-to-last, then quoted when asked for). */
  index: number;
  /** The sentence with line breaks and indentation collapsed to single spaces. */
  text: string;
  /** First and last body line the sentence touches (inclusive). */
  start: { line: number; col: number };
  end: { line: number; col: number };
}

export const CLAIM_KINDS = ['concern', 'assertion', 'question', 'suggestion', 'agreement', 'nak'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];
/** Gold labels add `none`: a sentence that states nothing a reviewer could be held to. */
export const LABELS = [...CLAIM_KINDS, 'none'] as const;
export type Label = (typeof LABELS)[number];

export type Stance = 'agrees' | 'disagrees' | 'neutral';

/** A quoted block of the message (what the sender replies to). */
export interface QuotedBlock {
  start: number;
  end: number;
  depth: number;
  /** The quoted text with the quote markers removed, one entry per line of the block. */
  text: string;
}

export interface ExtractInput {
  msgid: string;
  /** The message body split into lines. */
  lines: string[];
  /** The sender's own text, as inclusive line ranges. */
  ownRanges: Array<[number, number]>;
  quoted: QuotedBlock[];
  /** Identifiers seen in the thread's diffs and hunk headers: recognised without `()`. */
  knownIdentifiers?: Set<string>;
}

export interface Answer {
  lines: [number, number];
  text: string;
  kind: 'claim' | 'hunk';
}

export interface Claim {
  /** `msgid#sentenceIndex` */
  id: string;
  msgid: string;
  sentenceIndex: number;
  text: string;
  kind: ClaimKind;
  /** 0..1: the classifier's posterior for `kind`. */
  confidence: number;
  entities: Entity[];
  lines: { start: number; end: number; startCol: number; endCol: number };
  /** 'own' for the sender's text; 'quoted' when extracted from a quoted block (depth > 0). */
  origin: 'own' | 'quoted';
  quoteDepth: number;
  answers: Answer | null;
  stance: Stance;
  extractorVersion: string;
}

export const EXTRACTOR_VERSION = 'claims-1.2.1';
