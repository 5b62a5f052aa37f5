// Series, revisions, patch lineage and follow-up trailers over Message[]: pure functions whose
// output maps onto graph nodes and edges, every grouping and link with the rule that made it.
export { groupRevisions } from './group.js';
export type { GroupOptions } from './group.js';
export { linkVersions, versionEdges } from './versions.js';
export type { VersionOptions } from './versions.js';
export { linkLineage, titleSimilarity, diffShape, diffSimilarity } from './lineage.js';
export type { LineageOptions, DiffShape } from './lineage.js';
export { attributeTrailers, patchTrailers, trailerAttributor, trailerText } from './trailers.js';
export type { TrailerAttribution, TrailerStatus } from './trailers.js';
export { hasDiff, baseRole, ancestorsOf, sameSender, changeIdOf } from './classify.js';
export type { ParentMap } from './classify.js';
export type * from './types.js';
export { analyzeSeries } from './analyze.js';
export { lookupOf, messageSetOf } from './messages.js';
export type { MessageLookup, MessageSet, Messages } from './messages.js';
export type { SeriesAnalysis } from './analyze.js';
export { seriesGraph } from './graph.js';
export type { GraphNode, GraphEdge, SeriesNodeLabel, SeriesEdgeType, PropValue } from './graph.js';
export { isFollowupTrailer } from './trailers.js';
