// Building blocks: the interval map, piecewise walks against pfn-by-pfn walks, scenario parsing
// and validation, the interleaving explorer's counts and locks, --explain, and the CLI.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import fc from 'fast-check';
import { IntervalMap } from './intervals.js';
import { explainSvg, explainText, listScenarioFiles, loadScenario, parseBig, parseScenario, registerModelCommands, runScenario } from './index.js';
import { cloneState } from './state.js';
import { runSync } from './steps.js';
import { type WalkStats, walkPfns, walkRange } from './mm/walkers.js';

describe('IntervalMap', () => {
  test('agrees with a per-pfn array under random sets', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }))), (ops) => {
        const m = new IntervalMap<number>();
        const ref: (number | undefined)[] = new Array(64).fill(undefined);
        for (const [a, b, v] of ops) {
          const [s, e] = a <= b ? [a, b] : [b, a];
          m.set(s, e, v);
          for (let i = s; i < e; i++) ref[i] = v;
        }
        for (let i = 0; i < 64; i++) if (m.get(i) !== ref[i]) return false;
        const runs = m.all();
        for (let i = 1; i < runs.length; i++) {
          if (runs[i - 1].end > runs[i].start) return false;
          if (runs[i - 1].end === runs[i].start && runs[i - 1].value === runs[i].value) return false; // coalesced
        }
        return true;
      }),
    );
  });
});

const SETUP_ONLY = `
name: walk-equivalence
title: piecewise vs pfn-by-pfn
params: { kernel: v5.11 }
profile: x86_64-l4
kernel: $kernel
config: { poison: false }
memory:
  - { base: 0, size: 64M }
  - { base: 96M, size: 130M }
setup:
  - { op: boot }
  - { op: memremap_pages, id: pm, type: fsdax, base: 256M, size: 96M, altmap: { reserve: 3, free: 700 } }
  - { op: add_memory, base: 384M, size: 64M }
  - { op: online_memory, base: 384M, size: 32M }
outcome: { description: d, when: { detector: bad-memmap-read } }
`;

describe('a walk over uniform pieces sees what a pfn-by-pfn walk sees', () => {
  for (const kernel of ['v5.3', 'v5.11', 'v6.8']) {
    for (const walker of ['kpageflags', 'compaction', 'memory_failure'] as const) {
      test(`${walker} on ${kernel}`, () => {
        const r = runScenario(parseScenario(SETUP_ONLY, { kernel }));
        const end = (448 << 20) / 4096;
        const a = cloneState(r.finalState);
        const b = cloneState(r.finalState);
        const sa: WalkStats = { visited: 0, pagesRead: 0, badReads: 0 };
        const sb: WalkStats = { visited: 0, pagesRead: 0, badReads: 0 };
        runSync(a, walkRange(a, walker, 0, end, sa));
        runSync(b, walkPfns(b, walker, Array.from({ length: end }, (_, i) => i), sb));
        assert.deepEqual(sa, sb);
        for (const d of ['uninit-page-read', 'memmap-touch']) assert.equal(a.counts.get(d), b.counts.get(d), d);
      });
    }
  }
});

describe('scenarios', () => {
  test('every shipped scenario validates against the schema', () => {
    const files = listScenarioFiles();
    assert.ok(files.length >= 10);
    for (const f of files) assert.doesNotThrow(() => loadScenario(f.name), f.name);
  });
  test('invalid scenarios and missing parameters are refused', () => {
    assert.throws(() => parseScenario('name: x\ntitle: t\nprofile: x86_64-l4\nkernel: v5.3\nmemory: []\noutcome: {description: d, when: {detector: 3}}'), /invalid scenario/);
    assert.throws(() => parseScenario('name: x\ntitle: t\nprofile: $p\nkernel: v5.3\nmemory: []\noutcome: {description: d, when: {detector: a}}'), /parameter 'p'/);
  });
  test('an instantiated scenario can be instantiated again with other parameters', () => {
    const s = loadScenario('arm64-pfn-valid-oob');
    assert.equal(runScenario(s).outcome.observed, 'always');
    const inside = runScenario(s, { params: { pfn: '0x90000' } });
    assert.equal(inside.params.pfn, '0x90000');
    assert.equal(inside.outcome.observed, 'never');
  });
  test('terabytes of memory: every walker covers every pfn in one execution', () => {
    const r = runScenario('terabyte-walk');
    assert.equal(r.executions, 1);
    assert.equal(r.first.observations['kpageflags.visited'], r.finalState.maxPfn);
    const ramSpans = r.finalState.spans.filter((s) => s.zone !== 'Device').reduce((n, s) => n + s.end - s.start, 0);
    assert.equal(r.first.observations['kmemleak.visited'], ramSpans);
    assert.equal(r.outcome.observed, 'never');
  });
  test('numbers: hex with separators and size suffixes, exactly', () => {
    assert.equal(parseBig('0x80_0000_0000'), 0x80_0000_0000n);
    assert.equal(parseBig('128M'), 128n << 20n);
    assert.equal(parseBig('4T'), 4n << 40n);
    assert.throws(() => parseBig('12Q'));
  });
});

