// Commands of the ingest stage.
import type { Command } from 'commander';

export function registerIngestCommands(program: Command): void {
  void program;
}
