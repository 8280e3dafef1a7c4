// vdisk fuzz: the property campaign as a product feature (issue 7). Exit status 0 when no invariant broke,
// 1 when one did (each new failure shrunk and saved as a scenario that `vdisk run` replays), 2 for usage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCampaign } from '../fuzz/campaign-pool';
import { dispatchTargets } from '../fuzz/arbitraries';
import type { CampaignStats } from '../fuzz/campaign';
import { EXIT_FAILED, EXIT_OK, parse, parseCount, usageError, type CliIo } from './io';

export const FUZZ_USAGE = `usage: vdisk fuzz [--ioctl NAME[,NAME…]|all] [--runs N | --time 60s] [--seed S] [--workers K] [--out DIR]

Runs the fuzz properties over the IOCTLs of the dispatch table: structure-aware inputs derived from each
code's layout (valid, boundary, mutant, raw), fuzzed OutputBufferLength, handle access and callers,
reads, writes, power cycles and injected power losses. After every request it checks: no exception, a
status the spec lists for that IOCTL, Information and output within bounds, no state change on failure
(except the spec's allow-list), and determinism.

options:
  --ioctl NAME    one or more IOCTL names (comma-separated), or all (default)
  --runs N        stop after N cases (requests); default 100000 unless --time is given
  --time T        stop after T (e.g. 60s, 5m, 1500ms)
  --seed S        base seed (default: from the clock, printed); worker k uses S + k
  --path P        replay one fast-check path under --seed (from a failure report)
  --workers K     worker threads (default: the number of cores)
  --out DIR       where counterexample scenarios are written (default fuzz-failures)
  --no-state      skip the before/after snapshot comparison (faster)
exit status: 0 no invariant broke, 1 an invariant broke, 2 usage error`;

function parseTime(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function summaryTable(stats: CampaignStats): string {
  const rows = Object.entries(stats.targets).sort(([a], [b]) => a.localeCompare(b));
  const lines = [`${pad('target', 44)} ${pad('cases', 10)} ${pad('failures', 9)} statuses seen`];
  for (const [name, t] of rows) {
    const statuses = Object.entries(t.statuses).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s.replace(/^STATUS_/, '')} ${n}`).join(', ');
    lines.push(`${pad(name, 44)} ${pad(String(t.cases), 10)} ${pad(String(t.failures), 9)} ${statuses}`);
  }
  const rate = stats.elapsedMs > 0 ? Math.round((stats.cases * 1000) / stats.elapsedMs) : 0;
  lines.push(`total: ${stats.cases} cases in ${stats.sequences} sequences, ${(stats.elapsedMs / 1000).toFixed(1)} s, ${rate} cases/s, ${stats.failures.length} distinct failures`);
  return lines.join('\n');
}

function progressLine(stats: CampaignStats, totalCases: number | undefined, timeMs: number | undefined): string {
  const rate = stats.elapsedMs > 0 ? Math.round((stats.cases * 1000) / stats.elapsedMs) : 0;
  const fraction = totalCases ? stats.cases / totalCases : timeMs ? stats.elapsedMs / timeMs : 0;
  const width = 30;
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats.cases} cases, ${rate}/s, ${stats.failures.length} failures`;
}

export async function fuzzCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const p = parse(argv, {
    ioctl: { type: 'string' }, runs: { type: 'string' }, time: { type: 'string' }, seed: { type: 'string' },
    path: { type: 'string' }, workers: { type: 'string' }, out: { type: 'string' }, 'no-state': { type: 'boolean' },
  });
  if (!p.ok) return usageError(io, 'fuzz', p.message, FUZZ_USAGE);
  if (p.values.help) { io.stdout.write(`${FUZZ_USAGE}\n`); return EXIT_OK; }
  if (p.positionals.length > 0) return usageError(io, 'fuzz', `unexpected argument ${p.positionals[0]}`, FUZZ_USAGE);
  const v = p.values as Record<string, string | undefined>;
  const known = dispatchTargets().map((t) => t.name);
  let only: string[] | undefined;
  if (v.ioctl !== undefined && v.ioctl !== 'all') {
    only = v.ioctl.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((n) => !known.includes(n));
    if (unknown.length > 0) return usageError(io, 'fuzz', `unknown IOCTL ${unknown.join(', ')} (see 'vdisk codes')`, FUZZ_USAGE);
  }
  if (v.runs !== undefined && v.time !== undefined) return usageError(io, 'fuzz', '--runs and --time exclude each other', FUZZ_USAGE);
  const cases = v.runs === undefined ? undefined : parseCount(v.runs);
  if (v.runs !== undefined && (cases === undefined || cases === 0)) return usageError(io, 'fuzz', `--runs: not a positive count: ${v.runs}`, FUZZ_USAGE);
  const timeMs = v.time === undefined ? undefined : parseTime(v.time);
  if (v.time !== undefined && !timeMs) return usageError(io, 'fuzz', `--time: not a duration: ${v.time}`, FUZZ_USAGE);
  const seed = v.seed === undefined ? Date.now() % 0x7fffffff : parseCount(v.seed);
  if (seed === undefined) return usageError(io, 'fuzz', `--seed: not a number: ${v.seed}`, FUZZ_USAGE);
  const workers = v.workers === undefined ? os.cpus().length : parseCount(v.workers);
  if (workers === undefined) return usageError(io, 'fuzz', `--workers: not a count: ${v.workers}`, FUZZ_USAGE);
  const outDir = v.out ?? 'fuzz-failures';
  const totalCases = cases ?? (timeMs === undefined ? 100_000 : undefined);

  io.stderr.write(`vdisk fuzz: seed ${seed}, ${workers} worker(s), ${only ? only.join(', ') : 'all IOCTLs'}, ` +
    `${totalCases !== undefined ? `${totalCases} cases` : `${timeMs} ms`}\n`);
  let lastLine = 0;
  const stats = await runCampaign({
    seed, workers, ...(only ? { only } : {}), ...(totalCases !== undefined ? { cases: totalCases } : {}),
    ...(timeMs !== undefined ? { timeMs } : {}), ...(v.path !== undefined ? { path: v.path } : {}),
    checkState: p.values['no-state'] !== true,
    onProgress: (s) => {
      if (io.isTTY) io.stderr.write(`\r${progressLine(s, totalCases, timeMs)}`);
      else if (s.elapsedMs - lastLine >= 5000) { lastLine = s.elapsedMs; io.stderr.write(`${progressLine(s, totalCases, timeMs)}\n`); }
    },
  });
  if (io.isTTY) io.stderr.write('\n');
  io.stdout.write(`${summaryTable(stats)}\n`);
  if (stats.failures.length === 0) return EXIT_OK;
  fs.mkdirSync(outDir, { recursive: true });
  stats.failures.forEach((f, i) => {
    const file = path.join(outDir, `${f.violation.target}-${f.violation.invariant}-${i}.jsonl`.replace(/[^A-Za-z0-9_.-]/g, '_'));
    fs.writeFileSync(file, f.scenario);
    io.stdout.write(`\nFAILURE ${f.key} (seen ${f.count}×): ${f.violation.detail.split('\n')[0]}\n` +
      `  at step ${f.violation.step}: ${f.violation.op}\n  replay: vdisk fuzz --seed ${f.seed} --path ${f.path}` +
      `${only ? ` --ioctl ${only.join(',')}` : ''}\n  scenario: ${file} (vdisk run ${file})\n`);
  });
  return EXIT_FAILED;
}
