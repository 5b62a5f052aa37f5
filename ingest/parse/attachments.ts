// Which MIME parts are patches, and the Attachment record kept for each non-body part.
import type { Attachment } from '../model.js';
import { decodeText } from './charset.js';

const PATCH_TYPES = new Set(['text/x-patch', 'text/x-diff', 'text/diff', 'text/x-diff-c', 'application/x-patch']);

/** True when text looks like a patch: starts with `diff --git`, `Index:` or a `---`/`+++` pair. */
export function startsLikePatch(text: string): boolean {
  const head = text.replace(/^\s+/, '').slice(0, 4000);
  if (head.startsWith('diff --git ') || head.startsWith('diff -') || head.startsWith('Index: ')) return true;
  if (head.startsWith('--- ') && /\n\+\+\+ /.test(head)) return true;
  // git format-patch attached whole: `From <sha> Mon Sep 17 00:00:00 2001`.
  if (/^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n/.test(head)) return true;
  return false;
}

export function isPatchPart(contentType: string, filename: string | null, text: string | null): boolean {
  if (PATCH_TYPES.has(contentType)) return true;
  if (filename && /\.(patch|diff)$/i.test(filename)) return true;
  return text !== null && startsLikePatch(text);
}

/** Text of a part worth keeping as text (text/*, patch types, message/*); null for binary data. */
export function attachmentText(contentType: string, charset: string | null, content: Buffer): string | null {
  const texty =
    contentType.startsWith('text/') || PATCH_TYPES.has(contentType) || contentType.startsWith('message/');
  if (!texty) return null;
  return decodeText(content, charset).replace(/\r?\n/g, '\n');
}

export function makeAttachment(
  contentType: string,
  filename: string | null,
  charset: string | null,
  content: Buffer,
): Attachment {
  const text = attachmentText(contentType, charset, content);
  return { filename, contentType, size: content.length, text, isPatch: isPatchPart(contentType, filename, text) };
}
