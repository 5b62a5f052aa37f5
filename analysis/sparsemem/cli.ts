// `loregraph model run SCENARIO` and `loregraph model list`.

import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { explainSvg, explainText } from './explain.js';
import { MUTATIONS } from './mutations.js';
import { ARCH_CONFIGS } from './profile.js';
import { KERNEL_LABELS } from './kernel.js';
import { type RunResult, type RunResultWithState, MODEL_VERSION, runScenario } from './run.js';
import { listScenarioFiles, loadScenario } from './scenario.js';
import { SLOT_IMPLS, VARIANTS } from './variants.js';

interface RunFlags {
  variant?: string[];
  param?: string[];
  profile?: string;
  kernel?: string;
  mutation?: string[];
  json?: boolean;
  explain?: boolean;
  svg?: string;
  maxExecutions?: string;
}

/** key=value; values that look like numbers or booleans become those. */
function parseParams(items: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--param wants key=value, got '${item}'`);
    const v = item.slice(eq + 1);
    out[item.slice(0, eq)] = v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v;
  }
  return out;
}

export function formatResult(r: RunResult): string {
  const lines: string[] = [];
  lines.push(`# ${r.scenario}: ${r.title}`);
  lines.push('');
  lines.push(`- model: ${r.modelVersion}`);
  lines.push(`- profile: ${r.profile.name} ${r.profile.kernel} (SECTION_SIZE_BITS ${r.profile.sectionSizeBits}, NR_MEM_SECTIONS ${r.profile.nrMemSections}, vmemmap ${r.profile.vmemmapStart}-${r.profile.vmemmapEnd})`);
  lines.push(`- variants: ${r.variants.length ? r.variants.join(', ') : '(kernel defaults)'}`);
  lines.push(`- functions: ${Object.entries(r.impls).map(([s, i]) => `${s}=${i}`).join(' ')}`);
  if (r.mutations.length) lines.push(`- MUTATED: ${r.mutations.join(', ')}`);
  lines.push(`- explored: ${r.executions} ${r.mode === 'sequences' ? 'operation sequences' : 'interleavings'}, ${r.stepsExplored} steps, ${r.exhaustive ? 'exhaustive within bounds' : 'NOT exhaustive (bound reached)'}, ${r.elapsedMs.toFixed(1)} ms`);
  lines.push('');
  lines.push(`**Outcome** "${r.outcome.description}": **${r.outcome.observed.toUpperCase()}** (${r.outcome.satisfied} of ${r.outcome.executions} executions)`);
  lines.push('');
  lines.push('## Steps (first execution)');
  lines.push('');
  r.first.schedule.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
  if (r.first.trace.length) {
    lines.push('');
    for (const t of r.first.trace) lines.push(`- ${t.thread}: ${t.step}${t.detail ? ` — ${t.detail}` : ''}`);
  }
  if (r.first.crashed) lines.push(`- CRASH: ${r.first.crashed}`);
  const obs = Object.entries(r.first.observations);
  if (obs.length) {
    lines.push('');
    lines.push('## Observations (first execution)');
    lines.push('');
    for (const [k, v] of obs) lines.push(`- ${k} = ${String(v)}`);
  }
  lines.push('');
  lines.push('## Detectors');
  lines.push('');
  const dets = Object.entries(r.detectors).filter(([n]) => n !== 'memmap-touch');
  if (!dets.length) lines.push('none fired');
  else {
    lines.push('| detector | executions | total count |');
    lines.push('|---|---:|---:|');
    for (const [n, d] of dets) lines.push(`| ${n} | ${d.executions} | ${d.total} |`);
  }
  const show = (title: string, e: RunResult['witness']): void => {
    if (!e || e === r.first || (r.executions === 1 && e.schedule.join() === r.first.schedule.join())) return;
    lines.push('');
    lines.push(`## ${title}`);
    lines.push('');
    e.schedule.forEach((s, i) => lines.push(`${i + 1}. ${s}`));
    if (e.crashed) lines.push(`- CRASH: ${e.crashed}`);
  };
  if (r.outcome.observed === 'sometimes') {
    show('An execution where the outcome holds', r.witness);
    show('An execution where it does not', r.counterexample);
  } else if (r.mode === 'sequences' && r.outcome.observed !== 'never') show('First sequence where the outcome holds', r.witness);
  return lines.join('\n');
}

