// Everything MIME-complex goes through mailparser: multipart trees, nested message/rfc822,
// HTML-only mails, odd transfer encodings. Charsets are decoded by our own decodeText (through
// mailparser's `Iconv` hook), so both parse paths agree on every charset label. Inline text
// parts become the body, except later parts that are patches, which are kept as attachments.
import { EventEmitter } from 'node:events';
import { MailParser, type AttachmentStream, type MailParserOptions } from 'mailparser';
import type { Attachment } from '../model.js';
import { isPatchPart, makeAttachment } from './attachments.js';
import { decodeText } from './charset.js';
import { htmlToText } from './htmlText.js';

/**
 * The converter mailparser builds with `new Iconv(charset, 'UTF-8//TRANSLIT//IGNORE')` and uses
 * as a stream (write, end, 'data', 'end'). Ours collects the part and decodes it at the end.
 */
class CharsetConverter extends EventEmitter {
  private readonly chunks: Buffer[] = [];
  constructor(private readonly charset: string) {
    super();
  }
  write(chunk: Buffer | string): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    return true;
  }
  end(): void {
    const text = decodeText(Buffer.concat(this.chunks), this.charset);
    setImmediate(() => {
      if (text) this.emit('data', Buffer.from(text, 'utf8'));
      this.emit('end');
    });
  }
}

/** A node of MailParser's internal part tree (not in its typings; read after 'end'). */
interface TreeNode {
  contentType?: string | false;
  disposition?: string;
  textContent?: string;
  showMeta?: boolean;
  root?: boolean;
  isAttachment?: boolean;
  children?: TreeNode[];
  headers?: Map<string, unknown>;
  node?: { filename?: string | false; charset?: string | false };
}

export interface MimeBody {
  body: string;
  attachments: Attachment[];
}

const OPTIONS: MailParserOptions = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  // mailparser only needs a constructor it can call with (charset, target); the typings claim an
  // iconv-lite DecoderStream, which is not what the code uses.
  Iconv: CharsetConverter as unknown as MailParserOptions['Iconv'],
};

function headerText(headers: Map<string, unknown> | undefined, key: string): string | null {
  const v = headers?.get(key);
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toUTCString();
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && 'text' in v && typeof (v as { text: unknown }).text === 'string') {
    return (v as { text: string }).text;
  }
  return null;
}

/** Walk the part tree like a mail reader: text parts in order, HTML only where no text exists. */
function collectText(tree: TreeNode): { texts: { text: string; filename: string | null; type: string }[]; htmls: string[] } {
  const texts: { text: string; filename: string | null; type: string }[] = [];
  const htmls: string[] = [];
  const visit = (n: TreeNode): void => {
    if (n.showMeta) {
      const meta = ['From', 'Subject', 'Date', 'To', 'Cc']
        .map((k) => {
          const v = headerText(n.headers, k.toLowerCase());
          return v ? `${k}: ${v}` : null;
        })
        .filter((x): x is string => x !== null);
      if (meta.length) texts.push({ text: `\n${meta.join('\n')}\n`, filename: null, type: 'meta' });
    }
    const type = typeof n.contentType === 'string' ? n.contentType : '';
    if (typeof n.textContent === 'string' && n.textContent) {
      const filename = n.node && typeof n.node.filename === 'string' ? n.node.filename : null;
      if (type === 'text/plain' || type === 'message/delivery-status') texts.push({ text: n.textContent, filename, type });
      else if (type === 'text/html') htmls.push(n.textContent);
    }
    for (const c of n.children ?? []) visit(c);
  };
  visit(tree);
  return { texts, htmls };
}

/** Parse a whole message with mailparser and return its body text and attachments. */
export function mimeBody(bytes: Buffer): Promise<MimeBody> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser(OPTIONS);
    const attachments: Attachment[] = [];
    let failed = false;
    parser.on('error', (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err instanceof Error ? err : new Error(String(err)));
    });
    parser.on('data', (data: AttachmentStream | { type: 'text' }) => {
      if (data.type !== 'attachment') return;
      const att = data as AttachmentStream;
      const chunks: Buffer[] = [];
      att.content.on('data', (c: Buffer) => chunks.push(c));
      att.content.on('end', () => {
        try {
          // A damaged header (`Content-Type:;text/plain`) leaves mailparser's contentType `false`,
          // whatever its typings say: such a part is kept as untyped bytes.
          const type: unknown = att.contentType;
          const contentType = typeof type === 'string' && type ? type.toLowerCase() : 'application/octet-stream';
          const filename: unknown = att.filename;
          const ctHeader = att.headers?.get('content-type') as { params?: Record<string, unknown> } | undefined;
          const charset = ctHeader?.params?.charset;
          attachments.push(
            makeAttachment(contentType, typeof filename === 'string' ? filename : null, typeof charset === 'string' ? charset : null, Buffer.concat(chunks)),
          );
        } catch (err) {
          // Thrown here it would be uncaught (an event handler); the caller salvages the mail instead.
          if (!failed) {
            failed = true;
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        } finally {
          att.release();
        }
      });
    });
    parser.on('end', () => {
      if (failed) return;
      // The tree is internal to MailParser (no typings); it is the only place inline parts stay apart.
      const tree = (parser as unknown as { tree?: TreeNode | false }).tree;
      const body: string[] = [];
      if (tree) {
        const { texts, htmls } = collectText(tree);
        let seenBody = false;
        for (const t of texts) {
          if (seenBody && t.type === 'text/plain' && isPatchPart(t.type, t.filename, t.text)) {
            attachments.push({
              filename: t.filename,
              contentType: t.type,
              size: Buffer.byteLength(t.text),
              text: t.text,
              isPatch: true,
            });
            continue;
          }
          body.push(t.text);
          if (t.type !== 'meta') seenBody = true;
        }
        if (!seenBody && htmls.length) body.push(htmls.map(htmlToText).join('\n'));
      }
      resolve({ body: body.join('\n'), attachments });
    });
    parser.end(bytes);
  });
}
