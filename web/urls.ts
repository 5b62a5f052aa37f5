// The URLs the UI hands out. A Message-ID is one path segment, percent-encoded except for `@`
// (legal in a path segment, and what lore and b4 users expect to see), so links stay readable and stable.
export function encodeMsgid(msgid: string): string {
  return encodeURIComponent(msgid).replace(/%40/g, '@');
}

export function loreUrl(msgid: string): string {
  return `https://lore.kernel.org/r/${encodeMsgid(msgid)}`;
}

/** A lore search for a subject, offered for messages that had no Message-ID of their own. */
export function loreSubjectSearchUrl(subject: string): string {
  return `https://lore.kernel.org/all/?q=${encodeURIComponent(`s:"${subject.replace(/"/g, '')}"`)}`;
}

export function threadUrl(msgid: string): string {
  return `/thread/${encodeMsgid(msgid)}`;
}

export function messageUrl(msgid: string): string {
  return `/m/${encodeMsgid(msgid)}`;
}

/** The graph neighbourhood of a node (a message by Message-ID, a person, a symbol…). */
export function graphUrl(kind: string, id: string): string {
  return `/graph/${encodeURIComponent(kind)}/${encodeMsgid(id)}`;
}

export function searchUrl(params: Record<string, string | number | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `/search?${s}` : '/search';
}

/** Ids loregraph made up (synthetic messages, ghosts standing for an unseen original): lore has none of them. */
export function isMadeUpMsgid(msgid: string): boolean {
  return /\.loregraph\.invalid$/i.test(msgid);
}

/** An id of the graph (series key, person id) as one readable path segment: `@` and `:` kept. */
export function encodeId(id: string): string {
  return encodeURIComponent(id).replace(/%40/g, '@').replace(/%3A/g, ':');
}

export function seriesUrl(key: string): string {
  return `/series/${encodeId(key)}`;
}

export function personUrl(id: string): string {
  return `/person/${encodeId(id)}`;
}

export function symbolUrl(name: string): string {
  return `/symbol/${encodeURIComponent(name)}`;
}
