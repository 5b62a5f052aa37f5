// Maildir: one message per file in `cur/` and `new/` (`tmp/` holds deliveries in progress and is
// left alone). Files are read in name order so runs are reproducible.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawItem } from '../model.js';
import { readEml } from './eml.js';
import type { SourceHooks } from './types.js';

/** True when `dir` has a `cur` or `new` sub-directory. */
export async function isMaildir(dir: string): Promise<boolean> {
  try {
    const names = new Set(
      (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name),
    );
    return names.has('cur') || names.has('new');
  } catch {
    return false;
  }
}

export async function* readMaildir(dir: string, hooks: SourceHooks = {}): AsyncGenerator<RawItem> {
  for (const sub of ['cur', 'new']) {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    const files = entries
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    for (const f of files) {
      const path = join(dir, sub, f);
      try {
        yield* readEml(path, hooks, path, 'maildir');
      } catch (err) {
        hooks.onSkip?.({ source: path, offset: 0, reason: `unreadable: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  }
}
