// The one module that touches `natural`: word tokenising and Porter stemming for the claim
// features. (The first claim model was natural's BayesClassifier; the logistic regression of
// logistic.ts replaced it, see data/claims/README.md.) natural's package root loads database
// drivers, so only its submodules are imported.
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/index.js';

const tokenizer = new WordTokenizer();

/** Lower-cased word tokens of a text (letters, digits and underscores). */
export function words(text: string): string[] {
  return tokenizer.tokenize(text.toLowerCase());
}

const stemCache = new Map<string, string>();

/** Porter stem of a word (memoised: review mail repeats a small vocabulary). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (stemCache.size < 100_000) stemCache.set(word, s);
  }
  return s;
}
