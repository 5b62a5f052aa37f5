// The onboarding digest as the template draws it.
import type { OnboardData } from './onboardPages.js';
import { presentClaim } from './presentClaims.js';
import { personUrl, symbolUrl, threadUrl } from './urls.js';

export function presentOnboard(d: OnboardData) {
  const asked = d.query.files !== null || d.query.symbols.length > 0;
  return {
    title: asked ? `onboarding: ${[d.query.files, ...d.query.symbols].filter(Boolean).join(', ')}` : 'onboarding digest',
    asked,
    query: d.query,
    symbolsText: d.query.symbols.join(','),
    hunks: d.hunks,
    glossary: d.glossary.map((g) => ({ ...g, url: symbolUrl(g.name) })),
    debates: d.debates.map((x) => ({ ...x, url: threadUrl(x.thread), people: x.people.map((p) => ({ name: p, url: personUrl(p) })) })),
    concerns: d.concerns.map((c) => ({ ...c, url: symbolUrl(c.symbol), count: c.concerns.length, concerns: c.concerns.slice(0, 4).map((x) => ({ ...presentClaim(x), repeatedIn: x.repeatedIn })) })),
    people: d.people.map((p) => ({ ...p, url: personUrl(p.name) })),
  };
}
