#!/usr/bin/env node
// loregraph's command line: a thin entry that hands each command to the area that implements it.
import { Command } from 'commander';
import { registerIngestCommands } from './ingest/commands.js';
import { registerGraphCommands } from './graph/commands.js';
import { registerAnalysisCommands } from './analysis/commands.js';
import { registerWebCommands } from './web/commands.js';
import { limitHeapGrowth } from './ingest/heapGrowth.js';

// Garbage in proportion to what is alive, not to the machine's memory (ingest/heapGrowth.ts).
limitHeapGrowth();

// `loregraph series --json | head`: when the reader of stdout goes away, stop quietly, as Unix
// tools do, instead of dying on EPIPE with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const program = new Command();
program
  .name('loregraph')
  .description('Turn Linux kernel mailing-list archives into a knowledge graph of review discussions.')
  .showHelpAfterError()
  .enablePositionalOptions();

registerIngestCommands(program);
registerGraphCommands(program);
registerAnalysisCommands(program);
registerWebCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`loregraph: ${msg}\n`);
  process.exitCode = 2;
});
