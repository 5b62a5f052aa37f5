// npm run bench -- ingest PATH [--workers N] [--no-derive | --no-claims] [--keep]
//
// Full ingest of PATH into a fresh embedded store, the way a user runs it (the compiled CLI when
// dist/ exists, else through tsx), in a child process whose peak resident set (VmHWM from
// /proc) is sampled while it runs. Then the parse-only figure comes from the parse benchmark
// (test/bench/parse.ts) on the same input, so both numbers are measured in one run.
// Results go to stdout and to .work/bench/ingest.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../fixtures.js';
import { cpuSecondsOf, descendantsOf, peakRssMB, rssMB } from './cpu.js';

export const needsArgs = true;

interface ChildRun {
  seconds: number;
  /** User + system CPU of the child (its worker threads included), from /proc/<pid>/stat. */
  cpuSeconds: number;
  peakRssMB: number;
  /** The child's processes (git cat-file reading a public-inbox epoch): their largest sampled
   * resident set together with loregraph's at the same moment, and their own CPU. */
  peakTreeRssMB: number;
  /** loregraph's high-water mark plus each of its processes' (an upper bound of their peak together,
   * which the 0.1 s samples may miss). */
  peakTreeBoundMB: number;
  helperCpuSeconds: number;
  stdout: string;
  code: number | null;
}



function runChild(args: string[]): Promise<ChildRun> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let peak = 0;
    let peakTree = 0;
    let cpu = 0;
    const helperCpu = new Map<number, number>();
    const helperPeak = new Map<number, number>();
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      const p = peakRssMB(child.pid);
      if (p !== null) peak = Math.max(peak, p);
      const c = cpuSecondsOf(child.pid);
      if (c !== null) cpu = Math.max(cpu, c);
      let tree = rssMB(child.pid) ?? 0;
      for (const d of descendantsOf(child.pid)) {
        tree += rssMB(d) ?? 0;
        const dp = peakRssMB(d);
        if (dp !== null) helperPeak.set(d, Math.max(helperPeak.get(d) ?? 0, dp));
        const dc = cpuSecondsOf(d);
        if (dc !== null) helperCpu.set(d, Math.max(helperCpu.get(d) ?? 0, dc));
      }
      peakTree = Math.max(peakTree, tree);
    }, 100);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(timer);
      const helperCpuSeconds = [...helperCpu.values()].reduce((a, b) => a + b, 0);
      const peakTreeBoundMB = peak + [...helperPeak.values()].reduce((a, b) => a + b, 0);
      done({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMB: peak, peakTreeRssMB: Math.max(peak, peakTree), peakTreeBoundMB, helperCpuSeconds, cpuSeconds: cpu, stdout: out, code });
    });
  });
}

export async function run(args: string[]): Promise<void> {
  const path = args.find((a) => !a.startsWith('--'));
  if (!path) throw new Error('usage: npm run bench -- ingest PATH [--workers N] [--keep]');
  // The full ingest runs with the CLI's default workers unless --workers is given (what a user
  // gets); the parse figure is the parser's capacity, with 2 workers unless told otherwise.
  const wi = args.indexOf('--workers');
  const workers = wi >= 0 ? args[wi + 1] : null;
  const outDir = resolve(ROOT, '.work/bench');
  mkdirSync(outDir, { recursive: true });
  const db = resolve(outDir, 'ingest-bench.db');
  for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });

  const compiled = resolve(ROOT, 'dist/cli.js');
  const cli = existsSync(compiled) ? [compiled] : ['--import', 'tsx', resolve(ROOT, 'cli.ts')];
  const derive = !args.includes('--no-derive');
  const claims = derive && !args.includes('--no-claims');
  const full = await runChild([
    ...cli,
    'ingest',
    resolve(path),
    '--db',
    db,
    '--json',
    '--no-progress',
    ...(workers === null ? [] : ['--workers', workers]),
    ...(derive ? [] : ['--no-derive']),
    ...(derive && !claims ? ['--no-claims'] : []),
  ]);
  if (full.code !== 0) throw new Error(`ingest exited with ${full.code}`);
  const summary = JSON.parse(full.stdout) as { messages: number; inserted: number; threads: number; skipped: unknown[]; bytes: number };
  const fullResult = {
    messages: summary.messages,
    threads: summary.threads,
    skipped: summary.skipped.length,
    seconds: full.seconds,
    messagesPerSecond: summary.messages / full.seconds,
    peakRssMB: full.peakRssMB,
    peakTreeRssMB: full.peakTreeRssMB,
    peakTreeBoundMB: full.peakTreeBoundMB,
    helperCpuSeconds: full.helperCpuSeconds,
    runner: existsSync(compiled) ? 'dist/cli.js' : 'tsx cli.ts',
    derive,
    claims,
    workers: workers ?? 'default',
    cpuSeconds: full.cpuSeconds,
  };
  console.log(
    `full ingest: ${fullResult.messages} msgs in ${fullResult.seconds.toFixed(1)} s = ${fullResult.messagesPerSecond.toFixed(0)} msgs/s, ` +
      `peak RSS ${fullResult.peakRssMB.toFixed(0)} MB (with its git processes: ${fullResult.peakTreeRssMB.toFixed(0)} MB sampled, ` +
      `at most ${fullResult.peakTreeBoundMB.toFixed(0)} MB by high-water marks), ` +
      `${fullResult.cpuSeconds.toFixed(0)} CPU-s (+${fullResult.helperCpuSeconds.toFixed(0)} in git), ${fullResult.threads} threads, ` +
      `${fullResult.skipped} skipped (${fullResult.runner}, derive ${derive ? 'on' : 'off'}, claims ${claims ? 'on' : 'off'})`,
  );
  if (!args.includes('--keep')) for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });

  const parse = await runChild(['--import', 'tsx', resolve(ROOT, 'test/bench/index.ts'), 'parse', resolve(path), '--workers', workers ?? '2']);
  const parseJson = resolve(outDir, 'parse.json');
  const parseResult = existsSync(parseJson) ? (JSON.parse(readFileSync(parseJson, 'utf8')) as unknown) : null;
  process.stdout.write(parse.stdout);
  writeFileSync(
    resolve(outDir, 'ingest.json'),
    JSON.stringify({ path, measuredAt: new Date().toISOString(), full: fullResult, parse: parseResult }, null, 2) + '\n',
  );
}
