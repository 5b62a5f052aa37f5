// Commands of the ingest stage: `loregraph ingest PATH...`.
import type { Command } from 'commander';
import { SOURCE_FORMATS, type SourceFormat } from './model.js';
import { ingest, type IngestSummary } from './pipeline.js';
import { openStore } from '../graph/open.js';
import { ProgressReporter } from './progress.js';

interface IngestFlags {
  format?: string;
  db?: string;
  neo4j?: string;
  json?: boolean;
  workers?: string;
  batchSize?: string;
  progress?: boolean;
  derive?: boolean;
  claims?: boolean;
}

export function formatSummary(s: IngestSummary): string {
  const lines = [
    `ingested ${s.messages} messages (${s.inserted} new, ${s.duplicates} already stored) in ${s.elapsedSeconds.toFixed(1)} s` +
      ` — ${Math.round(s.messagesPerSecond)} msgs/s, ${(s.bytes / 1e6).toFixed(1)} MB`,
    `threads in store: ${s.threads} (${s.ghosts} ghost containers for unseen messages)`,
  ];
  const d = s.derived;
  if (d) {
    lines.push(
      `derived in ${d.seconds.toFixed(1)} s: ${d.series} series, ${d.revisions} revisions, ${d.patches} patch mails, ${d.hunks} hunks, ` +
        `${d.quotedHunks} quoted hunks, ${d.patchComments + d.quotedComments} comments on hunk lines, ${d.trailers} follow-up trailers ` +
        `(${d.mismatchedTrailers} mismatched), ${d.persons} persons`,
    );
  }
  if (s.claims) {
    const c = s.claims;
    lines.push(
      `claims: ${c.claims} (${c.quoted} read from quotes of unstored mail), ${c.links} check links, ${c.runs} model runs` +
        ` — ${c.verdicts.confirmed} confirmed, ${c.verdicts.refuted} refuted, ${c.verdicts.inconclusive} inconclusive, ${c.verdicts.unchecked} unchecked` +
        ` (${c.extractSeconds.toFixed(1)} s extracting, ${c.checkSeconds.toFixed(1)} s checking)`,
      `review concerns: ${Object.entries(c.statuses).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`,
    );
  }
  for (const a of s.archives) {
    lines.push(
      `  ${a.source} [${a.format}]: ${a.messages} messages, ${a.duplicates} duplicates, ${a.skipped} skipped${a.truncated ? ', TRUNCATED' : ''}`,
    );
  }
  if (s.skipped.length) {
    lines.push(`skipped ${s.skipped.length}:`);
    for (const k of s.skipped.slice(0, 50)) lines.push(`  ${k.source} @${k.offset}: ${k.reason}`);
    if (s.skipped.length > 50) lines.push(`  … ${s.skipped.length - 50} more (use --json for all)`);
  }
  for (const u of s.unreadable) lines.push(`cannot read ${u.path}: ${u.reason}`);
  return lines.join('\n');
}

export function registerIngestCommands(program: Command): void {
  program
    .command('ingest')
    .description('read archives (mbox/.gz, public-inbox git, maildir, .eml, text dumps, - for stdin) into the store')
    .argument('<paths...>', 'files, directories or - for stdin')
    .option('--format <format>', `force the input format (${SOURCE_FORMATS.join(', ')})`)
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'write into the Neo4j server at this bolt:// URI instead')
    .option('--workers <n>', 'worker threads parsing mail, deriving patches and extracting claims (default: min(2, cores); parsing with --no-derive min(2, cores - 1), at least 1; 0 = none)')
    .option('--batch-size <n>', 'messages per store transaction', '500')
    .option('--no-progress', 'no progress bar on stderr')
    .option('--no-derive', 'skip the derive stage (series, patches, hunks, trailers) and the claims stage after it')
    .option('--no-claims', 'derive the patch graph but skip claim extraction and checks')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (paths: string[], flags: IngestFlags) => {
      if (flags.format && !(SOURCE_FORMATS as readonly string[]).includes(flags.format)) {
        throw new Error(`unknown format '${flags.format}'; one of ${SOURCE_FORMATS.join(', ')}`);
      }
      const store = await openStore({ db: flags.db, neo4j: flags.neo4j });
      const progress = new ProgressReporter(flags.progress !== false && process.stderr.isTTY === true);
      try {
        const summary = await ingest(paths, store, {
          format: flags.format as SourceFormat | undefined,
          workers: flags.workers === undefined ? undefined : Number(flags.workers),
          batchSize: Number(flags.batchSize ?? 500),
          onProgress: (p) => progress.update(p),
          derive: flags.derive !== false,
          claims: flags.claims !== false,
        });
        progress.stop();
        if (flags.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        else process.stdout.write(formatSummary(summary) + '\n');
        if (summary.unreadable.length > 0) process.exitCode = 1;
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
