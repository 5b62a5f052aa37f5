// The GraphStore contract: every write and query loregraph makes goes through it, so the CLI and the
// web UI work the same on the embedded store (graph/sqlite) and on Neo4j (graph/neo4j).
//
// Rules every implementation keeps:
// - writes are idempotent: writing the same records twice changes nothing;
// - a batch is written whole or not at all (a killed run loses at most the batch in flight, and a
//   re-run writes it again without duplicates);
// - queries return plain JSON-able objects, sorted deterministically.

import type { Address, Message, ParentMethod, Skip, SourceFormat } from '../ingest/model.js';
import type { PatchGraphStore } from './patches.js';
import type { ClaimStore } from './claims.js';

/** One input path as ingested: what it held and what was skipped. */
export interface ArchiveRecord {
  source: string;
  format: SourceFormat;
  bytes: number;
  messages: number;
  duplicates: number;
  skipped: number;
  truncated: boolean;
  ingestedAt: string;
}

export interface PutMessagesResult {
  /** Messages new to the store. */
  inserted: number;
  /** Messages already present (same Message-ID, or same synthetic id); their provenance is added. */
  duplicates: number;
  /** The Message-IDs counted in `duplicates`. */
  duplicateMsgids: string[];
}

/** What threading needs of each stored message: headers only, no bodies. */
export interface ThreadingRecord {
  msgid: string;
  inReplyTo: string | null;
  references: string[];
  normalizedSubject: string;
  isReply: boolean;
  date: string | null;
  inferredParent: { parent: string; method: ParentMethod; confidence: number; evidence: string } | null;
}

/** The outcome of threading for one container (a stored message or a ghost for an unseen parent). */
export interface ThreadAssignment {
  msgid: string;
  /** Thread root (may be a ghost). */
  root: string;
  parent: string | null;
  method: ParentMethod | null;
  confidence: number | null;
  evidence: string | null;
  /** True for a container made for a referenced but unseen message. */
  ghost: boolean;
  depth: number;
}

/**
 * The containers of a whole forest, in any order, as an array or a stream (the disk-backed
 * threader streams them from its scratch database, parents first). A store that retries a failed
 * transaction (Neo4j, on transient errors) iterates the forest again for the retry: pass something
 * that starts over on each iteration (an array, DiskThreader's forest, an object whose
 * [Symbol.asyncIterator]() opens a new read); a one-shot generator is written once, and a retry
 * then fails with an error instead of writing part of the forest. Not a stream read from the same
 * store's forest (allThreadAssignments): the replacement deletes the forest before reading it.
 */
export type ThreadForest = Iterable<ThreadAssignment> | AsyncIterable<ThreadAssignment>;

export interface ThreadMessageView {
  msgid: string;
  parent: string | null;
  from: string;
  date: string | null;
  subject: string;
  /** How the parent was found (null for the root). */
  inferred: ParentMethod | null;
  confidence: number | null;
  evidence: string | null;
  ghost: boolean;
  depth: number;
}

export interface ThreadView {
  root: string;
  subject: string;
  messages: ThreadMessageView[];
}

export interface ThreadListEntry {
  root: string;
  subject: string;
  messages: number;
  first: string | null;
  last: string | null;
}

export interface SearchQuery {
  text: string;
  author?: string;
  since?: string;
  until?: string;
  listId?: string;
  limit?: number;
  offset?: number;
}

/** Markers around matched terms in search snippets (private-use characters, never in mail text). */
export const SNIPPET_OPEN = '\uE000';
export const SNIPPET_CLOSE = '\uE001';

export interface SearchHit {
  msgid: string;
  subject: string;
  from: string;
  date: string | null;
  /** A snippet of the matching text, matches wrapped in SNIPPET_OPEN/SNIPPET_CLOSE (plain text, not HTML). */
  snippet: string;
  score: number;
}

export interface StoreStats {
  archives: number;
  messages: number;
  syntheticMessages: number;
  ghosts: number;
  threads: number;
  skipped: number;
}

export interface StoredMessage extends Message {
  /** Every place this message was read from (more than one when it arrived twice). */
  sources: { source: string; format: SourceFormat; offset: number }[];
}

export interface GraphStore {
  readonly backend: 'sqlite' | 'neo4j';
  /** Series, revisions, patches, hunks, trailers and persons (graph/patches.ts), written by ingest/derive.ts. */
  readonly patches: PatchGraphStore;
  /** Review claims, the symbols they are about, linked checks, runs and verdicts (graph/claims.ts), written by analysis/derive.ts. */
  readonly claims: ClaimStore;

  // --- writes -------------------------------------------------------------------------------
  putMessages(messages: Message[]): Promise<PutMessagesResult>;
  putSkips(skips: Skip[]): Promise<void>;
  putArchive(archive: ArchiveRecord): Promise<void>;
  /**
   * Replace the whole thread forest with these containers (stored messages and ghosts). Threading
   * is recomputed over every stored message after an ingest, so this is a replacement, done in
   * one transaction: a reader sees the old forest or the new one, never a mix. The forest is
   * written as it is read, never held whole (see ThreadForest).
   */
  replaceThreadForest(forest: ThreadForest): Promise<void>;
  /**
   * Makes every stored message searchable. putMessages may leave full-text indexing behind it, so
   * that a bulk load writes fast: the embedded store indexes the rows it has not indexed yet, in
   * bulk, here; Neo4j applies its full-text index asynchronously and this waits until it has caught
   * up. Ingest and export call it after their messages; search() catches up by itself first, so a
   * search never misses a stored message. Idempotent, and safe to interrupt: what is left is
   * indexed by the next call.
   */
  indexForSearch(): Promise<void>;

  // --- reads for later stages ----------------------------------------------------------------
  threadingRecords(): AsyncIterable<ThreadingRecord>;
  /** Every stored message, in insertion order (export, re-analysis). */
  allMessages(): AsyncIterable<StoredMessage>;
  /** Every thread container, ghosts included (export). */
  allThreadAssignments(): AsyncIterable<ThreadAssignment>;

  // --- queries -------------------------------------------------------------------------------
  stats(): Promise<StoreStats>;
  message(msgid: string): Promise<StoredMessage | null>;
  /** The body alone (null for an unknown message or a ghost): for the stages that read a body
   *  many times and need none of its headers or sources. */
  messageBody(msgid: string): Promise<string | null>;
  threads(opts?: { limit?: number; offset?: number }): Promise<ThreadListEntry[]>;
  /** The whole thread that contains `msgid` (any member, not only the root). */
  thread(msgid: string): Promise<ThreadView | null>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  skips(): Promise<Skip[]>;
  archives(): Promise<ArchiveRecord[]>;

  close(): Promise<void>;
}

export function displayAddress(a: Address): string {
  if (a.name && a.address) return `${a.name} <${a.address}>`;
  return a.name ?? a.address ?? '(unknown)';
}
