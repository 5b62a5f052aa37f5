// Mapping between the Message model and the properties of a (:Message) node. Scalar fields the
// queries filter on are properties of their own; nested fields (addresses, references, subject
// details, attachments, provenance) are JSON strings, so message() gives back exactly what was put.
import neo4j from 'neo4j-driver';
import type { Address, Attachment, Message, ParentLink, Provenance, SubjectInfo } from '../../ingest/model.js';

/** What a (:Message) node holds, as read back (integers arrive as numbers: see connection.ts). */
export interface MessageProps {
  msgid: string;
  seq: number;
  synthetic: boolean;
  fromName: string | null;
  fromAddress: string | null;
  fromObfuscated: boolean;
  /** Name and address together: the full-text index's author field. */
  author: string;
  date: string | null;
  tzOffset: number | null;
  dateRaw: string | null;
  subject: string;
  normalizedSubject: string;
  subjectJson: string;
  listId: string | null;
  inReplyTo: string | null;
  referencesJson: string;
  toJson: string;
  ccJson: string;
  body: string;
  footersJson: string;
  attachmentsJson: string;
  extraJson: string;
  inferredJson: string | null;
  provenanceJson: string;
}

/** Node properties for a new message (null values leave the property unset). */
export function messageToProps(m: Message, seq: number): Record<string, unknown> {
  return {
    msgid: m.msgid,
    seq: neo4j.int(seq),
    synthetic: m.synthetic,
    fromName: m.from.name,
    fromAddress: m.from.address,
    fromObfuscated: m.from.obfuscated,
    author: [m.from.name, m.from.address].filter((x) => x).join(' '),
    date: m.date,
    tzOffset: m.tzOffset === null ? null : neo4j.int(m.tzOffset),
    dateRaw: m.dateRaw,
    subject: m.subject.raw,
    normalizedSubject: m.subject.normalized,
    subjectJson: JSON.stringify(m.subject),
    listId: m.listId,
    inReplyTo: m.inReplyTo,
    referencesJson: JSON.stringify(m.references),
    toJson: JSON.stringify(m.to),
    ccJson: JSON.stringify(m.cc),
    body: m.body,
    footersJson: JSON.stringify(m.footers),
    attachmentsJson: JSON.stringify(m.attachments),
    extraJson: JSON.stringify(m.extraHeaders),
    inferredJson: m.inferredParent ? JSON.stringify(m.inferredParent) : null,
    provenanceJson: JSON.stringify(m.provenance),
  };
}

/** The key of the (:Address) node that wrote a message: the address, else the display name. */
export function addressKey(a: Address): string | null {
  if (a.address) return a.address;
  if (a.name) return `name:${a.name}`;
  return null;
}

export function propsToMessage(p: MessageProps): Message {
  return {
    msgid: p.msgid,
    synthetic: p.synthetic,
    from: { name: p.fromName ?? null, address: p.fromAddress ?? null, obfuscated: p.fromObfuscated },
    to: JSON.parse(p.toJson) as Address[],
    cc: JSON.parse(p.ccJson) as Address[],
    date: p.date ?? null,
    tzOffset: p.tzOffset ?? null,
    dateRaw: p.dateRaw ?? null,
    subject: JSON.parse(p.subjectJson) as SubjectInfo,
    listId: p.listId ?? null,
    inReplyTo: p.inReplyTo ?? null,
    references: JSON.parse(p.referencesJson) as string[],
    body: p.body,
    footers: JSON.parse(p.footersJson) as string[],
    attachments: JSON.parse(p.attachmentsJson) as Attachment[],
    extraHeaders: JSON.parse(p.extraJson) as Record<string, string>,
    inferredParent: p.inferredJson ? (JSON.parse(p.inferredJson) as ParentLink) : null,
    provenance: JSON.parse(p.provenanceJson) as Provenance,
  };
}
