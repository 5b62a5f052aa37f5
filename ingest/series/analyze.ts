// One call for the pipeline: group revisions, link versions, link patch lineage, attribute
// follow-up trailers. Pure; the caller stores the result as nodes and edges.
import type { Message } from '../model.js';
import type { Identities } from '../identity/resolve.js';
import { groupRevisions, type GroupOptions } from './group.js';
import { linkLineage } from './lineage.js';
import { attributeTrailers, type TrailerAttribution } from './trailers.js';
import type { Grouping, LineageLink, Series } from './types.js';
import { linkVersions } from './versions.js';

export interface SeriesAnalysis {
  grouping: Grouping;
  series: Series[];
  lineage: LineageLink[];
  trailers: TrailerAttribution[];
}

export interface AnalyzeOptions extends GroupOptions {
  identities?: Identities;
  /** Attribute follow-up trailers (default true); a caller that reads only the series and lineage
   * (the concern lifecycle) leaves it out, and with it segmenting every reply. */
  trailers?: boolean;
}

export function analyzeSeries(messages: readonly Message[], opts: AnalyzeOptions = {}): SeriesAnalysis {
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const grouping = groupRevisions(messages, opts);
  const series = linkVersions(grouping.revisions, { messages: byId });
  const lineage = series.flatMap((s) => linkLineage(s, { messages: byId }));
  const trailers = opts.trailers === false ? [] : attributeTrailers(grouping, byId, { identities: opts.identities });
  return { grouping, series, lineage, trailers };
}
