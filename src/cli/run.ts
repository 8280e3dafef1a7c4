// `vdisk run FILE [--image PATH] [--format table|json]`: replays a scenario (spec/scenario-format.md) and
// prints one result per op — JSON Lines when stdout is not a terminal (or --format json), a table on a
// terminal. Exit 2 for a scenario error (with file, line and field), 1 after the last step if any
// expectation failed, 0 otherwise.

import fs from 'node:fs';
import { createImage, openImage, type BlockStore } from '../device/store';
import { parseScenario } from '../scenario/parse';
import { runScenario, type StepResult } from '../scenario/run';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parse, usageError, type CliIo } from './io';

export const RUN_USAGE = `usage: vdisk run FILE [--image PATH] [--format table|json]

Replays the scenario FILE (JSON Lines, see spec/scenario-format.md) on a virtual disk and prints one
result per op: {"line", "op", "code", "status", "ntstatus", "win32", "information", "output"}; a result
whose "expect" is not met carries "ok": false and the expected values.

options:
  --image PATH     run on the disk image PATH instead of an in-memory disk. An existing image is opened
                   (its geometry wins where the scenario's "disk" line is silent; a different sectorSize or
                   sectors is an error) and is never reinitialised: a bad header is refused. An absent PATH
                   is created with the scenario's sectorSize and sectors.
  --format F       "table" (default on a terminal) or "json" (JSON Lines, default otherwise)
  -h, --help       this text

exit status: 0 every expectation met, 1 an expectation failed, 2 usage or scenario error`;

export function runCommand(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, { image: { type: 'string' }, format: { type: 'string' } });
  if (!args.ok) return usageError(io, 'run', args.message, RUN_USAGE);
  if (args.values.help) {
    io.stdout.write(`${RUN_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 1) return usageError(io, 'run', 'expected exactly one scenario FILE', RUN_USAGE);
  const file = args.positionals[0]!;
  const format = (args.values.format as string | undefined) ?? (io.isTTY ? 'table' : 'json');
  if (format !== 'table' && format !== 'json') return usageError(io, 'run', `--format ${format}: must be "table" or "json"`, RUN_USAGE);

  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    io.stderr.write(`vdisk run: cannot read ${file}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const parsed = parseScenario(text);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.stderr.write(`${file}:${e.line}: ${e.message}\n`);
    return EXIT_USAGE;
  }
  let scenario = parsed.value;

  let store: BlockStore | undefined;
  const imagePath = args.values.image as string | undefined;
  if (imagePath !== undefined) {
    const opened = openOrCreate(imagePath, scenario.disk.sectorSize ?? 512, scenario.disk.sectors ?? 2048, io);
    if (!opened.ok) {
      io.stderr.write(`vdisk run: ${opened.message}\n`);
      return EXIT_USAGE;
    }
    store = opened.store;
    const d = scenario.disk;
    for (const [name, have] of [['sectorSize', store.sectorSize], ['sectors', store.sectors]] as const) {
      if (d[name] !== undefined && d[name] !== have) {
        store.close();
        const line = scenario.steps.find((s) => s.op === 'disk')?.line ?? 0;
        io.stderr.write(`${file}:${line}: field ${name}: ${d[name]} differs from the image ${imagePath} (${name} ${have})\n`);
        return EXIT_USAGE;
      }
    }
    scenario = { ...scenario, disk: { ...d, sectorSize: store.sectorSize, sectors: store.sectors } };
  }

  const table = format === 'table' ? new Table(io) : undefined;
  const outcome = runScenario(scenario, {
    ...(store !== undefined ? { store } : {}),
    onResult: (r) => (table ? table.row(r) : io.stdout.write(`${JSON.stringify(r)}\n`)),
  });
  const closed = store?.close();
  if (closed !== undefined && !closed.ok) io.stderr.write(`vdisk run: closing ${imagePath}: ${closed.message}\n`);
  if (!outcome.ok) {
    io.stderr.write(`${file}:${outcome.error.line}: ${outcome.error.message.replace(/^line \d+: /, '')}\n`);
    return EXIT_USAGE;
  }
  if (outcome.failed > 0) {
    io.stderr.write(`vdisk run: ${outcome.failed} of ${outcome.results.filter((r) => hasExpect(r, parsed.value)).length} expectations failed in ${file}\n`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

function hasExpect(r: StepResult, s: { steps: readonly { line: number; expect?: unknown }[] }): boolean {
  return s.steps.some((x) => x.line === r.line && x.expect !== undefined);
}

type Opened = { ok: true; store: BlockStore } | { ok: false; message: string };

/** An existing image is opened (never reinitialised); an absent one is created with the given geometry. */
function openOrCreate(path: string, sectorSize: number, sectors: number, io: CliIo): Opened {
  const exists = fs.existsSync(path);
  const r = exists ? openImage(path) : createImage(path, { sectorSize, sectors });
  if (!r.ok) {
    return { ok: false, message: exists
      ? `image ${path} refused (${r.error.code}): ${r.error.message}; it was left untouched`
      : `cannot create image ${path} (${r.error.code}): ${r.error.message}` };
  }
  for (const w of r.warnings) io.stderr.write(`vdisk run: image ${path}: warning: ${w}\n`);
  return { ok: true, store: r.store };
}

/** The readable table for a terminal: one row per op, failures followed by what was expected. */
class Table {
  private header = false;
  constructor(private readonly io: CliIo) {}

  row(r: StepResult): void {
    if (!this.header) {
      this.io.stdout.write(`${pad('line', 5)} ${pad('op', 11)} ${pad('code', 40)} ${pad('status', 34)} ${pad('info', 6)} output\n`);
      this.header = true;
    }
    const out = r.output.length > 32 ? `${r.output.slice(0, 32)}… (${r.output.length / 2} bytes)` : r.output;
    const mark = r.ok === false ? '✗ ' : '';
    this.io.stdout.write(`${pad(String(r.line), 5)} ${pad(r.op, 11)} ${pad(r.code ?? '', 40)} ${pad(mark + r.status, 34)} ${pad(String(r.information), 6)} ${out}\n`);
    if (r.message !== undefined) this.io.stdout.write(`      ${r.message}\n`);
    if (r.ok === false && r.expected) {
      const e = r.expected;
      const parts = [
        e.status !== undefined ? `status ${e.status}` : '',
        e.information !== undefined ? `information ${e.information}` : '',
        e.output !== undefined ? `output ${e.output.length > 64 ? `${e.output.slice(0, 64)}…` : e.output || '""'}` : '',
      ].filter(Boolean);
      this.io.stdout.write(`      expected ${parts.join(', ')}\n`);
    }
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
