// Public surface of mail-body segmentation: diffs, segments, trailers and quoted-hunk anchors.
export * from './diff.js';
export * from './quoting.js';
export * from './trailers.js';
export * from './segment.js';
export * from './followup.js';
export * from './anchor.js';
