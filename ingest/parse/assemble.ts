// Building the Message record from decoded header fields and a decoded body. Shared by both
// parse paths so the header side of a Message can never depend on which path decoded the body.
import type { Address, Attachment, Message, Provenance } from '../model.js';
import { parseAddress, parseAddressList } from './address.js';
import { parseDate } from './date.js';
import { stripFooters } from './footers.js';
import { decodeHeader, first } from './headers.js';
import { normalizeMsgid, parseReferences, syntheticMsgid } from './msgid.js';
import { parseSubject } from './subject.js';

/** Headers kept verbatim (decoded) in `extraHeaders`: exact names, and prefixes. */
const EXTRA_EXACT = new Set(['x-mailer', 'user-agent', 'change-id', 'list-archive', 'x-change-id']);
const EXTRA_PREFIX = ['x-patchwork-'];

/** Fields the parser reads (the others are only checked for form, see parseHeaderBlock). */
const READ_FIELDS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'date',
  'subject',
  'message-id',
  'in-reply-to',
  'references',
  'list-id',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
]);

export function isReadField(name: string): boolean {
  return READ_FIELDS.has(name) || EXTRA_EXACT.has(name) || EXTRA_PREFIX.some((p) => name.startsWith(p));
}

function addressList(fields: Map<string, string[]>, name: string): Address[] {
  const values = fields.get(name);
  if (!values) return [];
  const out: Address[] = [];
  for (const v of values) {
    const decoded = decodeHeader(v, { address: true }).trim();
    if (decoded) out.push(...parseAddressList(decoded));
  }
  return out;
}

function listIdOf(raw: string | null): string | null {
  if (raw === null) return null;
  const v = decodeHeader(raw).trim();
  const m = /<([^<>]+)>/.exec(v);
  const id = (m ? m[1] : v).trim();
  return id ? id.toLowerCase() : null;
}

/** Build a Message. `body` is the decoded text body before footer removal. */
export function assembleMessage(
  fields: Map<string, string[]>,
  body: string,
  attachments: Attachment[],
  provenance: Provenance,
): Message {
  const fromRaw = first(fields, 'from') ?? first(fields, 'sender');
  const from: Address = fromRaw
    ? parseAddress(decodeHeader(fromRaw, { address: true }).trim())
    : { name: null, address: null, obfuscated: false };
  const dateRawLatin1 = first(fields, 'date');
  const dateRaw = dateRawLatin1 === null ? null : decodeHeader(dateRawLatin1).trim();
  const { iso, tzOffset } = dateRaw ? parseDate(dateRaw) : { iso: null, tzOffset: null };
  const subjectRaw = first(fields, 'subject');
  const subject = parseSubject(subjectRaw === null ? '' : decodeHeader(subjectRaw).trim());
  const split = stripFooters(body);

  const extraHeaders: Record<string, string> = {};
  for (const [name, values] of fields) {
    if (EXTRA_EXACT.has(name) || EXTRA_PREFIX.some((p) => name.startsWith(p))) {
      extraHeaders[name] = values.map((v) => decodeHeader(v).trim()).join('\n');
    }
  }

  const realId = normalizeMsgid(first(fields, 'message-id'));
  const msgid =
    realId ??
    syntheticMsgid({
      author: from.address ?? from.name ?? '',
      date: iso ?? dateRaw,
      subject: subject.raw,
      body: split.body,
    });

  const inReplyTo = normalizeMsgid(first(fields, 'in-reply-to'));
  const references = parseReferences((fields.get('references') ?? []).join(' '));

  return {
    msgid,
    synthetic: realId === null,
    from,
    to: addressList(fields, 'to'),
    cc: addressList(fields, 'cc'),
    date: iso,
    tzOffset,
    dateRaw,
    subject,
    listId: listIdOf(first(fields, 'list-id')),
    inReplyTo,
    references,
    body: split.body,
    footers: split.footers,
    attachments,
    extraHeaders,
    inferredParent: null,
    provenance,
  };
}
