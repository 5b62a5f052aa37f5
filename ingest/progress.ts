// The ingest progress bar on stderr: messages, MB, msgs/s and ETA (from bytes when the input size is known).
import cliProgress from 'cli-progress';
import type { IngestProgress } from './pipeline.js';

export class ProgressReporter {
  private bar: cliProgress.SingleBar | null = null;

  constructor(private readonly enabled: boolean) {}

  update(p: IngestProgress): void {
    if (!this.enabled) return;
    const total = p.bytesTotal ?? 0;
    const rate = p.elapsedMs > 0 ? (p.messages * 1000) / p.elapsedMs : 0;
    const payload = {
      msgs: p.messages,
      mb: (p.bytesRead / 1e6).toFixed(1),
      rate: Math.round(rate),
      eta: total > 0 && p.bytesRead > 0 ? etaText(((total - p.bytesRead) * p.elapsedMs) / p.bytesRead) : '?',
    };
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        {
          format: 'ingest [{bar}] {percentage}% | {msgs} msgs | {mb} MB | {rate} msgs/s | ETA {eta}',
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), Math.min(p.bytesRead, Math.max(total, 1)), payload);
    } else {
      if (total > 0) this.bar.setTotal(total);
      this.bar.update(total > 0 ? p.bytesRead : 0, payload);
    }
  }

  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}

function etaText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
