// npm run bench -- model [RUNS]: median time of every deterministic sparsemem scenario, and the
// exhaustive exploration of the 2024 ms->usage race (v6.7 and v6.8) with interleavings/s.
// Figures go to stdout and to .work/bench/model.json. Wall-clock medians are reported with the
// process CPU time next to them, since a loaded machine inflates the former.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../../graph/paths.js';
import { MODEL_VERSION, listScenarioFiles, loadScenario, runScenario } from '../../analysis/sparsemem/index.js';

/** Wall and CPU milliseconds of one call. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const d = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 15);
  const deterministic: { scenario: string; medianMs: number; minMs: number; medianCpuMs: number; runs: number }[] = [];
  for (const f of listScenarioFiles()) {
    const s = loadScenario(f.name);
    const probe = runScenario(s);
    if (probe.executions !== 1) continue;
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const m = timed(() => runScenario(s));
      times.push(m.wall);
      cpu.push(m.cpu);
    }
    deterministic.push({ scenario: f.name, medianMs: median(times), minMs: Math.min(...times), medianCpuMs: median(cpu), runs });
  }
  const race: { kernel: string; interleavings: number; exhaustive: boolean; medianMs: number; medianCpuMs: number; interleavingsPerSecond: number }[] = [];
  const raceScenario = loadScenario('compaction-vs-memunmap-usage');
  for (const kernel of ['v6.7', 'v6.8']) {
    runScenario(raceScenario, { kernel });
    const times: number[] = [];
    const cpu: number[] = [];
    let interleavings = 0;
    let exhaustive = false;
    for (let i = 0; i < Math.max(3, Math.floor(runs / 3)); i++) {
      const m = timed(() => {
        const r = runScenario(raceScenario, { kernel });
        interleavings = r.executions;
        exhaustive = r.exhaustive;
      });
      times.push(m.wall);
      cpu.push(m.cpu);
    }
    const ms = median(times);
    race.push({ kernel, interleavings, exhaustive, medianMs: ms, medianCpuMs: median(cpu), interleavingsPerSecond: Math.round(interleavings / (ms / 1000)) });
  }
  for (const d of deterministic) console.log(`${d.scenario.padEnd(40)} median ${d.medianMs.toFixed(2)} ms (min ${d.minMs.toFixed(2)}, cpu ${d.medianCpuMs.toFixed(2)}, ${d.runs} runs)`);
  for (const r of race) {
    console.log(`race compaction-vs-memunmap-usage ${r.kernel}: ${r.interleavings} interleavings (${r.exhaustive ? 'exhaustive' : 'bounded'}) in ${r.medianMs.toFixed(1)} ms median (cpu ${r.medianCpuMs.toFixed(1)}) = ${r.interleavingsPerSecond} interleavings/s`);
  }
  const out = projectPath('.work', 'bench', 'model.json');
  mkdirSync(dirname(out), { recursive: true });
  const load = (await import('node:os')).loadavg()[0];
  writeFileSync(out, JSON.stringify({ modelVersion: MODEL_VERSION, node: process.version, date: new Date().toISOString(), loadAverage1m: load, deterministic, race }, null, 2) + '\n');
  console.log(`written ${out}`);
}
