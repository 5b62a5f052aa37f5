// Building a Message from what a text dump keeps: a subject, an author name, a date text and a body.
import type { Message, Provenance } from '../../model.js';
import { parseAddress } from '../../parse/address.js';
import { parseDate } from '../../parse/date.js';
import { syntheticMsgid } from '../../parse/msgid.js';
import { parseSubject } from '../../parse/subject.js';

export interface DumpFields {
  subject: string;
  author: string;
  dateRaw: string | null;
  body: string;
  provenance: Provenance;
}

export function dumpMessage(f: DumpFields): Message {
  const from = parseAddress(f.author);
  const date = f.dateRaw ? parseDate(f.dateRaw) : { iso: null, tzOffset: null };
  const subject = parseSubject(f.subject);
  return {
    msgid: syntheticMsgid({ author: from.name ?? from.address ?? f.author, date: date.iso, subject: f.subject, body: f.body }),
    synthetic: true,
    from,
    to: [],
    cc: [],
    date: date.iso,
    tzOffset: date.tzOffset,
    dateRaw: f.dateRaw,
    subject,
    listId: null,
    inReplyTo: null,
    references: [],
    body: f.body,
    footers: [],
    attachments: [],
    extraHeaders: {},
    inferredParent: null,
    provenance: f.provenance,
  };
}
