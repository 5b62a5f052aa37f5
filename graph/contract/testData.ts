// Real messages for the store contract: three raw-mail threads from a public kernel mailing-list
// archive mirror (../shared/corpus/peers/lfdr-list-archives), read with the test mbox bridge, and
// threading records built from them exactly as a store would hand them out.
import { resolve } from 'node:path';
import type { Message } from '../../ingest/model.js';
import { readMboxMessages } from '../../ingest/series/testMbox.js';
import { PEERS_DIR, requireShared } from '../../test/fixtures.js';
import type { ThreadingRecord } from '../store.js';

export const LFDR_DIR = resolve(PEERS_DIR, 'lfdr-list-archives');
export const KVMARM_MBOX = resolve(LFDR_DIR, 'kvmarm-pmu-disabled-counters-2021.mbox');
export const LAKML_MBOX = resolve(LFDR_DIR, 'lakml-gic-v3-its-disabled-irq-2020.mbox');
export const NVDIMM_MBOX = resolve(LFDR_DIR, 'nvdimm-btt-block-integrity-2024.mbox');

let cached: Promise<Message[]> | null = null;

/** Every message of the three threads, in file order (about 34 real messages). */
export function realMessages(): Promise<Message[]> {
  cached ??= (async () => {
    requireShared();
    const out: Message[] = [];
    for (const path of [KVMARM_MBOX, LAKML_MBOX, NVDIMM_MBOX]) out.push(...(await readMboxMessages(path)));
    return out;
  })();
  return cached;
}

/** The message as a store gives it back: JSON-clean (no undefined members). */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function threadingRecord(m: Message): ThreadingRecord {
  return {
    msgid: m.msgid,
    inReplyTo: m.inReplyTo,
    references: m.references,
    normalizedSubject: m.subject.normalized,
    isReply: m.subject.isReply,
    date: m.date,
    inferredParent: m.inferredParent,
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Word tokens the way both stores' full-text indexes split text. */
export function words(text: string): string[] {
  return (text.match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => w.toLowerCase());
}

/**
 * For each message that has one: a word of its body (8+ letters) found in no other message's
 * subject, author or body, so a search for it must find exactly that message.
 */
export function distinctiveWords(all: Message[]): { message: Message; word: string }[] {
  const count = new Map<string, number>();
  const perMessage = all.map((m) => new Set(words(`${m.subject.raw} ${m.from.name ?? ''} ${m.from.address ?? ''} ${m.body}`)));
  for (const set of perMessage) for (const w of set) count.set(w, (count.get(w) ?? 0) + 1);
  const out: { message: Message; word: string }[] = [];
  all.forEach((m, i) => {
    const own = new Set(words(`${m.subject.raw} ${m.from.name ?? ''} ${m.from.address ?? ''}`));
    const candidates = [...new Set(words(m.body))]
      .filter((w) => /^[a-z]{8,}$/.test(w) && count.get(w) === 1 && !own.has(w) && perMessage[i].has(w))
      .sort();
    if (candidates.length > 0) out.push({ message: m, word: candidates[0] });
  });
  return out;
}

/**
 * `copies` renamed copies of real messages (`<id>` → `<id>.copyN`, links renamed alike), so a
 * store holds many distinct threads of real mail: for export and volume tests and benchmarks.
 */
export function variedMessages(base: Message[], copies: number): Message[] {
  const out: Message[] = [];
  for (let n = 0; n < copies; n++) {
    const rename = (id: string): string => `${id}.copy${n}`;
    for (const m of base) {
      out.push({
        ...m,
        msgid: rename(m.msgid),
        inReplyTo: m.inReplyTo === null ? null : rename(m.inReplyTo),
        references: m.references.map(rename),
        provenance: { ...m.provenance, source: `${m.provenance.source}#copy${n}` },
      });
    }
  }
  return out;
}
