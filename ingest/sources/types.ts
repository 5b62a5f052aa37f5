// Callbacks every source takes: skips (input that produced no message) and read progress.
import type { Skip } from '../model.js';

export interface SourceProgress {
  /** The path (or `-`) being read. */
  source: string;
  /** Bytes consumed from it so far (compressed bytes for gzip; blob bytes for public-inbox). */
  bytesRead: number;
  /** Its size when known (file size; null for stdin and public-inbox). */
  bytesTotal: number | null;
}

export interface SourceHooks {
  onSkip?: (s: Skip) => void;
  onProgress?: (p: SourceProgress) => void;
}
