// Extraction throughput over many messages, for benchmarks: sentences read and claims produced
// per second, with the classifier loaded (and its model cached) before the clock starts.
import { loadClassifier } from './model.js';
import { extractMany } from './pipeline.js';
import { splitSentences } from './sentences.js';
import type { ExtractInput } from './types.js';

export interface Throughput {
  messages: number;
  /** Own-text sentences segmented per pass. */
  sentences: number;
  /** Claims extracted per pass. */
  claims: number;
  passes: number;
  ms: number;
  sentencesPerSecond: number;
}

export function measureExtraction(inputs: readonly ExtractInput[], passes = 5): Throughput {
  const classifier = loadClassifier();
  let sentences = 0;
  for (const input of inputs) sentences += splitSentences(input.lines, input.ownRanges).length;
  let claims = 0;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) claims = extractMany(inputs, { classifier }).length;
  const ms = performance.now() - t0;
  return { messages: inputs.length, sentences, claims, passes, ms, sentencesPerSecond: (sentences * passes) / (ms / 1000) };
}
