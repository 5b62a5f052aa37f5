// Public surface of mail-body segmentation: diffs, segments, trailers and quoted-hunk anchors.
export * from './diff.js';
