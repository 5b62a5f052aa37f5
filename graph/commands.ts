// Query commands over the graph store: threads, search.
import type { Command } from 'commander';
import { openStore, type StoreOptions } from './open.js';
import { defaultDbPath } from './paths.js';
import { openSqliteStore } from './sqlite/store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN, type GraphStore, type ThreadView } from './store.js';
import { registerPatchCommands } from './patchCommands.js';

interface StoreFlags {
  db?: string;
  neo4j?: string;
  json?: boolean;
}

function storeOptions(flags: StoreFlags): StoreOptions {
  return { db: flags.db, neo4j: flags.neo4j };
}

export async function withStore<T>(flags: StoreFlags, fn: (store: GraphStore) => Promise<T>): Promise<T> {
  const store = await openStore(storeOptions(flags));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function addStoreOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'read from the Neo4j server at this bolt:// URI')
    .option('--json', 'JSON on stdout');
}

/** `2021-03-04 09:12` in UTC; only the day when the archive gave no time (text dumps). */
export function shortDate(iso: string | null): string {
  if (!iso) return '????-??-??';
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  return /T00:00:00(\.000)?Z$/.test(iso) ? day : `${day} ${time}`;
}

/** A thread as an indented tree, one message per line, with how each parent was found. */
export function renderThreadTree(t: ThreadView): string {
  const lines = [`${t.subject || '(no subject)'}  [${t.messages.filter((m) => !m.ghost).length} messages, root ${t.root}]`];
  for (const m of t.messages) {
    const indent = '  '.repeat(m.depth);
    if (m.ghost) {
      lines.push(`${indent}- (not in archive) <${m.msgid}>`);
      continue;
    }
    const how = m.inferred && m.inferred !== 'in-reply-to' && m.inferred !== 'references'
      ? `  [${m.inferred}, confidence ${m.confidence?.toFixed(2)}]`
      : '';
    lines.push(`${indent}- ${shortDate(m.date)}  ${m.from}  <${m.msgid}>${how}`);
  }
  return lines.join('\n');
}

function threadJson(t: ThreadView): unknown {
  return {
    root: t.root,
    subject: t.subject,
    messages: t.messages.map((m) => ({
      msgid: m.msgid,
      parent: m.parent,
      from: m.ghost ? null : m.from,
      date: m.date,
      subject: m.ghost ? null : m.subject,
      inferred: m.inferred,
      confidence: m.confidence,
      evidence: m.evidence,
      ghost: m.ghost,
    })),
  };
}

export function registerGraphCommands(program: Command): void {
  registerPatchCommands(program);
  addStoreOptions(
    program
      .command('threads')
      .description('every thread as a reply tree (or one thread: --thread MSGID)')
      .option('--thread <msgid>', 'only the thread containing this message')
      .option('--limit <n>', 'at most this many threads, newest first'),
  ).action(async (flags: StoreFlags & { thread?: string; limit?: string }) => {
    await withStore(flags, async (store) => {
      const roots = flags.thread
        ? [flags.thread.replace(/^<|>$/g, '')]
        : (await store.threads({ limit: flags.limit ? Number(flags.limit) : undefined })).map((t) => t.root);
      const views: ThreadView[] = [];
      for (const r of roots) {
        const t = await store.thread(r);
        if (t) views.push(t);
      }
      if (flags.thread && views.length === 0) throw new Error(`no thread contains <${flags.thread}>`);
      if (flags.json) process.stdout.write(JSON.stringify(views.map(threadJson), null, 2) + '\n');
      else process.stdout.write(views.map(renderThreadTree).join('\n\n') + '\n');
    });
  });

  addStoreOptions(
    program
      .command('search')
      .description('full-text search over subjects, authors and bodies, with snippets')
      .argument('<query...>', 'words ("quoted phrases", prefix*, a OR b)')
      .option('--author <name>', 'only messages from this author (name or address substring)')
      .option('--since <date>', 'only messages on or after this date (YYYY-MM-DD)')
      .option('--until <date>', 'only messages before this date (YYYY-MM-DD)')
      .option('--limit <n>', 'at most this many hits', '20'),
  ).action(async (words: string[], flags: StoreFlags & { author?: string; since?: string; until?: string; limit: string }) => {
    await withStore(flags, async (store) => {
      const hits = await store.search({
        text: words.join(' '),
        author: flags.author,
        since: flags.since,
        until: flags.until,
        limit: Number(flags.limit),
      });
      if (flags.json) {
        process.stdout.write(JSON.stringify(hits, null, 2) + '\n');
        return;
      }
      const bold = process.stdout.isTTY ? ['\u001b[1m', '\u001b[0m'] : ['**', '**'];
      const out = hits.map((h) => {
        const snippet = h.snippet.replace(/\s+/g, ' ').split(SNIPPET_OPEN).join(bold[0]).split(SNIPPET_CLOSE).join(bold[1]);
        return `${h.date?.slice(0, 10) ?? '????-??-??'}  ${h.from}  ${h.subject}\n  <${h.msgid}>\n  ${snippet}`;
      });
      process.stdout.write((out.length ? out.join('\n\n') : 'no matches') + '\n');
    });
  });

  program
    .command('export')
    .description('copy the embedded store into Neo4j: messages, threads, patch graph, claims (idempotent; safe to interrupt and run again)')
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'Neo4j bolt:// URI (default $NEO4J_URI or bolt://127.0.0.1:7687)')
    .option('--batch <n>', 'messages (or derivations, comments, claims) per Neo4j transaction', '500')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (flags: { db?: string; neo4j?: string; batch: string; json?: boolean }) => {
      const { openNeo4jStore } = await import('./neo4j/store.js');
      const { exportToNeo4j } = await import('./neo4j/export.js');
      const source = await openSqliteStore(flags.db ?? defaultDbPath());
      try {
        const target = await openNeo4jStore(flags.neo4j ? { uri: flags.neo4j } : {});
        try {
          const result = await exportToNeo4j(source, target, {
            batchSize: Number(flags.batch),
            onBatch: (p) =>
              process.stderr.write(
                p.phase === 'messages'
                  ? `batch ${p.batch}: ${p.done} messages (${p.inserted ?? 0} new)\n`
                  : `${p.phase} batch ${p.batch}: ${p.done} ${p.phase}\n`,
              ),
          });
          if (flags.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          else
            process.stdout.write(
              `exported ${result.messages} messages (${result.inserted} new) in ${result.batches} batches, ` +
                `${result.containers} thread containers, ${result.archives} archives, ${result.skips} skips; ` +
                `patch graph: ${result.derivations} derived messages, ${result.comments} comments, ${result.series} series; ` +
                `claims: ${result.claims} claims (${result.statuses} with a status), ${result.runs} check runs\n`,
            );
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    });
}