describe('interleaving explorer', () => {
  const twoWalkers = (n: number, m: number): string => `
name: two-walkers
title: t
profile: x86_64-l4
kernel: v5.11
memory: [{ base: 0, size: 1G }]
setup: [{ op: boot }]
threads:
  - { name: a, ops: [${Array(n).fill('{ op: pfn_valid, pfn: 0x10 }').join(', ')}] }
  - { name: b, ops: [${Array(m).fill('{ op: pfn_valid, pfn: 0x20 }').join(', ')}] }
outcome: { description: d, when: { detector: none } }
`;
  const binom = (n: number, k: number): number => (k === 0 ? 1 : (binom(n - 1, k - 1) * n) / k);
  test('explores exactly C(a+b, a) schedules of independent threads', () => {
    for (const [n, m] of [[1, 1], [1, 2], [2, 2]]) {
      const one = runScenario(parseScenario(twoWalkers(n, 0).replace(/ {2}- \{ name: b.*\n/, '')));
      const stepsA = one.first.schedule.length;
      const r = runScenario(parseScenario(twoWalkers(n, m)));
      const stepsB = r.first.schedule.length - stepsA;
      assert.equal(r.exhaustive, true);
      assert.equal(r.executions, binom(stepsA + stepsB, stepsA), `${n}/${m}`);
    }
  });
  test('reports non-exhaustive exploration when the bound is hit', () => {
    const r = runScenario(parseScenario(twoWalkers(2, 2)), { bounds: { maxExecutions: 5 } });
    assert.equal(r.exhaustive, false);
    assert.equal(r.executions, 5);
  });
  test('mem_hotplug_lock keeps two hot-adds apart', () => {
    const s = parseScenario(`
name: two-adds
title: t
profile: x86_64-l4
kernel: v6.8
memory: [{ base: 0, size: 1G }]
setup: [{ op: boot }]
threads:
  - { name: a, ops: [{ op: add_memory, base: 2G, size: 128M, as: ra }] }
  - { name: b, ops: [{ op: add_memory, base: 2G, size: 128M, as: rb }] }
outcome: { description: exactly one add succeeds, when: { any: [{ all: [{ observation: ra, equals: ok }, { observation: rb, equals: EEXIST }] }, { all: [{ observation: rb, equals: ok }, { observation: ra, equals: EEXIST }] }] } }
`);
    const r = runScenario(s);
    assert.equal(r.outcome.observed, 'always');
    for (const e of [r.first, r.witness]) {
      const sched = e?.schedule ?? [];
      const aIn = sched.indexOf('a: mem_hotplug_begin');
      const aOut = sched.indexOf('a: mem_hotplug_done');
      const bIn = sched.indexOf('b: mem_hotplug_begin');
      assert.ok(bIn < aIn || bIn > aOut, sched.join('\n'));
    }
  });
});

describe('--explain and the CLI', () => {
  test('the section map shows the shared section of the 2021 scenario', () => {
    const r = runScenario('zone-device-section-collision');
    const text = explainText(r.finalState);
    assert.match(text, /section 32 +pfn 0x100000-0x108000 +PMOE- +usage boot/);
    assert.match(text, /\|#{32}\.{32}\|/);
    const svg = explainSvg(r.finalState);
    assert.ok(svg.startsWith('<svg') && svg.endsWith('</svg>'));
    assert.equal((svg.match(/<rect /g) ?? []).length, 2 * 64 + 7);
  });
  test('model run --json and model list', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const program = new Command().exitOverride();
      registerModelCommands(program);
      await program.parseAsync(['node', 'loregraph', 'model', 'run', 'arm64-pfn-valid-oob', '--variant', 'arm64-pfn-valid-v3', '--json']);
      await program.parseAsync(['node', 'loregraph', 'model', 'list']);
    } finally {
      process.stdout.write = write;
    }
    const json = JSON.parse(out[0]) as { outcome: { observed: string }; impls: { pfn_valid: string }; modelVersion: string };
    assert.equal(json.outcome.observed, 'never');
    assert.equal(json.impls.pfn_valid, 'arm64-v3');
    assert.match(out[1], /arm64-pfn-valid-v2-2of2/);
    assert.match(out[1], /compaction-vs-memunmap-usage/);
  });
  test('model run by path, with --param, --explain and --svg', async () => {
    const svg = join(tmpdir(), `loregraph-model-${process.pid}.svg`);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const program = new Command().exitOverride();
      registerModelCommands(program);
      const path = listScenarioFiles().find((f) => f.name === 'zone-device-section-collision')?.path ?? '';
      await program.parseAsync(['node', 'loregraph', 'model', 'run', path, '--param', 'poison=false', '--explain', '--svg', svg]);
    } finally {
      process.stdout.write = write;
    }
    const text = out.join('');
    assert.match(text, /\*\*ALWAYS\*\*/);
    assert.match(text, /page = Device/);
    assert.match(text, /## Section map/);
    assert.ok(existsSync(svg));
    assert.match(readFileSync(svg, 'utf8'), /^<svg/);
    rmSync(svg);
  });
});
