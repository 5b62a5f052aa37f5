// One long-lived `git cat-file --batch` process: requests are written as `<object>\n` lines and
// replies (`<sha> <type> <size>\n<content>\n`, or `<object> missing\n`) read back in order.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export type CatFileReply =
  | { found: true; sha: string; type: string; content: Buffer }
  | { found: false; object: string; reason: string };

/**
 * Bounds on what git keeps mapped and cached while it reads a pack. By default git maps a pack in
 * 1 GiB windows and keeps 96 MiB of delta bases, so reading every blob of a public-inbox epoch
 * touches the whole pack in its address space: `git cat-file --batch` over the 91,854 messages of
 * the linux-arm-kernel epoch (a 345 MB pack) peaked at 453 MB RSS, more than loregraph itself.
 * With 32 MiB windows, at most 96 MiB of them mapped and 32 MiB of delta bases it peaked at
 * 130 MB; with 16/32/16 MiB the whole ingest (loregraph and git, sampled together) peaked at
 * 318 MB instead of 455, at the same speed (2,603 msgs/s, git 9 CPU-s instead of 8).
 */
const GIT_MEMORY = ['-c', 'core.packedGitWindowSize=16m', '-c', 'core.packedGitLimit=32m', '-c', 'core.deltaBaseCacheLimit=16m'];

export class CatFileBatch {
  private readonly proc: ChildProcessWithoutNullStreams;
  /** Unconsumed output: `buf`, then `incoming` chunks not yet joined to it. */
  private buf: Buffer = Buffer.alloc(0);
  private incoming: Buffer[] = [];
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private stderr = '';

  constructor(gitDir: string) {
    this.proc = spawn('git', [...GIT_MEMORY, '--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (c: Buffer) => {
      // Joined lazily (see `more`): joining on every chunk would copy the backlog again and again.
      this.incoming.push(c);
      this.poke();
    });
    this.proc.stdout.on('end', () => {
      this.ended = true;
      this.poke();
    });
    this.proc.stderr.on('data', (c: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += c.toString();
    });
    this.proc.on('error', (err) => {
      this.failure = err;
      this.poke();
    });
    this.proc.stdin.on('error', (err) => {
      this.failure = err;
      this.poke();
    });
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async more(): Promise<void> {
    if (this.incoming.length) {
      this.buf = Buffer.concat([this.buf, ...this.incoming]);
      this.incoming = [];
      return;
    }
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error(`git cat-file --batch ended early${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
    await new Promise<void>((res) => (this.wake = res));
  }

  /** Queue a request; the reply comes from a later `next()`, in request order. */
  request(object: string): void {
    this.proc.stdin.write(`${object}\n`);
  }

  /** The reply to the oldest unanswered request. */
  async next(): Promise<CatFileReply> {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl >= 0) {
        const header = this.buf.toString('utf8', 0, nl);
        const m = /^([0-9a-f]{40,64}) (\S+) (\d+)$/.exec(header);
        if (!m) {
          this.buf = this.buf.subarray(nl + 1);
          const sp = header.lastIndexOf(' ');
          return { found: false, object: sp > 0 ? header.slice(0, sp) : header, reason: sp > 0 ? header.slice(sp + 1) : header };
        }
        const size = Number(m[3]);
        if (this.buf.length >= nl + 1 + size + 1) {
          // A view, not a copy: the block it points into is dropped once every reply in it is.
          const content = this.buf.subarray(nl + 1, nl + 1 + size);
          this.buf = this.buf.subarray(nl + 1 + size + 1);
          return { found: true, sha: m[1], type: m[2], content };
        }
      }
      await this.more();
    }
  }

  async close(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise<void>((res) => this.proc.once('close', () => res()));
    this.proc.stdin.end();
    await exited;
  }
}
