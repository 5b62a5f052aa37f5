// Commands of the analysis stage: the sparsemem model, claims, checks and summaries.
import type { Command } from 'commander';

export function registerAnalysisCommands(program: Command): void {
  void program;
}
