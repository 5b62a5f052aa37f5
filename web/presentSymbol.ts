// The symbol page as the template draws it: claims on a timeline by year, stance marked, the
// hunks that touched the symbol, and the checks with their verdicts.
import type { SymbolData, SymbolListData } from './symbolPages.js';
import { presentClaim, type ClaimBadgeView } from './presentClaims.js';
import { checkUrl } from './presentCheck.js';
import { messageUrl, personUrl, seriesUrl, symbolUrl, threadUrl } from './urls.js';

export function presentSymbol(d: SymbolData) {
  const years = new Map<string, { year: string; threads: Map<string, { url: string | null; subject: string; claims: ClaimBadgeView[] }> }>();
  for (const c of d.claims) {
    const year = c.date ? c.date.slice(0, 4) : 'undated';
    let y = years.get(year);
    if (!y) years.set(year, (y = { year, threads: new Map() }));
    const key = c.thread ?? c.msgid;
    let t = y.threads.get(key);
    if (!t) y.threads.set(key, (t = { url: c.thread ? threadUrl(c.thread) : messageUrl(c.msgid), subject: c.subject, claims: [] }));
    t.claims.push(presentClaim(c));
  }
  const disagreements = d.claims.filter((c) => c.stance === 'disagrees').map(presentClaim);
  return {
    title: `symbol ${d.name}`,
    name: d.name,
    kinds: d.kinds,
    claimCount: d.claims.length,
    threadCount: d.threads,
    people: d.people.map((p) => ({ name: p, url: personUrl(p) })),
    timeline: [...years.values()].map((y) => ({ year: y.year, threads: [...y.threads.values()] })),
    disagreements,
    hunks: d.hunks.map((h) => ({
      url: messageUrl(h.msgid),
      file: h.file,
      header: h.header,
      subject: h.subject,
      from: h.from,
      fromUrl: personUrl(h.from),
      date: h.date,
      kind: h.kind,
      series: h.series ? { ...h.series, url: seriesUrl(h.series.key) } : null,
      comments: h.comments.map((c) => ({ from: c.from, fromUrl: personUrl(c.from), date: c.date, comment: c.comment, lineText: c.lineText, url: messageUrl(c.msgid) })),
    })),
    checks: d.checks.map((c) => ({
      ...c,
      url: checkUrl(c.check),
      verdictList: Object.entries(c.verdicts).map(([verdict, n]) => ({ verdict, n })),
    })),
    graphUrl: `/graph/symbol/${encodeURIComponent(d.name)}`,
  };
}

export function presentSymbolList(d: SymbolListData) {
  return {
    title: d.q ? `symbols: ${d.q}` : 'Symbols',
    ...d,
    symbols: d.symbols.map((s) => ({ ...s, url: symbolUrl(s.name) })),
    more: Math.max(0, d.total - d.symbols.length),
  };
}
