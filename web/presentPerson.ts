// The person page as the template draws it.
import type { PersonData } from './personPages.js';
import { presentClaim } from './presentClaims.js';
import { messageUrl, seriesUrl, symbolUrl, threadUrl } from './urls.js';

export function presentPerson(d: PersonData) {
  const p = d.person;
  return {
    title: `person: ${p.name ?? p.addresses[0] ?? p.id}`,
    person: p,
    displayName: p.name ?? p.names[0] ?? p.addresses[0] ?? p.id,
    messages: d.messages,
    threads: d.threads.map((t) => ({ ...t, url: threadUrl(t.root) })),
    files: d.files,
    functions: d.functions.map((f) => ({ ...f, url: symbolUrl(f.name) })),
    symbols: d.symbols.map((s) => ({ ...s, url: symbolUrl(s.name) })),
    claimsByKind: d.claimsByKind.map((k) => ({ kind: k.kind, count: k.claims.length, claims: k.claims.slice(0, 20).map(presentClaim), more: Math.max(0, k.claims.length - 20) })),
    trailers: d.trailers.map((t) => ({ ...t, seriesUrl: seriesUrl(t.seriesKey), givenInUrl: messageUrl(t.givenIn) })),
  };
}
