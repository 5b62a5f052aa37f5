// The labelled claim sentences (data/claims/labelled.jsonl): loading, and the train/test split
// rule. The split is by thread, so a message (and every message of its thread) is entirely in
// train or entirely in test; see data/claims/README.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClaimContext } from './features.js';
import type { Label } from './types.js';
import { LABELS } from './types.js';
import { projectPath } from '../../graph/paths.js';

/** data/claims of the project, found the same way from source (tsx) and from dist/. */
export const CLAIMS_DATA_DIR = projectPath('data', 'claims');
export const LABELLED_PATH = resolve(CLAIMS_DATA_DIR, 'labelled.jsonl');
export const MODEL_PATH = resolve(CLAIMS_DATA_DIR, 'model.json');

export type Split = 'train' | 'test';

export interface LabelledRow {
  /** `<source file>:<first line>` — unique per sentence. */
  id: string;
  source: string;
  msgid: string;
  /** 1-based first and last line of the sentence in the source file. */
  line: number;
  /** 0-based column of the sentence's first character on its first line. */
  col: number;
  /**
   * 1-based line of the source file holding the message body's first line. For base64 or
   * quoted-printable bodies the body is decoded first, so `line - bodyLine` is the exact line in
   * the decoded body while `line` itself is only approximate in the source file.
   */
  bodyLine: number;
  lastLine: number;
  author: string;
  subject: string;
  /** Thread key the split is computed from (normalised subject). */
  thread: string;
  /** 0 for the sender's own text; >0 when the sentence was read from a quoted block. */
  depth: number;
  /**
   * What the sentence follows in its message, as the extractor sees it (`answeredBlock()`): a quoted
   * hunk, a quoted claim, or nothing (a patch's own description, the start of a new mail).
   */
  answers?: 'hunk' | 'claim' | null;
  text: string;
  kind: Label;
  split: Split;
}

/** Subject without Re:/Fwd: chains, bracket tags and case: what names a thread. */
export function threadKey(subject: string): string {
  return subject
    .replace(/^\s*(?:(?:re|fwd?|aw)\s*:\s*)+/i, '')
    .replace(/^(?:\[[^\]]*\]\s*)+/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** 32-bit FNV-1a over the UTF-8 bytes of a string. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The split rule: a thread is in test when FNV-1a of its key is 3 modulo 4. */
export function splitOf(thread: string): Split {
  return fnv1a32(thread) % 4 === 3 ? 'test' : 'train';
}

/** The context the classifier sees for a labelled row, as the extractor gives it for the same sentence. */
export function rowContext(row: Pick<LabelledRow, 'depth' | 'answers'>): ClaimContext {
  return { depth: row.depth, answers: row.answers ?? null };
}

function isLabel(s: unknown): s is Label {
  return typeof s === 'string' && (LABELS as readonly string[]).includes(s);
}

export function parseLabelled(text: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as LabelledRow;
    if (!isLabel(row.kind) || (row.split !== 'train' && row.split !== 'test') || typeof row.text !== 'string') {
      throw new Error(`labelled.jsonl line ${i + 1}: bad row`);
    }
    rows.push(row);
  });
  return rows;
}

export function loadLabelled(path = LABELLED_PATH): LabelledRow[] {
  return parseLabelled(readFileSync(path, 'utf8'));
}
