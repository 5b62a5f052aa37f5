// npm run bench -- thread [MESSAGES...]: threading time and memory against archive size, for the
// in-memory Threader and the disk-backed DiskThreader, on generated reference graphs of MESSAGES
// messages each (default 100000 300000 1000000). Each configuration runs in a fresh process, so
// its high-water mark (VmHWM) is its own; the records are generated as they are threaded (a
// bounded set of open threads), and the forest is consumed without being kept, as rethread does.
// Figures go to stdout and to .work/bench/thread.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../../graph/paths.js';
import type { ThreadAssignment, ThreadingRecord } from '../../graph/store.js';
import { Threader } from '../../ingest/thread/jwz.js';
import { DiskThreader } from '../../ingest/thread/disk.js';

export const needsArgs = true;

/** A small deterministic PRNG (mulberry32), so every run threads the same graph. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mail-list-shaped records: about one in seven starts a thread; a reply names a random earlier
 * member of one of 500 open threads with In-Reply-To and References (up to 10 ancestors); one
 * thread in twenty has its root missing (a ghost), and one message in a hundred has no headers.
 */
export function* generatedRecords(n: number, seed = 1): Generator<ThreadingRecord> {
  const rnd = prng(seed);
  const open: { subject: string; members: { msgid: string; chain: string[] }[] }[] = [];
  for (let i = 0; i < n; i++) {
    const msgid = `${i.toString(36)}.${Math.floor(rnd() * 1e9).toString(36)}@generated.example.org`;
    const subject = `generated thread subject ${i.toString(36)}`;
    if (open.length < 500 || rnd() < 0.14) {
      const thread = { subject, members: [] as { msgid: string; chain: string[] }[] };
      if (rnd() < 0.05) thread.members.push({ msgid: `ghost.${msgid}`, chain: [] });
      const slot = open.length < 500 ? open.length : Math.floor(rnd() * open.length);
      open[slot] = thread;
      if (thread.members.length === 0) {
        thread.members.push({ msgid, chain: [] });
        yield { msgid, inReplyTo: null, references: [], normalizedSubject: subject, isReply: false, date: null, inferredParent: null };
        continue;
      }
    }
    const thread = open[Math.floor(rnd() * open.length)];
    const parent = thread.members[Math.floor(rnd() * thread.members.length)];
    const chain = [...parent.chain, parent.msgid].slice(-10);
    if (thread.members.length < 200) thread.members.push({ msgid, chain });
    if (rnd() < 0.01) {
      yield { msgid, inReplyTo: null, references: [], normalizedSubject: thread.subject, isReply: true, date: null, inferredParent: null };
    } else {
      yield { msgid, inReplyTo: parent.msgid, references: chain, normalizedSubject: thread.subject, isReply: true, date: null, inferredParent: null };
    }
  }
}

interface Figures {
  threader: 'memory' | 'disk';
  messages: number;
  containers: number;
  threads: number;
  seconds: number;
  cpuSeconds: number;
  baselineMB: number;
  peakMB: number;
}

function statusMB(key: string): number {
  const m = new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function child(threader: 'memory' | 'disk', messages: number): Figures {
  const baselineMB = statusMB('VmHWM');
  const cpu = process.cpuUsage();
  const t = performance.now();
  let containers = 0;
  let threads = 0;
  const consume = (forest: Iterable<ThreadAssignment>): void => {
    for (const a of forest) if (a.depth >= 0) containers++;
  };
  if (threader === 'memory') {
    const th = new Threader();
    for (const r of generatedRecords(messages)) th.add(r);
    const res = th.finish();
    consume(res.assignments);
    threads = res.threads;
  } else {
    const th = new DiskThreader();
    try {
      for (const r of generatedRecords(messages)) th.add(r);
      const res = th.finish();
      consume(res.forest);
      threads = res.threads;
    } finally {
      th.close();
    }
  }
  const c = process.cpuUsage(cpu);
  return {
    threader,
    messages,
    containers,
    threads,
    seconds: +((performance.now() - t) / 1000).toFixed(2),
    cpuSeconds: +((c.user + c.system) / 1e6).toFixed(2),
    baselineMB: Math.round(baselineMB),
    peakMB: Math.round(statusMB('VmHWM')),
  };
}

export async function run(args: string[]): Promise<void> {
  if (args[0] === '--child') {
    console.log(JSON.stringify(child(args[1] as 'memory' | 'disk', Number(args[2]))));
    return;
  }
  const sizes = args.length ? args.map(Number) : [100_000, 300_000, 1_000_000];
  const index = fileURLToPath(new URL('./index.ts', import.meta.url));
  const results: Figures[] = [];
  for (const messages of sizes) {
    for (const threader of ['memory', 'disk'] as const) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', index, 'thread', '--child', threader, String(messages)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (out.status !== 0) throw new Error(`thread bench child failed: ${out.stderr}`);
      const line = out.stdout.trim().split('\n').pop() ?? '';
      const f = JSON.parse(line) as Figures;
      results.push(f);
      console.log(
        `${threader.padEnd(6)} ${String(messages).padStart(9)} messages: ${f.seconds} s (${f.cpuSeconds} CPU-s), ` +
          `peak ${f.peakMB} MB (${f.peakMB - f.baselineMB} over the process before threading), ${f.containers} containers, ${f.threads} threads`,
      );
    }
  }
  const file = projectPath('.work/bench/thread.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
}
