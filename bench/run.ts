// `npm run bench`: every benchmark group, printed as a table (or JSON lines with --json).
import { runCodecBenchmarks } from './codecs';
import { runDispatchBenchmarks } from './dispatch';
import { runFuzzBenchmarks } from './fuzz';
import { runIoBenchmarks } from './io';
import { runGrowthBenchmarks } from './growth';
import type { Comparison } from './harness';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const groups: Record<string, (quick: boolean) => Comparison[]> = {
  codecs: runCodecBenchmarks,
  dispatch: runDispatchBenchmarks,
  fuzz: runFuzzBenchmarks,
  io: runIoBenchmarks,
  growth: runGrowthBenchmarks,
};

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

for (const [name, run] of Object.entries(groups)) {
  if (only && only !== name) continue;
  const results = run(quick);
  for (const r of results) {
    if (json) {
      console.log(JSON.stringify({ bench: name, ...r }));
    } else {
      const verdict = r.goal ? ` ${r.met ? 'met' : 'MISSED'} (${r.goal})` : '';
      console.log(
        `${r.group}\n  ${r.subject.name.padEnd(12)} ${fmt(r.subject.nsPerOp).padStart(8)} ns/op` +
        `\n  ${r.baseline.name.padEnd(12)} ${fmt(r.baseline.nsPerOp).padStart(8)} ns/op` +
        `\n  ratio ${r.ratio.toFixed(2)}×${verdict}`,
      );
    }
  }
}
