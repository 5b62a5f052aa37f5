// The message model every source produces and every later stage consumes.
// Sources turn bytes into RawItems; parse turns RawItems into Messages; the graph stores Messages.

/** Input kinds loregraph reads. `--format` takes one of these names. */
export const SOURCE_FORMATS = [
  'mbox', // mbox / mboxrd / mboxo, plain or gzip (detected by magic bytes)
  'public-inbox', // a public-inbox v2 git epoch (bare N.git) or an inbox dir holding git/N.git
  'maildir', // cur/ new/ tmp/
  'eml', // one raw RFC822 message per file
  'flat-rfc822', // raw RFC822 whose line breaks were lost (headers and body on one line)
  'mail-archive', // text dump of a mail-archive.com thread page or author archive
  'lkml', // text dump of an lkml.org / lkml.iu.edu message page
] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** Where a message (or a skipped piece of input) came from, exactly enough to find it again. */
export interface Provenance {
  /** File path, `-` for stdin, or `<repo.git>` for public-inbox. */
  source: string;
  format: SourceFormat;
  /** Byte offset of the message in the (decompressed) source; for public-inbox the commit's index in the walk. */
  offset: number;
  /** Byte length of the message in the source, when known. */
  length?: number;
  /** 1-based line of the source on which the message starts, when known (text dumps, mbox). */
  line?: number;
  /** public-inbox: the commit and blob ids the message was read from. */
  commit?: string;
  blob?: string;
}

/** What a source yields: raw RFC822 bytes to parse, or a message a text-dump source already built. */
export type RawItem =
  | { kind: 'rfc822'; bytes: Buffer; provenance: Provenance }
  | { kind: 'message'; message: Message };

/** Input that could not be turned into a message; reported, never silently dropped. */
export interface Skip {
  source: string;
  offset: number;
  reason: string;
}

export interface Address {
  /** Display name as written after decoding (`Saidi, Ali`), or null. */
  name: string | null;
  /** Lower-cased address, or null when the source hid it. Partial for obfuscated forms (`jhubbard@xxxxxxxxxx`). */
  address: string | null;
  /** True when the address was obfuscated or truncated by an archive (`@xxxxxxxxxx`, `user at domain`). */
  obfuscated: boolean;
}

/** A subject line taken apart. `[PATCH v3 2/7] mm/sparse: foo (Was: bar)` and friends. */
export interface SubjectInfo {
  raw: string;
  /** Subject without Re:/Fwd: chains, bracket prefixes and `(Was: …)`: what identifies a topic or a patch. */
  normalized: string;
  /** Number of Re:/Fwd:/AW:/SV: markers stripped. */
  replyDepth: number;
  isReply: boolean;
  /** Every bracket prefix token in order, e.g. ['PATCH', 'v3', '2/7'] or ['net', 'v2', '1/2']. */
  tags: string[];
  isPatch: boolean;
  isRfc: boolean;
  isResend: boolean;
  /** `-next`, `net-next`, `mm-hotfixes`…: the tree/branch tag, if any. */
  tree: string | null;
  /** Revision number (v2 → 2); null when none was given (implies 1). */
  version: number | null;
  /** n of n/m; null when unnumbered. */
  index: number | null;
  /** m of n/m. */
  total: number | null;
  /** Subsystem prefix of the normalized subject (`arm64/mm`, `mm/sparsemem`), if any. */
  subsystem: string | null;
  /** The old subject given as `(Was: …)`, if any. */
  was: string | null;
}

export interface Attachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Decoded text for text/* parts that are not the body (patches sent as attachments); null for binary. */
  text: string | null;
  isPatch: boolean;
}

/** How a message's parent was found. Header links are certain; the others are inferred. */
export type ParentMethod = 'in-reply-to' | 'references' | 'attribution' | 'quote' | 'date' | 'subject';

export interface ParentLink {
  parent: string;
  method: ParentMethod;
  /** 0..1; 1 for header links. */
  confidence: number;
  /** Human-readable evidence: the attribution line, the quoted text that matched, the dates compared. */
  evidence: string;
}

export interface Message {
  /** Message-ID without angle brackets. */
  msgid: string;
  /** True when the source had no Message-ID and loregraph made one (stable hash, see parse/msgid.ts). */
  synthetic: boolean;
  from: Address;
  to: Address[];
  cc: Address[];
  /** ISO 8601 in UTC, or null when no date could be read. */
  date: string | null;
  /** The zone written in the Date (minutes east of UTC); null when the zone was stripped or unknown. */
  tzOffset: number | null;
  /** The date text as the source had it. */
  dateRaw: string | null;
  subject: SubjectInfo;
  listId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Decoded text body (charset, transfer encoding and format=flowed undone), list footers removed. */
  body: string;
  /** The list footers removed from the body, verbatim. */
  footers: string[];
  attachments: Attachment[];
  /** Selected extra headers kept for later stages (lower-case names): x-mailer, change-id, x-patchwork-*. */
  extraHeaders: Record<string, string>;
  /** Parent recovered from the content of a header-less dump, with its evidence. */
  inferredParent: ParentLink | null;
  provenance: Provenance;
}
