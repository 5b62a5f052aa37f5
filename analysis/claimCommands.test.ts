// `loregraph claims`, `check` and `summary` as a maintainer runs them: the real CLI in a child
// process, after `loregraph ingest data/samples` into a fresh store (every verdict computed by the
// claims stage running the sparsemem model).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { openSqliteStore } from '../graph/sqlite/store.js';
import { ROOT, SEED, WORK_DIR } from '../test/fixtures.js';
import { seriesSummary, summaryMarkdown, type SeriesClaimSummary, type SummaryClaim } from './seriesSummary.js';

const exec = promisify(execFile);
const dir = join(WORK_DIR, `claim-commands-${process.pid}`);
const db = join(dir, 'loregraph.db');

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'cli.ts', ...args, '--db', db], { cwd: ROOT, maxBuffer: 64 << 20 });
  return stdout;
}

interface ClaimJson {
  id: string;
  msgid: string;
  author: string;
  date: string | null;
  text: string;
  kind: string;
  entities: { kind: string; name: string }[];
  answers: unknown;
  status: string | null;
  checks: { name: string; variant: string; verdict: string; why: string }[];
  verdict: string;
  why: string;
  url: string;
  lines: { start: number; end: number };
}

const WILL = /__pfn_to_section\(\) with a bogus pfn/;
let ingestOutput = '';

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  ingestOutput = await cli('ingest', 'data/samples', '--no-progress', '--workers', '0');
});

