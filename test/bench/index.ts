// npm run bench [-- NAME [ARGS...]]: runs one benchmark, or every benchmark that needs no input.
// Each benchmark is a module test/bench/NAME.ts exporting `run(args: string[]): Promise<void>`
// that prints its figures (and writes them as JSON under .work/bench/ for the README).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface BenchModule {
  run(args: string[]): Promise<void>;
  /** True when the benchmark needs arguments (e.g. an archive path) and is left out of a bare `npm run bench`. */
  needsArgs?: boolean;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function load(name: string): Promise<BenchModule> {
  return (await import(`./${name}.ts`)) as BenchModule;
}

const [name, ...args] = process.argv.slice(2);
if (name && !names.includes(name)) {
  console.error(`unknown benchmark '${name}'; known: ${names.join(', ')}`);
  process.exit(2);
}
const selected = name ? [name] : names;
for (const n of selected) {
  const mod = await load(n);
  if (!name && mod.needsArgs) {
    console.log(`# ${n}: skipped in a bare run (needs arguments: npm run bench -- ${n} ...)`);
    continue;
  }
  console.log(`# ${n}`);
  await mod.run(name ? args : []);
}
