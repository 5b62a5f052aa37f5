// `loregraph serve`: the web UI over a store, until SIGINT or SIGTERM.
import type { Command } from 'commander';
import { openStore } from '../graph/open.js';
import { startServer } from './server.js';

interface ServeFlags {
  db?: string;
  neo4j?: string;
  port: string;
  host: string;
}

function parsePort(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new Error(`--port must be a number from 0 to 65535, not '${raw}'`);
  return Number(raw);
}

export function registerWebCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the web UI (read-only) over the store; binds 127.0.0.1 unless --host says otherwise')
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'read from the Neo4j server at this bolt:// URI')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (flags: ServeFlags) => {
      const port = parsePort(flags.port);
      const store = await openStore({ db: flags.db, neo4j: flags.neo4j });
      let server;
      try {
        server = await startServer({ store, host: flags.host, port });
      } catch (err) {
        await store.close();
        throw err;
      }
      process.stdout.write(`loregraph: serving ${store.backend} store at ${server.url}\n`);
      const running = server;
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals): void => {
          if (stopping) return;
          stopping = true;
          process.stderr.write(`loregraph: ${signal}, stopping\n`);
          void running
            .close()
            .catch((err: unknown) => process.stderr.write(`loregraph: closing the server: ${String(err)}\n`))
            .then(() => store.close())
            .then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
