// `loregraph claims`, `loregraph check`, `loregraph summary`: review claims, the checks that test
// them and the concern summary of a series, read from the store (SQLite by default, --neo4j).
import type { Command } from 'commander';
import { withStore } from '../graph/commands.js';
import type { ClaimQuery } from '../graph/claims.js';
import { CLAIM_KINDS, type ClaimKind } from './claims/index.js';
import { VerdictCache, toJsonSafe } from './claimRecords.js';
import { StoredContexts, recheckClaim } from './storedClaims.js';
import { claimBlock, claimJson, recheckText } from './claimRender.js';
import { filterSummary, findSeries, seriesB4, seriesSummary, summaryMarkdown } from './seriesSummary.js';

interface StoreFlags {
  db?: string;
  neo4j?: string;
  json?: boolean;
}

function storeOptions(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'embedded database file (default .work/loregraph.db or $LOREGRAPH_DB)')
    .option('--neo4j <uri>', 'read from the Neo4j server at this bolt:// URI');
}

function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
}

export function registerClaimCommands(program: Command): void {
  storeOptions(
    program
      .command('claims')
      .description('review claims with their provenance, status and verdicts')
      .option('--about <symbol>', 'only claims about this function, flag, lock… (pfn_valid or pfn_valid())')
      .option('--series <key>', 'only claims in this series (a key from `loregraph series`)')
      .option('--kind <kind>', `only this kind (${CLAIM_KINDS.join(', ')})`)
      .option('--msgid <msgid>', 'only claims of this message')
      .option('--limit <n>', 'at most this many claims')
      .option('--json', 'JSON on stdout'),
  ).action(async (flags: StoreFlags & { about?: string; series?: string; kind?: string; msgid?: string; limit?: string }) => {
    if (flags.kind && !(CLAIM_KINDS as readonly string[]).includes(flags.kind)) throw new Error(`unknown kind '${flags.kind}'; one of ${CLAIM_KINDS.join(', ')}`);
    const query: ClaimQuery = {
      about: flags.about,
      series: flags.series,
      kind: flags.kind as ClaimKind | undefined,
      msgid: flags.msgid?.replace(/^<|>$/g, ''),
      limit: flags.limit ? Number(flags.limit) : undefined,
    };
    await withStore(flags, async (store) => {
      const claims = await store.claims.claims(query);
      if (flags.json) print(JSON.stringify(claims.map(claimJson), null, 2));
      else print(claims.length ? claims.map(claimBlock).join('\n\n') : 'no claims match');
    });
  });

  storeOptions(
    program
      .command('check')
      .description('run the checks linked to a claim again and print verdicts with traces; says whether the stored verdict was reproduced')
      .argument('[claim-id]', 'a claim id (msgid#sentence) from `loregraph claims`')
      .option('--all', 'every stored claim')
      .option('--trace-steps <n>', 'trace steps printed per run', '20')
      .option('--json', 'JSON on stdout'),
  ).action(async (id: string | undefined, flags: StoreFlags & { all?: boolean; traceSteps: string }) => {
    if (!id && !flags.all) throw new Error('give a claim id or --all');
    await withStore(flags, async (store) => {
      const views = flags.all ? await store.claims.claims() : [await store.claims.claim(id!.replace(/^<|>$/g, ''))];
      if (views[0] === null) throw new Error(`no claim ${id} in the store (loregraph claims lists them)`);
      const contexts = new StoredContexts(store);
      const cache = new VerdictCache();
      const out: string[] = [];
      const json: unknown[] = [];
      let changed = 0;
      for (const view of views) {
        if (!view) continue;
        const r = await recheckClaim(store, view, contexts, cache);
        if (r.changes.length) changed++;
        if (flags.json) json.push(toJsonSafe({ id: view.id, reproduced: r.changes.length === 0, changes: r.changes, verdict: r.fresh.verdict, why: r.fresh.why, checks: r.fresh.checks, nearMisses: r.fresh.nearMisses }));
        else out.push(recheckText(view, r.fresh, r.changes, Number(flags.traceSteps)));
      }
      if (flags.json) print(JSON.stringify(flags.all ? json : json[0], null, 2));
      else {
        if (flags.all) out.push(`${views.length} claims checked: ${views.length - changed} reproduced their stored verdicts, ${changed} changed`);
        print(out.join('\n\n'));
      }
      if (changed > 0) process.exitCode = 1;
    });
  });

  storeOptions(
    program
      .command('summary')
      .description('concern summary of a patch series: per revision and patch, concerns with who, where, status and verdict; trailers')
      .argument('<series>', 'a series key, or words of its title')
      .option('--format <format>', 'md, json, or b4-ci (check results per patch in b4 CI-check JSON)', 'md')
      .option('--open', 'list only the concerns still open (md and json)')
      .option('--sure', "list only the concerns at the classifier's high-precision bar (md and json)"),
  ).action(async (query: string, flags: StoreFlags & { format: string; open?: boolean; sure?: boolean }) => {
    if (!['md', 'json', 'b4-ci'].includes(flags.format)) throw new Error(`unknown format '${flags.format}'; one of md, json, b4-ci`);
    await withStore(flags, async (store) => {
      const series = await findSeries(store, query);
      if (flags.format === 'b4-ci') print(JSON.stringify(await seriesB4(store, series), null, 2));
      else {
        const summary = filterSummary(await seriesSummary(store, series), { open: flags.open, sure: flags.sure });
        print(flags.format === 'json' ? JSON.stringify(summary, null, 2) : summaryMarkdown(summary));
      }
    });
  });
}
