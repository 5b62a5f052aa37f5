// Mapping between the Message model and rows of the messages table.
import type { Address, Attachment, Message, ParentLink, Provenance, SubjectInfo } from '../../ingest/model.js';
import type { ThreadAssignment } from '../store.js';

export interface MessageRow {
  id?: number;
  msgid: string;
  synthetic: number;
  from_name: string | null;
  from_address: string | null;
  from_obfuscated: number;
  date: string | null;
  tz_offset: number | null;
  date_raw: string | null;
  subject: string;
  normalized_subject: string;
  subject_json: string;
  list_id: string | null;
  in_reply_to: string | null;
  references_json: string;
  to_json: string;
  cc_json: string;
  body: string;
  footers_json: string;
  attachments_json: string;
  extra_json: string;
  inferred_json: string | null;
  provenance_json: string;
}

export function messageToRow(m: Message): MessageRow {
  return {
    msgid: m.msgid,
    synthetic: m.synthetic ? 1 : 0,
    from_name: m.from.name,
    from_address: m.from.address,
    from_obfuscated: m.from.obfuscated ? 1 : 0,
    date: m.date,
    tz_offset: m.tzOffset,
    date_raw: m.dateRaw,
    subject: m.subject.raw,
    normalized_subject: m.subject.normalized,
    subject_json: JSON.stringify(m.subject),
    list_id: m.listId,
    in_reply_to: m.inReplyTo,
    references_json: JSON.stringify(m.references),
    to_json: JSON.stringify(m.to),
    cc_json: JSON.stringify(m.cc),
    body: m.body,
    footers_json: JSON.stringify(m.footers),
    attachments_json: JSON.stringify(m.attachments),
    extra_json: JSON.stringify(m.extraHeaders),
    inferred_json: m.inferredParent ? JSON.stringify(m.inferredParent) : null,
    provenance_json: JSON.stringify(m.provenance),
  };
}

/** The columns messageToValues() fills, in its order (messages.id is the rowid, left to SQLite). */
export const MESSAGE_COLUMNS = [
  'msgid', 'synthetic', 'from_name', 'from_address', 'from_obfuscated', 'date', 'tz_offset', 'date_raw',
  'subject', 'normalized_subject', 'subject_json', 'list_id', 'in_reply_to', 'references_json',
  'to_json', 'cc_json', 'body', 'footers_json', 'attachments_json', 'extra_json', 'inferred_json', 'provenance_json',
] as const satisfies readonly (keyof MessageRow)[];

/** messageToRow() as positional values in MESSAGE_COLUMNS order (binding by position skips a name lookup per value). */
export function messageToValues(m: Message): unknown[] {
  return [
    m.msgid,
    m.synthetic ? 1 : 0,
    m.from.name,
    m.from.address,
    m.from.obfuscated ? 1 : 0,
    m.date,
    m.tzOffset,
    m.dateRaw,
    m.subject.raw,
    m.subject.normalized,
    JSON.stringify(m.subject),
    m.listId,
    m.inReplyTo,
    JSON.stringify(m.references),
    JSON.stringify(m.to),
    JSON.stringify(m.cc),
    m.body,
    JSON.stringify(m.footers),
    JSON.stringify(m.attachments),
    JSON.stringify(m.extraHeaders),
    m.inferredParent ? JSON.stringify(m.inferredParent) : null,
    JSON.stringify(m.provenance),
  ];
}

export function rowToMessage(r: MessageRow): Message {
  return {
    msgid: r.msgid,
    synthetic: r.synthetic === 1,
    from: { name: r.from_name, address: r.from_address, obfuscated: r.from_obfuscated === 1 },
    to: JSON.parse(r.to_json) as Address[],
    cc: JSON.parse(r.cc_json) as Address[],
    date: r.date,
    tzOffset: r.tz_offset,
    dateRaw: r.date_raw,
    subject: JSON.parse(r.subject_json) as SubjectInfo,
    listId: r.list_id,
    inReplyTo: r.in_reply_to,
    references: JSON.parse(r.references_json) as string[],
    body: r.body,
    footers: JSON.parse(r.footers_json) as string[],
    attachments: JSON.parse(r.attachments_json) as Attachment[],
    extraHeaders: JSON.parse(r.extra_json) as Record<string, string>,
    inferredParent: r.inferred_json ? (JSON.parse(r.inferred_json) as ParentLink) : null,
    provenance: JSON.parse(r.provenance_json) as Provenance,
  };
}

/** A forest container as SQLite rows hold it (thread_nodes, and the disk threader's scratch tables): ghost as 0/1. */
export type ThreadAssignmentRow = Omit<ThreadAssignment, 'ghost'> & { ghost: number };

/** The container of `r`; a root (no parent) has no method, confidence or evidence. */
export function rowToAssignment(r: ThreadAssignmentRow): ThreadAssignment {
  const linked = r.parent !== null;
  return {
    msgid: r.msgid,
    root: r.root,
    parent: r.parent,
    method: linked ? r.method : null,
    confidence: linked ? r.confidence : null,
    evidence: linked ? r.evidence : null,
    ghost: r.ghost === 1,
    depth: r.depth,
  };
}
