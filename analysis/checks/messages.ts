// Messages of an archive path through the project's ingest: readSources detects the format (mbox,
// public-inbox, mail-archive.com and lkml.org dumps, flattened RFC 822 ...) and raw mail is parsed
// with parseRfc822. Used by tests on the seed files and by callers that start from a file.
import type { Message } from '../../ingest/model.js';
import { parseRfc822 } from '../../ingest/parse/rfc822.js';
import { readSources } from '../../ingest/sources/index.js';

export async function readMessages(paths: string[]): Promise<Message[]> {
  const out: Message[] = [];
  for await (const item of readSources(paths)) {
    if (item.kind === 'message') out.push(item.message);
    else out.push(await parseRfc822(item.bytes, item.provenance));
  }
  return out;
}
