// A message as the claim corpus readers see it: just enough to label and extract sentences.
// The ingest sources build full `Message`s; these readers exist so that the labelled data and
// the end-to-end tests of the claim extractor can read the seed files on their own.

export interface CorpusMessage {
  /** Message-ID when the source kept it, else `<source file>:<line>`. */
  msgid: string;
  /** Source file name (no directory). */
  source: string;
  /** 1-based line of the source file that holds body line 0 (text dumps and mbox). */
  bodyLine: number;
  author: string;
  date: string;
  subject: string;
  lines: string[];
  /**
   * Body lines known to be quotes although they carry no `>` marker: archive pages sometimes drop
   * the markers, and such lines are recognised because an older message of the same page has them.
   */
  unmarkedQuotes: Set<number>;
}
