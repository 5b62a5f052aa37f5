// Query commands over the graph store.
import type { Command } from 'commander';

export function registerGraphCommands(program: Command): void {
  void program;
}
