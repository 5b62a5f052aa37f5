// A map from half-open pfn ranges to values, kept as sorted, non-overlapping, coalesced runs.
// The memmap state of terabytes of memory is a handful of runs, not one entry per page.

export interface Run<T> {
  start: number;
  end: number;
  value: T;
}

export class IntervalMap<T> {
  private runs: Run<T>[] = [];

  constructor(private readonly same: (a: T, b: T) => boolean = (a, b) => a === b) {}

  clone(copy: (v: T) => T = (v) => v): IntervalMap<T> {
    const m = new IntervalMap<T>(this.same);
    m.runs = this.runs.map((r) => ({ start: r.start, end: r.end, value: copy(r.value) }));
    return m;
  }

  /** Index of the first run whose end is > pfn. */
  private lowerBound(pfn: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid].end <= pfn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(pfn: number): T | undefined {
    const r = this.runs[this.lowerBound(pfn)];
    return r && r.start <= pfn ? r.value : undefined;
  }

  /** Set [start, end) to value, or clear it when value is undefined. */
  set(start: number, end: number, value: T | undefined): void {
    if (end <= start) return;
    const i = this.lowerBound(start);
    let j = i;
    const pieces: Run<T>[] = [];
    while (j < this.runs.length && this.runs[j].start < end) {
      const r = this.runs[j];
      if (r.start < start) pieces.push({ start: r.start, end: start, value: r.value });
      if (r.end > end) pieces.push({ start: end, end: r.end, value: r.value });
      j++;
    }
    const inserted: Run<T>[] = [];
    for (const p of pieces) if (p.end <= start) inserted.push(p);
    if (value !== undefined) inserted.push({ start, end, value });
    for (const p of pieces) if (p.start >= end) inserted.push(p);
    this.runs.splice(i, j - i, ...inserted);
    this.coalesce(Math.max(0, i - 1), i + inserted.length + 1);
  }

  private coalesce(from: number, to: number): void {
    for (let k = Math.min(to, this.runs.length - 1); k > from; k--) {
      const a = this.runs[k - 1];
      const b = this.runs[k];
      if (a.end === b.start && this.same(a.value, b.value)) {
        a.end = b.end;
        this.runs.splice(k, 1);
      }
    }
  }

  /** Runs overlapping [start, end), clipped to it. */
  query(start: number, end: number): Run<T>[] {
    const out: Run<T>[] = [];
    for (let i = this.lowerBound(start); i < this.runs.length && this.runs[i].start < end; i++) {
      const r = this.runs[i];
      out.push({ start: Math.max(r.start, start), end: Math.min(r.end, end), value: r.value });
    }
    return out;
  }

  /** Run boundaries strictly inside (start, end). */
  boundaries(start: number, end: number, into: Set<number>): void {
    for (let i = this.lowerBound(start); i < this.runs.length && this.runs[i].start < end; i++) {
      const r = this.runs[i];
      if (r.start > start) into.add(r.start);
      if (r.end < end) into.add(r.end);
    }
  }

  all(): readonly Run<T>[] {
    return this.runs;
  }
}
