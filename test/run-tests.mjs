#!/usr/bin/env node
// Runs every *.test.ts file of the project with Node's own test runner (node:test), loading
// TypeScript through tsx. Node 20's --test does not expand globs, so the files are found here.
//
//   npm test                      every test file
//   npm test -- ingest graph/x    only files under these paths (or these files)
//
// Extra flags after `--` that start with `--test` are handed to node (e.g. --test-name-pattern=...).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const skipDirs = new Set(['node_modules', 'dist', '.work', '.git', 'data']);

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const nodeFlags = args.filter((a) => a.startsWith('--test'));
const targets = args.filter((a) => !a.startsWith('--'));
let files = [];
if (targets.length === 0) files = collect(root, []);
else {
  for (const t of targets) {
    const p = resolve(root, t);
    if (statSync(p).isDirectory()) collect(p, files);
    else files.push(p);
  }
}
files.sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
console.log(`running ${files.length} test files`);
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeFlags, ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: 'inherit', env: { ...process.env } },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
