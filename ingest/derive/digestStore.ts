// The digests of a derive run, kept in a scratch file instead of the heap, and read back by the
// whole-store series steps through the MessageSet they take (ingest/series/messages.ts).
//
// The series steps see every message of the store, so holding their digests meant a live set that
// grew with the archive (~2.5 KB a message: 227 MB on a 92k-message epoch, most of it the diff
// structure of patch mails). Here each digest is appended to the file as packed bytes
// (`packDigest`: the derive workers pack it, so the main thread writes it without unpacking it);
// memory keeps ~150 bytes of index a message: its Message-ID, where its bytes are, and its date.
// Grouping reads each message once in date order and then the covers and patches one at a time;
// versions, lineage and trailers read patch mails and replies by Message-ID, and a small cache of
// decoded digests serves the repeated reads of one patch. The file is unlinked as soon as it is
// opened, so it goes when the store is closed or the process dies. It is written under
// os.tmpdir() ($TMPDIR): where that is a tmpfs, the digests are in memory again, outside the RSS.
//
// A SQLite scratch table (as the disk threader uses) was tried first: the same bounded memory, but
// its inserts and point reads cost the main thread ~7 s more on that epoch, against ~3 s here.
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '../model.js';
import type { MessageSet } from '../series/index.js';
import { compareDated, timeOfDate } from '../series/classify.js';
import { unpackDigest } from './digest.js';
import { Lru } from '../thread/ancestors.js';

export interface DigestStoreOptions {
  /** Decoded digests kept for repeated reads (default 2,000). */
  decoded?: number;
}

/** A digest as the derive workers send it: packed, with what the store indexes it by. */
export interface PackedDigest {
  msgid: string;
  /** The message's date (ISO), for the date order. */
  date: string | null;
  packed: Uint8Array;
}

export class DigestStore implements MessageSet {
  private fd: number | null;
  private size = 0;
  /** Message-ID → its number, in the order added. */
  private readonly seqOf = new Map<string, number>();
  /** By number: where the bytes are, how many, and the date in ms (null: none). */
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private readonly times: (number | null)[] = [];
  private readonly decoded: Lru<Message>;

  constructor(opts: DigestStoreOptions = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'loregraph-digests-'));
    const path = join(dir, 'digests');
    this.fd = openSync(path, 'w+');
    unlinkSync(path);
    rmdirSync(dir);
    this.decoded = new Lru<Message>(opts.decoded ?? 2000);
  }

  private get file(): number {
    if (this.fd === null) throw new Error('digest store is closed');
    return this.fd;
  }

  /** Keep packed digests, in one write; a Message-ID already kept keeps its first digest. */
  addPacked(digests: readonly PackedDigest[]): void {
    const chunks: Uint8Array[] = [];
    const at = this.size;
    for (const d of digests) {
      if (this.seqOf.has(d.msgid)) continue;
      this.seqOf.set(d.msgid, this.offsets.length);
      this.offsets.push(this.size);
      this.lengths.push(d.packed.byteLength);
      this.times.push(timeOfDate(d.date));
      this.size += d.packed.byteLength;
      chunks.push(d.packed);
    }
    if (chunks.length === 0) return;
    const bytes = Buffer.concat(chunks);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.file, bytes, written, bytes.length - written, at + written);
  }

  private read(seq: number): Message {
    const buf = Buffer.allocUnsafe(this.lengths[seq]);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.file, buf, got, buf.length - got, this.offsets[seq] + got);
      if (n === 0) throw new Error(`digest store: digest ${seq} is cut short`);
      got += n;
    }
    return unpackDigest(buf);
  }

  get(msgid: string): Message | undefined {
    const hit = this.decoded.get(msgid);
    if (hit) return hit;
    const seq = this.seqOf.get(msgid);
    if (seq === undefined) return undefined;
    const m = this.read(seq);
    this.decoded.set(msgid, m);
    return m;
  }

  has(msgid: string): boolean {
    return this.seqOf.has(msgid);
  }

  /** Every digest once, in byDate's order (ingest/series/classify.ts): dated ones by time, undated
   * last, ties in the order added. */
  *inDateOrder(): Generator<Message> {
    const t = this.times;
    const order = Uint32Array.from(t.keys()).sort((a, b) => compareDated(t[a], a, t[b], b));
    for (const seq of order) yield this.read(seq);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
