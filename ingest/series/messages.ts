// How the series steps read the messages they work on: by Message-ID, and (for grouping) once each
// in date order. A list or a map serves for a few threads; the derive stage hands in a set whose
// messages live in a scratch database (ingest/derive/digestStore.ts), so that grouping a whole
// archive does not hold every message in memory at once.
import type { Message } from '../model.js';
import { byDate } from './classify.js';

/** Messages by Message-ID. A `Map` is one. */
export interface MessageLookup {
  get(msgid: string): Message | undefined;
  has(msgid: string): boolean;
}

/** Messages by Message-ID, and every one of them once in date order (`byDate`'s order). */
export interface MessageSet extends MessageLookup {
  inDateOrder(): Iterable<Message>;
}

/** What the series steps accept as their messages. */
export type Messages = readonly Message[] | MessageLookup;

function isList(messages: Messages): messages is readonly Message[] {
  return Array.isArray(messages);
}

/** The messages as a lookup; a list is indexed (the first message of a Message-ID wins), a lookup used as given. */
export function lookupOf(messages: Messages): MessageLookup {
  if (!isList(messages)) return messages;
  const byId = new Map<string, Message>();
  for (const m of messages) if (!byId.has(m.msgid)) byId.set(m.msgid, m);
  return byId;
}

/** A list as a message set: in date order, the first in date order of each Message-ID kept. */
export function messageSetOf(messages: readonly Message[] | MessageSet): MessageSet {
  if (!isList(messages)) return messages;
  const byId = new Map<string, Message>();
  for (const m of byDate(messages)) if (!byId.has(m.msgid)) byId.set(m.msgid, m);
  return { get: (id) => byId.get(id), has: (id) => byId.has(id), inDateOrder: () => byId.values() };
}
