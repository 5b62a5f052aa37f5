// The per-message work of the derive stage as one pure request -> result function, so it can run
// in worker threads (ingest/workers/taskPool.ts) as well as on the calling thread: segments,
// hunks, quotes, trailers and comments (derive/message.ts) and the digest the series steps read.
import type { MessageDerivation } from '../../graph/patches.js';
import type { Message } from '../model.js';
import { digestMessage, packDigest } from './digest.js';
import { deriveMessage, type Author } from './message.js';

export interface MessageTask {
  message: Message;
  /** Up the thread, nearest first. */
  ancestors: string[];
  /** Sender of each stored ancestor (absent: a ghost). */
  authors: [string, Author][];
  /** Bodies of the nearest earlier messages, only for dumps whose quote markers may be lost. */
  knownQuotes?: string[];
}

export interface MessageTaskResult {
  derivation: MessageDerivation;
  /** The compact stand-in the series steps read (derive/digest.ts), packed: the main thread only
   * stores it (derive/digestStore.ts), so it is never unpacked there during this pass. */
  digest: Uint8Array;
  /** The message quotes hunks, so it may comment on a stored patch (anchoring pass). */
  quotesHunks: boolean;
}

export function handle(t: MessageTask): MessageTaskResult {
  const authors = new Map(t.authors);
  const { derivation, computed, quotesHunks } = deriveMessage(t.message, {
    ancestors: t.ancestors,
    author: (id) => authors.get(id),
    ...(t.knownQuotes ? { knownQuotes: t.knownQuotes } : {}),
  });
  return { derivation, digest: packDigest(digestMessage(t.message, computed)), quotesHunks };
}
