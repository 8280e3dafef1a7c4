// Fuzz throughput (issue 8): generated cases per second per IOCTL through fast-check (fuzzCase + runCase as
// the campaign runs them), with and without the state-snapshot check, and the overhead of fast-check over a
// plain loop over the same cases pre-generated with fc.sample. A "case" is one generated sequence (a disk,
// 1-3 opens and 1-24 ops, ~75% of them IOCTLs on the target); cases/s counts whole sequences, calls/s the
// IOCTLs among them.
import fc from 'fast-check';
import { fuzzCase } from '../src/fuzz/arbitraries';
import { runCase } from '../src/fuzz/oracle';
import type { FuzzCase } from '../src/fuzz/case';
import { VirtualDisk } from '../src/device/virtual-disk';
import { Host } from '../src/host';
import { compare, measure, type Comparison, type Measurement } from './harness';

export const FUZZ_TARGETS = [
  'IOCTL_STORAGE_MEDIA_REMOVAL',
  'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT',
  'IOCTL_STORAGE_PERSISTENT_RESERVE_IN',
  'IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY',
] as const;
const STORAGE = new Set<string>(FUZZ_TARGETS.filter((t) => t.startsWith('IOCTL_STORAGE')));

/** fast-check property over `n` cases (one call of fn = n cases; the harness divides by n). */
function viaFastCheck(arb: fc.Arbitrary<FuzzCase>, n: number, checkState: boolean, seed: number): () => unknown {
  let s = seed;
  return () => fc.assert(fc.property(arb, (c) => { runCase(c, { checkState }); }), { numRuns: n, seed: s++ });
}

export function runFuzzBenchmarks(quick = false): Comparison[] {
  const n = quick ? 200 : 1000; // cases per timed call
  const opts = { ops: 1, rounds: quick ? 3 : 5, warmup: 1 };
  const rows: Comparison[] = [];
  for (const name of FUZZ_TARGETS) {
    const arb = fuzzCase({ only: [name] });
    const cases = fc.sample(arb, { numRuns: n, seed: 42 });
    const ops = cases.reduce((a, c) => a + c.ops.length, 0) / n;
    const perCase = (m: Measurement): Measurement => ({ ...m, nsPerOp: m.nsPerOp / n, opsPerSec: m.opsPerSec * n });
    const goal = STORAGE.has(name) ? 50_000 : undefined;
    for (const checkState of [false, true]) {
      const plain = (): unknown => { let v = 0; for (const c of cases) v += runCase(c, { checkState }).violations.length; return v; };
      const r = compare(`fuzz ${name} checkState=${checkState} (${ops.toFixed(1)} ops/case): fast-check vs plain loop`,
        { name: 'fast-check', fn: viaFastCheck(arb, n, checkState, 42) }, { name: 'plain loop', fn: plain }, opts);
      const subject = perCase(r.subject);
      rows.push({
        ...r, subject, baseline: perCase(r.baseline),
        ...(goal === undefined ? {} : { goal: `≥ ${goal.toLocaleString('en-US')} cases/s`, met: subject.opsPerSec >= goal }),
      });
    }
  }
  // What limits it: every case creates its disk (and Host); with security "inactive"/"active" that derives
  // a verifier per band slot (HKDF) and media keys (HMAC). Creation per mode, vs security "none":
  const none = measure('create none', () => new Host(new VirtualDisk({ security: 'none', maxBands: 8 })), { ops: quick ? 100 : 1000, rounds: 5, warmup: 100 });
  for (const security of ['inactive', 'active'] as const) {
    const m = measure(`create ${security}`, () => new Host(new VirtualDisk({ security, maxBands: 8 })), { ops: quick ? 100 : 1000, rounds: 5, warmup: 100 });
    rows.push({ group: `fuzz setup: new VirtualDisk + Host, security ${security} (maxBands 8) vs none`, subject: m, baseline: none, ratio: m.nsPerOp / none.nsPerOp });
  }
  return rows;
}