function toJson(r: RunResultWithState, explain: boolean): string {
  const { finalState, ...rest } = r;
  return JSON.stringify(explain ? { ...rest, explain: explainText(finalState) } : rest, null, 2);
}

export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('run the executable model of Linux SPARSEMEM: scenarios, checks, traces');
  model
    .command('run')
    .description('run a scenario (a name under data/scenarios/ or a path) and report the outcome over all explored executions')
    .argument('<scenario>', 'scenario name or path to a YAML/JSON file')
    .option('--variant <name...>', 'apply variants (see `model list`; or slot=impl) after the scenario\'s own')
    .option('--param <key=value...>', 'set scenario parameters')
    .option('--profile <name>', 'override the architecture profile')
    .option('--kernel <version>', 'override the kernel version')
    .option('--mutation <name...>', 'break a modelled step on purpose (mutation testing)')
    .option('--max-executions <n>', 'bound on explored executions')
    .option('--json', 'print the full result as JSON')
    .option('--explain', 'draw the section/sub-section map of the final state')
    .option('--svg <file>', 'with --explain: also write the map as SVG')
    .action((name: string, flags: RunFlags) => {
      const params = parseParams(flags.param ?? []);
      const r = runScenario(loadScenario(name, params), {
        variants: flags.variant,
        profile: flags.profile,
        kernel: flags.kernel,
        mutations: flags.mutation,
        bounds: flags.maxExecutions ? { maxExecutions: Number(flags.maxExecutions) } : undefined,
      });
      if (flags.json) process.stdout.write(toJson(r, !!flags.explain) + '\n');
      else process.stdout.write(formatResult(r) + '\n');
      if (flags.explain) {
        if (!flags.json) process.stdout.write('\n## Section map (final state of the first execution)\n\n```\n' + explainText(r.finalState) + '\n```\n');
        if (flags.svg) writeFileSync(flags.svg, explainSvg(r.finalState));
      }
    });
  model
    .command('list')
    .description('list scenarios, variants, profiles, kernels and mutations')
    .option('--json', 'as JSON')
    .action((flags: { json?: boolean }) => {
      const scenarios = listScenarioFiles().map((f) => {
        try {
          const s = loadScenario(f.path);
          return { name: f.name, title: s.title, params: s.params ?? {} };
        } catch (e) {
          return { name: f.name, title: `INVALID: ${e instanceof Error ? e.message : String(e)}`, params: {} };
        }
      });
      const data = {
        modelVersion: MODEL_VERSION,
        scenarios,
        variants: VARIANTS.map((v) => ({ name: v.name, description: v.description, source: v.source, arch: v.arch ?? 'any', slots: v.slots })),
        slots: SLOT_IMPLS,
        profiles: ARCH_CONFIGS.map((c) => ({ name: c.name, description: c.description })),
        kernels: KERNEL_LABELS,
        mutations: MUTATIONS,
      };
      if (flags.json) {
        process.stdout.write(JSON.stringify(data, null, 2) + '\n');
        return;
      }
      const out: string[] = ['## Scenarios', ''];
      for (const s of scenarios) out.push(`- ${s.name} — ${s.title}`);
      out.push('', '## Variants (--variant NAME, or --variant slot=impl)', '');
      for (const v of data.variants) out.push(`- ${v.name}${v.arch !== 'any' ? ` [${v.arch}]` : ''} — ${v.description} (${v.source})`);
      out.push('', '## Function slots and implementations', '');
      for (const [s, impls] of Object.entries(SLOT_IMPLS)) out.push(`- ${s}: ${impls.join(', ')}`);
      out.push('', '## Profiles', '');
      for (const p of data.profiles) out.push(`- ${p.name} — ${p.description}`);
      out.push('', `## Kernels`, '', KERNEL_LABELS.join(' '), '', '## Mutations', '');
      for (const m of MUTATIONS) out.push(`- ${m.name} — ${m.description}`);
      process.stdout.write(out.join('\n') + '\n');
    });
}
