// Test-only bridge: reads the peer corpus mbox files into `Message`s with mailparser and the shared
// subject/address/msgid parsers, until the project's own mbox reader is wired in. Kept small on
// purpose: it splits on `From ` separator lines (also when no blank line precedes them), undoes
// mboxrd `>From ` escaping, and takes a file without any separator as one bare RFC 822 message.
import { readFileSync } from 'node:fs';
import { simpleParser, type AddressObject } from 'mailparser';
import type { Address, Message } from '../model.js';
import { parseAddress } from '../parse/address.js';
import { parseSubject } from '../parse/subject.js';
import { normalizeMsgid, parseReferences } from '../parse/msgid.js';

const SEPARATOR = /^From \S.*$/;

/** Split an mbox into raw message texts with their byte-ish offsets (character offsets). */
export function splitMbox(text: string): { raw: string; offset: number }[] {
  const lines = text.split('\n');
  const out: { raw: string; offset: number }[] = [];
  let cur: string[] | null = null;
  let curOffset = 0;
  let offset = 0;
  const flush = (): void => {
    if (cur && cur.join('').trim()) out.push({ raw: cur.join('\n'), offset: curOffset });
  };
  for (const line of lines) {
    // A separator is a `From ` line that is followed by a header-looking line (checked lazily: a body
    // line starting with `From ` in these fixtures is always mboxrd-escaped).
    if (SEPARATOR.test(line)) {
      flush();
      cur = [];
      curOffset = offset + line.length + 1;
    } else {
      if (cur === null) {
        cur = [];
        curOffset = offset;
      }
      cur.push(/^>+From /.test(line) ? line.slice(1) : line);
    }
    offset += line.length + 1;
  }
  flush();
  return out;
}

function headerText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => headerText(x) ?? '').join(', ');
  if (typeof v === 'object' && 'text' in v) return String((v as { text: unknown }).text);
  return String(v);
}

function addressList(v: AddressObject | AddressObject[] | undefined): Address[] {
  if (!v) return [];
  const objs = Array.isArray(v) ? v : [v];
  const out: Address[] = [];
  for (const o of objs) {
    for (const a of o.value) {
      out.push(parseAddress(a.name ? `"${a.name.replace(/"/g, '\\"')}" <${a.address ?? ''}>` : (a.address ?? '')));
    }
  }
  return out;
}

/** Parse one raw message. */
export async function messageFromRaw(raw: string, source: string, offset: number): Promise<Message> {
  const p = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const fromRaw = headerText(p.headers.get('from'));
  const fromObj = addressList(p.from);
  const from = fromObj[0] ?? parseAddress(fromRaw ?? '');
  const msgid = normalizeMsgid(p.messageId ?? null) ?? `missing-${offset}@${source}`;
  const refs = Array.isArray(p.references) ? p.references.join(' ') : (p.references ?? '');
  const extra: Record<string, string> = {};
  for (const name of ['x-mailer', 'change-id', 'x-patchwork-hint']) {
    const h = headerText(p.headers.get(name));
    if (h !== null) extra[name] = h;
  }
  return {
    msgid,
    synthetic: false,
    from,
    to: addressList(p.to),
    cc: addressList(p.cc),
    date: p.date && !Number.isNaN(p.date.getTime()) ? p.date.toISOString() : null,
    tzOffset: null,
    dateRaw: headerText(p.headers.get('date')),
    subject: parseSubject(p.subject ?? ''),
    listId: null,
    inReplyTo: normalizeMsgid(p.inReplyTo ?? null),
    references: parseReferences(refs),
    body: (p.text ?? '').replace(/\r\n/g, '\n'),
    footers: [],
    attachments: [],
    extraHeaders: extra,
    inferredParent: null,
    provenance: { source, format: 'mbox', offset },
  };
}

/** Every message of an mbox file, in file order. */
export async function readMboxMessages(path: string): Promise<Message[]> {
  const text = readFileSync(path, 'utf8');
  const parts = splitMbox(text);
  const out: Message[] = [];
  for (const part of parts) out.push(await messageFromRaw(part.raw, path, part.offset));
  return out;
}
