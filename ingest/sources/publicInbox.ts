// public-inbox v2: each epoch is a bare git repository in which every commit holds one message
// as the blob `m` (a commit holding `d` instead records a deletion). Epochs are walked oldest
// first with `git rev-list --reverse`, and blobs are read through ONE `git cat-file --batch`
// per epoch, a bounded window of requests ahead of the consumer.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawItem } from '../model.js';
import { CatFileBatch } from './gitCatFile.js';
import type { SourceHooks } from './types.js';

/** Requests kept in flight ahead of the consumer. */
const WINDOW = 64;

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** True when `dir` is a (bare) git directory. */
export async function isGitDir(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'HEAD'))).isFile() && (await isDir(join(dir, 'objects'))) && (await isDir(join(dir, 'refs')));
  } catch {
    return false;
  }
}

/** Epoch git directories of `path`: itself when it is one, else `path/git/N.git` in numeric order. */
export async function listEpochs(path: string): Promise<string[]> {
  if (await isGitDir(path)) return [path];
  if (await isGitDir(join(path, '.git'))) return [join(path, '.git')];
  const gitDir = join(path, 'git');
  if (!(await isDir(gitDir))) return [];
  const names = (await readdir(gitDir)).filter((n) => /^\d+\.git$/.test(n));
  names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const out: string[] = [];
  for (const n of names) if (await isGitDir(join(gitDir, n))) out.push(join(gitDir, n));
  return out;
}

/** The ref to walk: HEAD when it resolves, else refs/heads/master, else null (empty epoch). */
async function walkRef(gitDir: string): Promise<string | null> {
  for (const ref of ['HEAD', 'refs/heads/master', 'refs/heads/main']) {
    const ok = await new Promise<boolean>((res) => {
      const p = spawn('git', ['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
        stdio: 'ignore',
      });
      p.on('close', (code) => res(code === 0));
      p.on('error', () => res(false));
    });
    if (ok) return ref;
  }
  return null;
}

/**
 * Commits of `ref`, oldest first. `git rev-list --reverse` must walk the whole history before it
 * prints the first line, and holds it until its output is read (56 MB of RSS for the 91,854
 * commits of the linux-arm-kernel epoch): its output is read whole at once (41 bytes a commit, in
 * one buffer), so the process is gone before the first message is parsed.
 */
async function* revList(gitDir: string, ref: string): AsyncGenerator<string> {
  const p = spawn('git', ['--git-dir', gitDir, 'rev-list', '--reverse', ref], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const chunks: Buffer[] = [];
  p.stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await new Promise<number | null>((res, rej) => {
    p.on('error', rej);
    p.on('close', (c) => res(c));
  });
  if (code !== 0) throw new Error(`git rev-list failed in ${gitDir}: ${stderr.trim()}`);
  const out = Buffer.concat(chunks);
  chunks.length = 0;
  for (let start = 0; start < out.length; ) {
    let end = out.indexOf(10, start);
    if (end < 0) end = out.length;
    const line = out.toString('latin1', start, end).trim();
    start = end + 1;
    if (/^[0-9a-f]{40,64}$/.test(line)) yield line;
  }
}

/** Read one epoch. `source` in provenance is the epoch's git directory; `offset` the commit's index. */
export async function* readEpoch(gitDir: string, hooks: SourceHooks = {}): AsyncGenerator<RawItem> {
  const ref = await walkRef(gitDir);
  if (ref === null) {
    hooks.onSkip?.({ source: gitDir, offset: 0, reason: 'public-inbox epoch has no commits' });
    return;
  }
  const batch = new CatFileBatch(gitDir);
  // Second process, only started when a commit lacks `m`, to tell deletions from other commits
  // without disturbing the order of replies queued on `batch`.
  const aux: { checker: CatFileBatch | null } = { checker: null };
  let bytesRead = 0;
  try {
    const pending: { commit: string; index: number }[] = [];
    let index = 0;
    const answer = async function* (): AsyncGenerator<RawItem> {
      const { commit, index: i } = pending.shift()!;
      const reply = await batch.next();
      if (reply.found && reply.type === 'blob') {
        bytesRead += reply.content.length;
        if (i % 256 === 0) hooks.onProgress?.({ source: gitDir, bytesRead, bytesTotal: null });
        yield {
          kind: 'rfc822',
          bytes: reply.content,
          provenance: {
            source: gitDir,
            format: 'public-inbox',
            offset: i,
            length: reply.content.length,
            line: 1,
            commit,
            blob: reply.sha,
          },
        };
        return;
      }
      // No `m`: a deletion commit (`d`) or something that is not a message commit.
      aux.checker ??= new CatFileBatch(gitDir);
      aux.checker.request(`${commit}:d`);
      const d = await aux.checker.next();
      hooks.onSkip?.({
        source: gitDir,
        offset: i,
        reason: d.found
          ? `public-inbox deletion commit ${commit} (d blob ${d.sha}): message removed from the inbox`
          : `public-inbox commit ${commit} holds no m blob`,
      });
    };
    for await (const commit of revList(gitDir, ref)) {
      batch.request(`${commit}:m`);
      pending.push({ commit, index: index++ });
      if (pending.length >= WINDOW) yield* answer();
    }
    while (pending.length) yield* answer();
    hooks.onProgress?.({ source: gitDir, bytesRead, bytesTotal: null });
  } finally {
    await batch.close();
    await aux.checker?.close();
  }
}

/** Read every epoch of an inbox (or the one epoch `path` is), in order. */
export async function* readPublicInbox(path: string, hooks: SourceHooks = {}): AsyncGenerator<RawItem> {
  const epochs = await listEpochs(path);
  if (epochs.length === 0) {
    hooks.onSkip?.({ source: path, offset: 0, reason: 'no public-inbox epoch (N.git) found' });
    return;
  }
  for (const e of epochs) yield* readEpoch(e, hooks);
}
