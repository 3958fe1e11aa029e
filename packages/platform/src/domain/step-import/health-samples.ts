/**
 * Step samples of an Apple Health export, counted as the Health app counts them: where samples of different sources
 * (an iPhone and an Apple Watch recording the same walk) overlap in time, each interval is counted once, from the
 * source with the higher priority; a sample partly covered by better sources counts for the share of its time that is
 * not. Samples are kept in compact columns (14 bytes each), so a large export stays small in memory.
 */

/** One source of samples in the file, with how many step samples it wrote. */
export interface HealthSourceCount {
  name: string;
  samples: number;
}

/** A counted share of one sample: the steps it adds, when it started, and the line it came from. */
export interface CountedSample {
  startSeconds: number;
  steps: number;
  line: number;
}

class Column<T extends Float64Array | Uint32Array | Uint16Array> {
  private chunks: T[] = [];
  private last: T;
  private fill = 0;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.last = make(4096);
    this.chunks.push(this.last);
  }
  push(value: number): void {
    if (this.fill === this.last.length) {
      this.last = this.make(this.last.length * 2);
      this.chunks.push(this.last);
      this.fill = 0;
    }
    this.last[this.fill++] = value;
    this.length++;
  }
  toArray(): T {
    const out = this.make(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, this.length - at);
      out.set(chunk.subarray(0, n) as never, at);
      at += n;
    }
    return out;
  }
}

/** The default priority: watches first, then phones, then every other source in the order it first appears. */
function defaultRank(name: string): number {
  if (/watch/i.test(name)) return 0;
  if (/iphone|phone/i.test(name)) return 1;
  return 2;
}

/** Collects samples as they stream, then counts each interval once. */
export class HealthSamples {
  private readonly start = new Column((n) => new Float64Array(n));
  private readonly end = new Column((n) => new Float64Array(n));
  private readonly value = new Column((n) => new Float64Array(n));
  private readonly line = new Column((n) => new Uint32Array(n));
  private readonly source = new Column((n) => new Uint16Array(n));
  private readonly sources = new Map<string, { index: number; samples: number }>();

  /** Adds one sample (epoch seconds; `end` ≥ `start`). */
  add(sourceName: string, startSeconds: number, endSeconds: number, steps: number, line: number): void {
    let s = this.sources.get(sourceName);
    if (!s) {
      if (this.sources.size >= 0xffff) throw new RangeError('more than 65535 sources in one export');
      s = { index: this.sources.size, samples: 0 };
      this.sources.set(sourceName, s);
    }
    s.samples++;
    this.start.push(startSeconds);
    this.end.push(endSeconds);
    this.value.push(steps);
    this.line.push(line);
    this.source.push(s.index);
  }

  /** Every source in the file with its sample count, in the order they first appear. */
  sourceCounts(): HealthSourceCount[] {
    return [...this.sources].map(([name, s]) => ({ name, samples: s.samples }));
  }

  /**
   * The priority order: `preferred` when given (only those sources, in that order), else watches, phones, then the
   * rest. Unknown names are returned in `unknown`.
   */
  priority(preferred: string[] | undefined): { order: string[]; unknown: string[] } {
    const names = [...this.sources.keys()];
    if (preferred) return { order: preferred.filter((p) => this.sources.has(p)), unknown: preferred.filter((p) => !this.sources.has(p)) };
    return { order: names.map((n, i) => ({ n, i })).sort((a, b) => defaultRank(a.n) - defaultRank(b.n) || a.i - b.i).map((x) => x.n), unknown: [] };
  }

  /** The counted share of every sample of the sources in `order` (highest priority first). */
  count(order: string[]): CountedSample[] {
    const start = this.start.toArray();
    const end = this.end.toArray();
    const value = this.value.toArray();
    const line = this.line.toArray();
    const source = this.source.toArray();
    const out: CountedSample[] = [];
    /** Merged, sorted intervals already claimed by better sources: [s0, e0, s1, e1, …]. */
    let covered: number[] = [];
    for (const name of order) {
      const index = this.sources.get(name)!.index;
      const mine: number[] = [];
      for (let i = 0; i < source.length; i++) if (source[i] === index) mine.push(i);
      mine.sort((a, b) => start[a]! - start[b]!);
      let k = 0;
      const claimed: number[] = [];
      for (const i of mine) {
        const s = start[i]!;
        const e = end[i]!;
        // Samples come in start order, so intervals ending before this one starts never matter again.
        while (k < covered.length && covered[k + 1]! <= s) k += 2;
        let overlap = 0;
        let pointCovered = false;
        for (let j = k; j < covered.length && covered[j]! <= e; j += 2) {
          const cs = covered[j]!;
          const ce = covered[j + 1]!;
          if (e === s) {
            if (cs <= s && s < ce) pointCovered = true;
          } else overlap += Math.max(0, Math.min(e, ce) - Math.max(s, cs));
        }
        const share = e === s ? (pointCovered ? 0 : 1) : 1 - Math.min(1, overlap / (e - s));
        if (share > 0) out.push({ startSeconds: s, steps: value[i]! * share, line: line[i]! });
        if (e > s) claimed.push(s, e);
      }
      covered = mergeIntervals(covered, claimed);
    }
    return out;
  }
}

/** Merges two lists of sorted intervals ([s, e, …], the second sorted by start) into one sorted, disjoint list. */
function mergeIntervals(a: number[], b: number[]): number[] {
  const all: [number, number][] = [];
  for (let i = 0; i < a.length; i += 2) all.push([a[i]!, a[i + 1]!]);
  for (let i = 0; i < b.length; i += 2) all.push([b[i]!, b[i + 1]!]);
  all.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of all) {
    const n = out.length;
    if (n > 0 && s <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, e);
    else out.push(s, e);
  }
  return out;
}
