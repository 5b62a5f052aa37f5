// Builds data/claims/model.json: the claim classifier trained on the train split of
// data/claims/labelled.jsonl, with the shown-concern threshold chosen by grouped
// cross-validation on that split.   node --import tsx analysis/claims/train.ts
import { writeFileSync } from 'node:fs';
import { loadLabelled, MODEL_PATH } from './dataset.js';
import { trainWithThreshold } from './model.js';

export function buildModel(path = MODEL_PATH): { sentences: number; threshold: number } {
  const train = loadLabelled().filter((r) => r.split === 'train');
  const classifier = trainWithThreshold(train);
  writeFileSync(path, JSON.stringify(classifier.toJSON()) + '\n');
  return { sentences: train.length, threshold: classifier.shownConcernThreshold };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { sentences, threshold } = buildModel();
  console.log(`trained on ${sentences} train sentences; shown-concern threshold ${threshold.toFixed(4)}; wrote ${MODEL_PATH}`);
}
