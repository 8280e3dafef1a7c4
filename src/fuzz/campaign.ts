// The fuzz campaign (issue 7): the oracle's properties run as a long campaign, sharded by seed across worker
// threads. A shard logs failures instead of stopping: each new (target, invariant, status) is shrunk by
// fast-check, saved as a scenario that `vdisk run` replays, and the shard goes on with a fresh seed; known
// failures are only counted (STYLE.md "Fuzzing practice").

import fc from 'fast-check';
import { CAMPAIGN_SEQUENCES, fuzzCase, type CaseOptions } from './arbitraries';
import { runCase, type Violation } from './oracle';
import { toScenario, type FuzzCase } from './case';
import { statusName } from '../codecs/ntstatus';

export interface TargetStats {
  cases: number;
  statuses: Record<string, number>;
  failures: number;
}

export interface FailureReport {
  /** target|invariant|status: the deduplication key */
  readonly key: string;
  readonly violation: Violation;
  /** fast-check seed and path that replay the shrunk counterexample exactly */
  readonly seed: number;
  readonly path: string;
  /** the shrunk case as a scenario file */
  readonly scenario: string;
  count: number;
}

export interface CampaignStats {
  sequences: number;
  cases: number;
  elapsedMs: number;
  targets: Record<string, TargetStats>;
  failures: FailureReport[];
}

export interface ShardOptions extends CaseOptions {
  readonly seed: number;
  /** stop after this many cases (IOCTL, read and write calls) */
  readonly cases?: number;
  /** stop after this many milliseconds */
  readonly timeMs?: number;
  /** compare snapshots around failing calls (default true) */
  readonly checkState?: boolean;
  /** re-run every n-th sequence for determinism (default 16; 0 = never) */
  readonly determinismEvery?: number;
  /** replay one fast-check path under `seed` instead of searching */
  readonly path?: string;
  readonly onProgress?: (stats: CampaignStats) => void;
}

export function emptyStats(): CampaignStats {
  return { sequences: 0, cases: 0, elapsedMs: 0, targets: {}, failures: [] };
}

const keyOf = (v: Violation): string => `${v.target}|${v.invariant}|${v.status ?? ''}`;

export function runShard(opts: ShardOptions): CampaignStats {
  const stats = emptyStats();
  const start = Date.now();
  const known = new Map<string, FailureReport>();
  // long sequences (~80 requests per disk) unless the caller sets its own
  const arb = fuzzCase({ ...CAMPAIGN_SEQUENCES, ...(opts.only ? { only: opts.only } : {}), ...(opts.maxOps !== undefined ? { maxOps: opts.maxOps } : {}), ...(opts.size !== undefined ? { size: opts.size } : {}) });
  const limitCases = opts.cases ?? (opts.timeMs === undefined ? 10_000 : Number.MAX_SAFE_INTEGER);
  const deadline = opts.timeMs === undefined ? Number.POSITIVE_INFINITY : start + opts.timeMs;
  const every = opts.determinismEvery ?? 16;
  let lastProgress = start;
  let seed = opts.seed >>> 0;

  for (let round = 0; stats.cases < limitCases && Date.now() < deadline; round++) {
    let searching = true;
    let target: string | undefined;
    const property = (c: FuzzCase): boolean => {
      const checkDeterminism = every > 0 && searching && stats.sequences % every === 0;
      const report = runCase(c, { checkState: opts.checkState !== false, checkDeterminism });
      if (searching) {
        stats.sequences++;
        for (const r of report.results) {
          const t = (stats.targets[r.target] ??= { cases: 0, statuses: {}, failures: 0 });
          t.cases++;
          const name = statusName(r.status);
          t.statuses[name] = (t.statuses[name] ?? 0) + 1;
        }
        stats.cases += report.results.length;
        for (const v of report.violations) {
          (stats.targets[v.target] ??= { cases: 0, statuses: {}, failures: 0 }).failures++;
          const seen = known.get(keyOf(v));
          if (seen) seen.count++;
          else if (target === undefined) target = keyOf(v);
        }
        const now = Date.now();
        if (opts.onProgress && now - lastProgress >= 250) {
          lastProgress = now;
          stats.elapsedMs = now - start;
          opts.onProgress(stats);
        }
        if (target !== undefined) {
          searching = false; // from here on fast-check is shrinking towards this one failure
          return false;
        }
        return true;
      }
      return !report.violations.some((v) => keyOf(v) === target);
    };
    const remainingCases = limitCases - stats.cases;
    // cases (requests) per sequence so far; ~0.8 per op group before the first sequence
    const perSequence = stats.sequences > 0 ? Math.max(1, stats.cases / stats.sequences) : 0.8 * ((opts.maxOps ?? CAMPAIGN_SEQUENCES.maxOps!) / 2);
    const numRuns = opts.path !== undefined ? 1 : Math.max(1, Math.min(5_000, Math.ceil(remainingCases / perSequence)));
    const remainingMs = deadline - Date.now();
    const details = fc.check(fc.property(arb, property), {
      seed,
      numRuns,
      ...(opts.path !== undefined ? { path: opts.path } : {}),
      ...(Number.isFinite(remainingMs) ? { interruptAfterTimeLimit: Math.max(1, remainingMs), markInterruptAsFailure: false } : {}),
    });
    if (details.failed && details.counterexample !== null && target !== undefined) {
      const [shrunk] = details.counterexample;
      const final = runCase(shrunk, { checkState: opts.checkState !== false, checkDeterminism: true });
      const violation = final.violations.find((v) => keyOf(v) === target) ?? final.violations[0]!;
      const path = details.counterexamplePath ?? '';
      const report: FailureReport = {
        key: target, violation, seed, path, count: 1,
        scenario: toScenario(shrunk, `vdisk fuzz counterexample: ${violation.invariant} on ${violation.target}` +
          (violation.status ? ` (${violation.status})` : '') +
          `\nstep ${violation.step}: ${violation.op}\nreplay: vdisk fuzz --seed ${seed} --path ${path}${opts.only ? ` --ioctl ${opts.only.join(',')}` : ''}`),
      };
      known.set(target, report);
      stats.failures.push(report);
    }
    if (opts.path !== undefined) break;
    seed = (seed + 0x9e3779b9 * (round + 1)) >>> 0;
  }
  stats.elapsedMs = Date.now() - start;
  return stats;
}

/** Adds a shard's statistics into a total. */
export function mergeStats(into: CampaignStats, from: CampaignStats): CampaignStats {
  into.sequences += from.sequences;
  into.cases += from.cases;
  into.elapsedMs = Math.max(into.elapsedMs, from.elapsedMs);
  for (const [name, t] of Object.entries(from.targets)) {
    const u = (into.targets[name] ??= { cases: 0, statuses: {}, failures: 0 });
    u.cases += t.cases;
    u.failures += t.failures;
    for (const [s, n] of Object.entries(t.statuses)) u.statuses[s] = (u.statuses[s] ?? 0) + n;
  }
  for (const f of from.failures) {
    const same = into.failures.find((g) => g.key === f.key);
    if (same) same.count += f.count;
    else into.failures.push({ ...f });
  }
  return into;
}
