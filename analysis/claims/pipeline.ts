// Extraction over many messages with one classifier: what the benchmark and the graph loader call.
import { extractClaims, type ExtractOptions } from './extract.js';
import { loadClassifier } from './model.js';
import type { Claim, ExtractInput } from './types.js';

export function extractMany(inputs: Iterable<ExtractInput>, opts: ExtractOptions = {}): Claim[] {
  const withModel: ExtractOptions = { ...opts, classifier: opts.classifier ?? loadClassifier() };
  const out: Claim[] = [];
  for (const input of inputs) out.push(...extractClaims(input, withModel));
  return out;
}