describe('loregraph claims', () => {
  test('ingest reports what the claims stage stored', () => {
    assert.match(ingestOutput, /^claims: \d+ \(\d+ read from quotes of unstored mail\), \d+ check links, \d+ model runs — \d+ confirmed, \d+ refuted/m);
    assert.match(ingestOutput, /^review concerns: .*\d+ open/m);
  });

  test('--about pfn_valid --json: claims from several threads and seeds, Will Deacon\'s ordering concern confirmed on V2 2/2 and refuted on V3', async () => {
    const claims = JSON.parse(await cli('claims', '--about', 'pfn_valid', '--json')) as ClaimJson[];
    for (const key of ['msgid', 'author', 'date', 'text', 'kind', 'entities', 'answers', 'status', 'checks']) {
      assert.ok(claims.every((c) => key in c), key);
    }
    assert.ok(claims.every((c) => c.entities.some((e) => e.name === 'pfn_valid')));
    const seeds = new Set(claims.map((c) => basename(c.url.replace(/:\d+$/, ''))));
    assert.ok(seeds.has(basename(SEED.armPfnValid)) && seeds.size > 1, [...seeds].join(', '));
    const viaSymbol = JSON.parse(await cli('claims', '--about', '__pfn_to_section()', '--json')) as ClaimJson[];
    const will = viaSymbol.find((c) => WILL.test(c.text) && c.author === 'Will Deacon');
    assert.ok(will);
    assert.ok(will.checks.some((k) => /V2 2\/2/.test(k.variant) && k.verdict === 'confirmed'));
    assert.ok(will.checks.some((k) => /^V3/.test(k.variant) && k.verdict === 'refuted'));
  });

  test('text output: one block per claim with where it was said (archive file and line for a dump) and its line span', async () => {
    const out = await cli('claims', '--about', '__pfn_to_section', '--kind', 'concern');
    const blocks = out.trim().split('\n\n');
    assert.ok(blocks.length > 0);
    for (const b of blocks) {
      assert.match(b, /^\[concern\] (confirmed|refuted|inconclusive|unchecked) — /);
      assert.match(b, /\n {2}where: \S+\.txt:\d+ \(message starts there; [a-z-]+ dump, no Message-ID\), body lines \d+(-\d+)?\n/);
      assert.match(b, /\n {2}id: \S+#\d+$/);
    }
  });

  test('the libnvdimm locking claims of seed 002 are unchecked, with the reason', async () => {
    const claims = JSON.parse(await cli('claims', '--json')) as ClaimJson[];
    const locking = claims.filter(
      (c) => c.url.includes(basename(SEED.danAuthorArchive)) && c.entities.some((e) => e.kind === 'lock') && /libnvdimm|device_lock/.test(c.text),
    );
    assert.ok(locking.length > 0);
    for (const c of locking) {
      assert.equal(c.verdict, 'unchecked');
      assert.deepEqual(c.checks, []);
      assert.match(c.why, /no check covers .*locking/);
    }
  });
});

describe('output into a pipe', () => {
  test('a reader that stops early (`| head`) ends the command quietly, exit 0, no EPIPE stack', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli.ts', 'claims', '--json', '--db', db], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let first = 0;
    child.stdout.once('data', (d: Buffer) => {
      first = d.length;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.ok(first > 0, 'some output came before the reader left');
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error/);
  });
});

describe('loregraph check', () => {
  test('CLAIM_ID re-runs the checks, prints verdicts with traces and says the stored verdict was reproduced', async () => {
    const will = (JSON.parse(await cli('claims', '--about', '__pfn_to_section', '--json')) as ClaimJson[]).find((c) => WILL.test(c.text));
    assert.ok(will);
    const out = await cli('check', will.id, '--trace-steps', '3');
    assert.match(out, /^verdict: confirmed — /m);
    assert.match(out, /^reproduced: the stored verdict \(confirmed\), from \d+ fresh runs with the same inputs and results$/m);
    assert.match(out, /^ {4}\* V2 2\/2 \(under review\) .*: confirmed — /m);
    assert.match(out, /^ {4}- V3 .*: refuted — /m);
    assert.match(out, /trace \(witness\): \d+ steps/);
    assert.match(out, /detectors: mem_section-oob \d+ in \d+ executions/);
    assert.match(out, /model loregraph-sparsemem-model /);
    const json = JSON.parse(await cli('check', will.id, '--json')) as { reproduced: boolean; changes: string[]; verdict: string };
    assert.deepEqual({ reproduced: json.reproduced, changes: json.changes, verdict: json.verdict }, { reproduced: true, changes: [], verdict: 'confirmed' });
  });

  test('an unchecked claim stays unchecked, and an unknown id is refused', async () => {
    const [unchecked] = (JSON.parse(await cli('claims', '--about', 'device_lock', '--json')) as ClaimJson[]).filter((c) => c.verdict === 'unchecked');
    assert.ok(unchecked);
    assert.match(await cli('check', unchecked.id), /^reproduced: still unchecked/m);
    await assert.rejects(cli('check', 'no-such-claim@example.org#0'), /no claim no-such-claim@example\.org#0 in the store/);
  });

  test('--all re-runs every claim and every stored verdict is reproduced', async () => {
    const out = await cli('check', '--all', '--trace-steps', '0');
    const m = /^(\d+) claims checked: (\d+) reproduced their stored verdicts, 0 changed$/m.exec(out);
    assert.ok(m, out.slice(-500));
    assert.equal(m[1], m[2]);
  });
});

describe('loregraph summary', () => {
  test('the arm64 pfn_valid series: concerns per patch with who, where, status and verdict', async () => {
    const out = await cli('summary', 'pfn_valid() for ZONE_DEVICE');
    assert.match(out, /^# Concern summary: arm64\/mm: Fix pfn_valid\(\) for ZONE_DEVICE based memory$/m);
    assert.match(out, /^### \[PATCH v2 1\/2\] arm64\/mm: Fix pfn_valid\(\) for ZONE_DEVICE based memory$/m);
    assert.match(out, /^- \*\*concern\*\* \[(?:sure|unsure: confidence 0\.\d\d)\] — Will Deacon, 2021-03-03 — status \*\*\w+\*\* — verdict \*\*confirmed\*\*$/m);
    // Every listed concern says whether it is at the classifier's high-precision bar, and the
    // header counts those.
    const listed = out.match(/^- \*\*\w+\*\* \[(sure|unsure: confidence 0\.\d\d|unsure: confidence 1\.00)\] — /gm) ?? [];
    const sure = listed.filter((l) => l.includes('[sure]')).length;
    assert.match(out, new RegExp(`^${sure} of them \`\\[sure\\]\`: concerns at the classifier's high-precision bar`, 'm'));
    assert.match(out, /^ {2}> The case I wondered about was __pfn_to_section\(\) with a bogus pfn/m);
    assert.match(out, /^ {2}- check `pfn_valid-reads-past-mem_section` — V2 2\/2 \(under review\): confirmed — /m);
    assert.match(out, /^(\d+ open concerns?\.|No open concerns\.)$/m);
  });

  test('--open and --sure list only those concerns, with the series-wide counts kept', async () => {
    const all = await cli('summary', 'pfn_valid() for ZONE_DEVICE', '--format', 'json');
    const whole = JSON.parse(all) as SeriesClaimSummary;
    const listed = (s: SeriesClaimSummary) => s.revisions.flatMap((r) => r.patches.flatMap((p) => p.concerns));
    for (const [flag, keep] of [['--open', (c: SummaryClaim) => c.status === 'open'], ['--sure', (c: SummaryClaim) => c.sure]] as const) {
      const some = JSON.parse(await cli('summary', 'pfn_valid() for ZONE_DEVICE', '--format', 'json', flag)) as SeriesClaimSummary;
      assert.ok(listed(some).every(keep), flag);
      assert.equal(listed(some).length, listed(whole).filter(keep).length, flag);
      assert.equal(some.filter?.shown, listed(some).length);
      assert.equal(some.filter?.revisions, whole.revisions.length);
      assert.equal(some.concerns, whole.concerns);
    }
    assert.ok(listed(whole).some((c) => c.status === 'open') && listed(whole).some((c) => c.status !== 'open'), 'the seed series has both');
    const md = await cli('summary', 'pfn_valid() for ZONE_DEVICE', '--open');
    assert.match(md, /^listing the \d+ open concerns? only/m);
    assert.ok(!/status \*\*(?:answered|acknowledged|addressed|disputed)\*\*/.test(md));
    assert.equal(whole.filter, undefined);
  });

  test('a revision posted as an RFC is named so: seed 002\'s "[PATCH RFC 00/10] RDMA/FS DAX truncate proposal"', async () => {
    const out = await cli('summary', 'RDMA/FS DAX truncate proposal');
    assert.match(out, /^## RFC v1: RDMA\/FS DAX truncate proposal \(2019-/m);
    assert.match(out, /^### \[RFC PATCH v1 0\/10\] RDMA\/FS DAX truncate proposal$/m);
  });

  test('"No open concerns." is printed exactly for the series whose concerns are all answered, acknowledged, disputed or addressed', async () => {
    const store = await openSqliteStore(db);
    try {
      let none = 0;
      for (const s of await store.patches.series()) {
        const summary = await seriesSummary(store, s);
        const md = summaryMarkdown(summary);
        const open = summary.revisions.flatMap((r) => r.patches.flatMap((p) => p.concerns)).filter((c) => c.status === 'open').length;
        assert.equal(/^No open concerns/m.test(md), open === 0, s.key);
        if (open === 0) none++;
      }
      assert.ok(none > 0);
    } finally {
      await store.close();
    }
  });

  test('--format b4-ci: check results per patch in b4 CI-check JSON; Will\'s concern fails V2 2/2', async () => {
    const patches = JSON.parse(await cli('summary', 'pfn_valid() for ZONE_DEVICE', '--format', 'b4-ci')) as {
      patch: string;
      checks: { tool: string; status: string; summary: string; url: string | null; details: string }[];
    }[];
    for (const p of patches) for (const c of p.checks) assert.deepEqual(Object.keys(c).sort(), ['details', 'status', 'summary', 'tool', 'url']);
    assert.ok(patches.every((p) => p.checks.every((c) => ['pass', 'warn', 'fail'].includes(c.status))));
    const v2p2 = patches.find((p) => /^\[PATCH V2 2\/2\]/.test(p.patch));
    assert.ok(v2p2?.checks.some((c) => c.status === 'fail' && /pfn_valid-reads-past-mem_section/.test(c.summary) && /bogus pfn/.test(c.summary)));
  });

  test('a series no title matches is refused with a hint', async () => {
    await assert.rejects(cli('summary', 'no such series anywhere'), /no series matches 'no such series anywhere'/);
  });
});
