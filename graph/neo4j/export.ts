// Copying a store (normally the embedded SQLite one) into Neo4j. Messages go in batches, each
// batch one transaction with every source a message was read from; then archives, skips and the
// thread forest (replaced in one transaction). Every step is idempotent, so an export that was
// killed half-way is finished by running it again, without duplicates.
import type { Message } from '../../ingest/model.js';
import type { GraphStore, StoredMessage } from '../store.js';
import type { Neo4jStore } from './store.js';

export interface ExportOptions {
  /** Messages per transaction (default 500). */
  batchSize?: number;
  /** Called after each committed batch of messages. */
  onBatch?(progress: { batch: number; messages: number; inserted: number }): void;
}

export interface ExportResult {
  batches: number;
  messages: number;
  /** Messages that were not in Neo4j yet. */
  inserted: number;
  containers: number;
  archives: number;
  skips: number;
}

/** The message once per source it was read from; the first copy carries its own provenance. */
function copiesWithSources(m: StoredMessage): Message[] {
  const { sources, ...message } = m;
  const copies: Message[] = [message];
  for (const s of sources) {
    const p = message.provenance;
    if (s.source === p.source && s.offset === p.offset) continue;
    copies.push({ ...message, provenance: { source: s.source, format: s.format, offset: s.offset } });
  }
  return copies;
}

export async function exportToNeo4j(source: GraphStore, target: Neo4jStore, opts: ExportOptions = {}): Promise<ExportResult> {
  const size = opts.batchSize ?? 500;
  const result: ExportResult = { batches: 0, messages: 0, inserted: 0, containers: 0, archives: 0, skips: 0 };
  let batch: Message[] = [];
  let batchMessages = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const res = await target.putMessages(batch);
    result.batches++;
    result.messages += batchMessages;
    result.inserted += res.inserted;
    opts.onBatch?.({ batch: result.batches, messages: result.messages, inserted: result.inserted });
    batch = [];
    batchMessages = 0;
  };
  for await (const m of source.allMessages()) {
    batch.push(...copiesWithSources(m));
    batchMessages++;
    if (batchMessages >= size) await flush();
  }
  await flush();

  for (const a of await source.archives()) {
    await target.putArchive(a);
    result.archives++;
  }
  const skips = await source.skips();
  await target.putSkips(skips);
  result.skips = skips.length;

  const forest = [];
  for await (const a of source.allThreadAssignments()) forest.push(a);
  await target.replaceThreadForest(forest);
  result.containers = forest.length;
  return result;
}
