// Fuzz throughput (issue 8): cases per second per IOCTL, the unit the campaign counts (`stats.cases`,
// `vdisk fuzz` "cases/s"): a CASE IS ONE GENERATED REQUEST — an IOCTL call, a read or a write — run through
// the public API and checked by the oracle. Opens, closes, exits, power ops and the disk itself are the
// setup of a sequence and are not counted; their time is. Cases are generated as the campaign generates
// them (fuzzCase with CAMPAIGN_SEQUENCES: one disk, ~100 ops, ~78 requests, ~80 % of them on the target),
// and run by runCase with and without the state check:
//   - through fast-check: fc.assert over the property, as the campaign runs it (generation included);
//   - through a plain loop over the same sequences, pre-generated with fc.sample under the same seed (each
//     side is divided by the cases it ran, counted, not assumed equal).
import fc from 'fast-check';
import { CAMPAIGN_SEQUENCES, fuzzCase } from '../src/fuzz/arbitraries';
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
const SEED = 42;

export function runFuzzBenchmarks(quick = false): Comparison[] {
  const sequences = quick ? 10 : 40; // per timed call: ~800 / ~3,100 cases
  const opts = { ops: 1, rounds: quick ? 3 : 5, warmup: 1 };
  const rows: Comparison[] = [];
  for (const name of FUZZ_TARGETS) {
    const arb = fuzzCase({ only: [name], ...CAMPAIGN_SEQUENCES });
    const cases: FuzzCase[] = fc.sample(arb, { numRuns: sequences, seed: SEED });
    const perCall = cases.reduce((a, c) => a + runCase(c, { checkState: false }).results.length, 0);
    const ops = cases.reduce((a, c) => a + c.ops.length, 0) / sequences;
    const perCase = (m: Measurement, n: number): Measurement => ({ ...m, nsPerOp: m.nsPerOp / n, opsPerSec: m.opsPerSec * n });
    const goal = STORAGE.has(name) ? 50_000 : undefined;
    for (const checkState of [false, true]) {
      let ran = 0;
      const viaFastCheck = (): unknown => fc.assert(fc.property(arb, (c) => { ran += runCase(c, { checkState }).results.length; }), { numRuns: sequences, seed: SEED });
      viaFastCheck(); // count the cases one fast-check call runs
      const fcPerCall = ran;
      const plain = (): unknown => { let v = 0; for (const c of cases) v += runCase(c, { checkState }).violations.length; return v; };
      const r = compare(
        `fuzz ${name} checkState=${checkState} (${sequences} sequences of ~${ops.toFixed(0)} ops; ${fcPerCall} / ${perCall} cases): ` +
        'ns per case (one request checked), fast-check vs plain loop',
        { name: 'fast-check', fn: viaFastCheck }, { name: 'plain loop', fn: plain }, opts);
      const subject = perCase(r.subject, fcPerCall);
      const baseline = perCase(r.baseline, perCall);
      rows.push({
        ...r, subject, baseline, ratio: subject.nsPerOp / baseline.nsPerOp,
        ...(goal === undefined ? {} : { goal: `≥ ${goal.toLocaleString('en-US')} cases/s`, met: subject.opsPerSec >= goal }),
      });
    }
  }
  // Setup paid once per sequence: creating the disk (and Host). Creation per security mode, vs "none":
  const none = measure('create none', () => new Host(new VirtualDisk({ security: 'none', maxBands: 8 })), { ops: quick ? 100 : 1000, rounds: 5, warmup: 100 });
  for (const security of ['inactive', 'active'] as const) {
    const m = measure(`create ${security}`, () => new Host(new VirtualDisk({ security, maxBands: 8 })), { ops: quick ? 100 : 1000, rounds: 5, warmup: 100 });
    rows.push({ group: `fuzz setup: new VirtualDisk + Host, security ${security} (maxBands 8) vs none`, subject: m, baseline: none, ratio: m.nsPerOp / none.nsPerOp });
  }
  return rows;
}
