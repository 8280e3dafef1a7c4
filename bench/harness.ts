// In-process measurement (issue 8): warm up, then several rounds of a fixed number of operations, report
// the median ns/op. Every comparison runs a baseline in the same process, interleaved round by round, so
// the ratio holds on a noisy machine even when absolute numbers drift.

export interface Measurement {
  readonly name: string;
  readonly nsPerOp: number;
  readonly opsPerSec: number;
  readonly rounds: number[];
}

export interface Comparison {
  readonly group: string;
  readonly subject: Measurement;
  readonly baseline: Measurement;
  /** subject time / baseline time: 1.5 means 50% slower than the baseline */
  readonly ratio: number;
  readonly goal?: string;
  readonly met?: boolean;
}

/** Keeps results alive so V8 cannot drop the measured work. */
export let sink: unknown;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeRound(fn: (i: number) => unknown, ops: number): number {
  const start = process.hrtime.bigint();
  let last: unknown;
  for (let i = 0; i < ops; i++) last = fn(i);
  const ns = Number(process.hrtime.bigint() - start);
  sink = last;
  return ns / ops;
}

export interface MeasureOptions {
  readonly ops?: number;
  readonly rounds?: number;
  readonly warmup?: number;
}

/** Measures `subject` and `baseline` alternately, round by round. */
export function compare(
  group: string,
  subject: { name: string; fn: (i: number) => unknown },
  baseline: { name: string; fn: (i: number) => unknown },
  opts: MeasureOptions = {},
): Comparison {
  const ops = opts.ops ?? 200_000;
  const rounds = opts.rounds ?? 7;
  const warmup = opts.warmup ?? Math.min(ops, 50_000);
  timeRound(subject.fn, warmup);
  timeRound(baseline.fn, warmup);
  const s: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    s.push(timeRound(subject.fn, ops));
    b.push(timeRound(baseline.fn, ops));
  }
  const sm = median(s);
  const bm = median(b);
  return {
    group,
    subject: { name: subject.name, nsPerOp: sm, opsPerSec: 1e9 / sm, rounds: s },
    baseline: { name: baseline.name, nsPerOp: bm, opsPerSec: 1e9 / bm, rounds: b },
    ratio: sm / bm,
  };
}

/** Measures one function alone (throughput goals stated in ops/s). */
export function measure(name: string, fn: (i: number) => unknown, opts: MeasureOptions = {}): Measurement {
  const ops = opts.ops ?? 200_000;
  const rounds = opts.rounds ?? 7;
  timeRound(fn, opts.warmup ?? Math.min(ops, 50_000));
  const xs: number[] = [];
  for (let r = 0; r < rounds; r++) xs.push(timeRound(fn, ops));
  const m = median(xs);
  return { name, nsPerOp: m, opsPerSec: 1e9 / m, rounds: xs };
}
