// What each page shows, as data: one loader per page, used for the HTML view and for /api/… alike.
// Loaders validate their input (400) and report unknown ids (404); they return plain JSON-able data.
import type { Request } from 'express';
import type { Skip } from '../ingest/model.js';
import type {
  ArchiveRecord,
  GraphStore,
  SearchHit,
  StoredMessage,
  StoreStats,
  ThreadListEntry,
  ThreadView,
} from '../graph/store.js';
import type { ClaimView } from '../graph/claims.js';
import { badRequest, notFound } from './errors.js';
import { dayParam, intParam, msgidParam, nextDay, stringParam } from './params.js';

export interface HomeData {
  stats: StoreStats;
  archives: ArchiveRecord[];
  recentThreads: ThreadListEntry[];
  page: number;
  pageSize: number;
  hasNext: boolean;
  /** The first skips, with their reasons (the full count is stats.skipped). */
  skips: Skip[];
}

export interface SearchData {
  query: { q: string; author: string | null; since: string | null; until: string | null; page: number; limit: number };
  hits: SearchHit[];
  hasNext: boolean;
}

export interface ThreadData {
  /** The Message-ID in the URL (any member of the thread). */
  requested: string;
  thread: ThreadView;
  /** Every message of the thread that is in the store, in tree order, in full. */
  messages: StoredMessage[];
  /** The review claims read from the thread's messages, with their verdicts. */
  claims: ClaimView[];
}

export interface MessageData {
  message: StoredMessage;
  thread: { root: string; subject: string; messages: number } | null;
  /** Which of the Message-IDs this message names (In-Reply-To, References) are in this archive. */
  inArchive: string[];
  /** The review claims read from this message, with their verdicts. */
  claims: ClaimView[];
}

const HOME_PAGE_SIZE = 25;
const HOME_SKIPS = 20;
/** Referenced Message-IDs looked up per message page (References chains can be long). */
const MAX_NAMED = 100;

export async function loadHome(store: GraphStore, req: Request): Promise<HomeData> {
  const page = intParam(req.query, 'page', { min: 1, max: 100000, fallback: 1 });
  const [stats, archives, threads, skips] = await Promise.all([
    store.stats(),
    store.archives(),
    store.threads({ limit: HOME_PAGE_SIZE + 1, offset: (page - 1) * HOME_PAGE_SIZE }),
    store.skips(),
  ]);
  return {
    stats,
    archives,
    recentThreads: threads.slice(0, HOME_PAGE_SIZE),
    page,
    pageSize: HOME_PAGE_SIZE,
    hasNext: threads.length > HOME_PAGE_SIZE,
    skips: skips.slice(0, HOME_SKIPS),
  };
}

export async function loadSearch(store: GraphStore, req: Request): Promise<SearchData> {
  const q = stringParam(req.query, 'q', 500) ?? '';
  const author = stringParam(req.query, 'author', 200) ?? null;
  const since = dayParam(req.query, 'since') ?? null;
  const until = dayParam(req.query, 'until') ?? null;
  const limit = intParam(req.query, 'limit', { min: 1, max: 200, fallback: 20 });
  const page = intParam(req.query, 'page', { min: 1, max: 10000, fallback: 1 });
  if (since && until && since > until) {
    throw badRequest(`'since' (${since}) is after 'until' (${until})`);
  }
  const query = { q, author, since, until, page, limit };
  if (q === '') return { query, hits: [], hasNext: false };
  const hits = await store.search({
    text: q,
    author: author ?? undefined,
    since: since ?? undefined,
    // The store's bound is exclusive; the UI's `until` includes that whole day.
    until: until ? nextDay(until) : undefined,
    limit: limit + 1,
    offset: (page - 1) * limit,
  });
  return { query, hits: hits.slice(0, limit), hasNext: hits.length > limit };
}

export async function loadThread(store: GraphStore, req: Request): Promise<ThreadData> {
  const requested = msgidParam(req.params.msgid);
  const thread = await store.thread(requested);
  if (!thread) throw notFound(`no thread holds a message with Message-ID <${requested}>`);
  const messages: StoredMessage[] = [];
  for (const m of thread.messages) {
    if (m.ghost) continue;
    const full = await store.message(m.msgid);
    if (full) messages.push(full);
  }
  const claims = await store.claims.claims({ thread: thread.root });
  return { requested, thread, messages, claims };
}

export async function loadMessage(store: GraphStore, req: Request): Promise<MessageData> {
  const msgid = msgidParam(req.params.msgid);
  const message = await store.message(msgid);
  if (!message) throw notFound(`no message with Message-ID <${msgid}> is in this archive`);
  const t = await store.thread(msgid);
  const named = [...new Set([...(message.inReplyTo ? [message.inReplyTo] : []), ...message.references])].slice(0, MAX_NAMED);
  const inArchive: string[] = [];
  for (const id of named) if (await store.message(id)) inArchive.push(id);
  const claims = await store.claims.claims({ msgid });
  return {
    message,
    claims,
    thread: t ? { root: t.root, subject: t.subject, messages: t.messages.filter((m) => !m.ghost).length } : null,
    inArchive,
  };
}
