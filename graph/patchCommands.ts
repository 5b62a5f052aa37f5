// Commands over the patch graph: `series [QUERY]`, `show MSGID`, `hunks --function NAME | --file PATH`.
import type { Command } from 'commander';
import { openStore } from './open.js';
import type { GraphStore } from './store.js';
import { renderHunk, renderSeries, renderShow } from './patchRender.js';

interface Flags {
  db?: string;
  neo4j?: string;
  json?: boolean;
}

async function withStore<T>(flags: Flags, fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openStore({ db: flags.db, neo4j: flags.neo4j });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'read from the Neo4j server at this bolt:// URI')
    .option('--json', 'JSON on stdout');
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function registerPatchCommands(program: Command): void {
  storeOptions(
    program
      .command('series')
      .description('patch series with their revisions, patches, trailers and lineage (QUERY: title, patch title, author or change-id)')
      .argument('[query...]', 'words to look for'),
  ).action(async (words: string[], flags: Flags) => {
    await withStore(flags, async (store) => {
      const query = words.join(' ').trim();
      const found = await store.patches.series(query || undefined);
      if (flags.json) return print(JSON.stringify(found, null, 2));
      print(found.length ? found.map(renderSeries).join('\n\n') : query ? `no series matches "${query}"` : 'no series in the store');
    });
  });

  storeOptions(
    program
      .command('show')
      .description('one message segmented: own text, quotes and what they quote, hunks, trailers, comments anchored to quoted hunks')
      .argument('<msgid>', 'Message-ID (angle brackets optional)'),
  ).action(async (raw: string, flags: Flags) => {
    await withStore(flags, async (store) => {
      const msgid = raw.trim().replace(/^<|>$/g, '');
      const m = await store.message(msgid);
      if (!m) throw new Error(`no message <${msgid}> in the store`);
      const d = await store.patches.messageSegments(msgid);
      if (flags.json) {
        const { body, ...headers } = m;
        return print(JSON.stringify({ message: { ...headers, body }, derived: d }, null, 2));
      }
      print(renderShow(m, d));
    });
  });

  storeOptions(
    program
      .command('hunks')
      .description('every hunk touching a function or file, across all patches, with the replies that comment on it')
      .option('--function <name>', 'function named in the hunk header')
      .option('--file <path>', 'file path (a directory when it ends with /)'),
  ).action(async (flags: Flags & { function?: string; file?: string }) => {
    if (!flags.function === !flags.file) throw new Error('give one of --function NAME or --file PATH');
    await withStore(flags, async (store) => {
      const found = await store.patches.hunks({ function: flags.function, file: flags.file });
      if (flags.json) return print(JSON.stringify(found, null, 2));
      const what = flags.function ? `function ${flags.function}` : `file ${flags.file}`;
      print(found.length ? [`# ${found.length} hunk${found.length === 1 ? '' : 's'} touching ${what}`, ...found.map(renderHunk)].join('\n\n') : `no hunk touches ${what}`);
    });
  });
}
