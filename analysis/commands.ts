// Commands of the analysis stage: the sparsemem model, claims, checks and summaries.
import type { Command } from 'commander';
import { registerModelCommands } from './sparsemem/cli.js';
import { registerClaimCommands } from './claimCommands.js';

export function registerAnalysisCommands(program: Command): void {
  registerModelCommands(program);
  registerClaimCommands(program);
}
