// The files the labelled claim data is drawn from, and one reader that picks the right parser.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFlatRfc822, readLkmlPage, readMailArchivePage } from './archivePages.js';
import { readMbox } from './mbox.js';
import type { CorpusMessage } from './types.js';

export type { CorpusMessage } from './types.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const PEERS_DIR = resolve(REPO_ROOT, '../shared/corpus/peers');

/** Seed threads (data/samples) and peer review threads, relative to the repository root. */
export const CORPUS_FILES = [
  'data/samples/000_e39e1c1dbf3cb047.txt',
  'data/samples/001_3ff6e6a83da12ccf.txt',
  'data/samples/002_3e7a4c28e30b5ca3.txt',
  'data/samples/003_71958f29ad8d687f.txt',
  'data/samples/004_eeb55a53d6283a53.txt',
  '../shared/corpus/peers/lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox',
  '../shared/corpus/peers/lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox',
  '../shared/corpus/peers/lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox',
  // Real kernel patches, pull requests and replies among the patchwork fixtures (their commit
  // messages and the few replies are kernel prose; the synthetic b4 mail and the non-kernel
  // perceval / public-inbox / patchwork mail are left out).
  '../shared/corpus/peers/patchwork/series/revision-unlabeled-noreferences.mbox',
  '../shared/corpus/peers/patchwork/series/base-no-references.mbox',
  '../shared/corpus/peers/patchwork/series/base-different-versions.mbox',
  '../shared/corpus/peers/patchwork/series/bugs-multiple-references.mbox',
  '../shared/corpus/peers/patchwork/series/base-no-references-no-cover.mbox',
  '../shared/corpus/peers/patchwork/series/bugs-multiple-content-types.mbox',
  '../shared/corpus/peers/patchwork/mail/0001-git-pull-request.mbox',
  '../shared/corpus/peers/patchwork/mail/0003-git-pull-request-with-diff.mbox',
  '../shared/corpus/peers/patchwork/mail/0011-no-newline-at-end-of-file.mbox',
  '../shared/corpus/peers/patchwork/mail/0013-with-utf8-body.mbox',
  '../shared/corpus/peers/patchwork/mail/0017-git-pull-request-git-2-14-3.mbox',
  '../shared/corpus/peers/patchwork/mail/0022-git-mode-change.mbox',
  '../shared/corpus/peers/patchwork/mail/0023-git-pull-request-newline-in-url.mbox',
  '../shared/corpus/peers/patchwork/mail/0024-git-pull-request-trailing-space.mbox',
  '../shared/corpus/peers/patchwork/fuzz/x-face.mbox',
] as const;

/** Reads one corpus file, choosing the reader from its content. */
export function readCorpusText(text: string, path: string): CorpusMessage[] {
  if (/\.mbox$/.test(path) || /^From \S+/.test(text)) return readMbox(text, path);
  if (/^\d{4}-\d\d-\d\d Thread /m.test(text)) return readMailArchivePage(text, path);
  if (/^From: .*\n(?:Date: )/m.test(text)) return readLkmlPage(text, path);
  return readFlatRfc822(text, path);
}

export function readCorpusFile(path: string): CorpusMessage[] {
  const abs = resolve(REPO_ROOT, path);
  return readCorpusText(readFileSync(abs, 'utf8'), abs);
}
