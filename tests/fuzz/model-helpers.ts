// Shared pieces of the model-based tests (STYLE.md "Fuzzing practice": fc.commands + fc.modelRun against a
// small model written from the spec). The system under test is driven only through the public API
// (`new Host(new VirtualDisk(...))`); every call is also written down as a scenario line
// (spec/scenario-format.md) carrying the model's — the spec's — expectation, so a failing check prints a
// transcript that `vdisk run` replays and that can be saved as tests/regressions/<name>.jsonl as it stands.
//
// Replaying a failure: fc prints `{ seed, path }` and, after the counterexample, `replayPath="…"`. Run
//   FC_SEED=<seed> FC_PATH=<path> FC_REPLAY_PATH=<replayPath> npx jest tests/fuzz/model-<name>
// (FC_RUNS=<n> for a longer campaign; MODEL_STRICT=1 stops tolerating the known deviations.)

import fc from 'fast-check';
import { Host } from '../../src/host';
import { VirtualDisk } from '../../src/device/virtual-disk';
import type { DiskOptions } from '../../src/device/disk-options';
import type { IoResult } from '../../src/dispatch/io-manager';
import { codeName } from '../../src/codecs/ioctl-codes';
import { statusName, STATUS_SUCCESS } from '../../src/codecs/ntstatus';

export const GENERIC_READ = 0x80000000;
export const GENERIC_WRITE = 0x40000000;
export const FILE_READ_ATTRIBUTES = 0x00000080;
/** the default access of `open`: GENERIC_READ | GENERIC_WRITE */
export const READ_WRITE = (GENERIC_READ | GENERIC_WRITE) >>> 0;

/** What the model says a call returns; `output` is the exact bytes, or a predicate returning a complaint. */
export interface Expected {
  readonly status: number;
  readonly information?: number;
  readonly output?: Uint8Array | ((actual: Uint8Array) => string | undefined);
  /** the spec section that decides the answer, printed on a mismatch */
  readonly why?: string;
  /**
   * A known deviation (STYLE.md: "a checked-in list of known deviations"): the implementation's status, which
   * is tolerated — with the same Information and output — while its regression scenario fails. MODEL_STRICT=1
   * turns the tolerance off, to see whether the fix has landed.
   */
  readonly knownDeviation?: { readonly status: number; readonly regression: string };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const short = (h: string): string => (h.length > 64 ? `${h.slice(0, 64)}…(${h.length / 2} bytes)` : h);

/** fc.assert parameters: the global seed (tests/setup/fast-check.ts) plus FC_PATH to replay one shrunk case. */
export function assertParams(numRuns: number): fc.Parameters<unknown> {
  const runs = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : numRuns;
  return { numRuns: runs, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) };
}

/** fc.commands options: `maxCommands`, full-size sequences, and FC_REPLAY_PATH (the replayPath fc prints). */
export function commandsOptions(maxCommands: number): { maxCommands: number; size: 'max'; replayPath?: string } {
  return { maxCommands, size: 'max', ...(process.env.FC_REPLAY_PATH ? { replayPath: process.env.FC_REPLAY_PATH } : {}) };
}

/** A failed model check: names the step, both answers, the spec section, and the replayable scenario. */
export class ModelMismatch extends Error {
  override name = 'ModelMismatch';
}

/**
 * The real system plus the scenario transcript. Handles are named h1, h2, … in opening order (the ids the
 * host hands out are kept private to the transcript).
 */
export class Sut {
  readonly host: Host;
  readonly disk: VirtualDisk;
  private readonly lines: string[] = [];
  private readonly names = new Map<number, string>();
  private opened = 0;

  constructor(options: DiskOptions, private readonly title: string) {
    this.disk = new VirtualDisk(options);
    this.host = new Host(this.disk);
    this.lines.push(JSON.stringify({ op: 'disk', ...options }));
  }

  nameOf(h: number): string {
    return this.names.get(h) ?? `h?${h}`;
  }

  open(process: string, initiator: string, access: number): number {
    const h = this.host.open({ process, initiator, access });
    const name = `h${++this.opened}`;
    this.names.set(h, name);
    this.lines.push(JSON.stringify({ op: 'open', handle: name, process, initiator, access }));
    if (h < 0) this.fail('open', `open returned ${h}`, undefined);
    return h;
  }

  ioctl(h: number, code: number, input: Uint8Array, outputLength: number, exp: Expected): IoResult {
    const r = this.host.deviceIoControl(h, code, input, outputLength);
    const line: Record<string, unknown> = { op: 'ioctl', handle: this.nameOf(h), code: codeName(code) ?? `0x${code.toString(16)}` };
    if (input.length > 0) line.input = hex(input);
    if (outputLength !== 0) line.outputLength = outputLength;
    this.step(line, r, exp);
    return r;
  }

  read(h: number, lba: number, sectors: number, exp: Expected): IoResult {
    const r = this.host.read(h, lba, sectors);
    this.step({ op: 'read', handle: this.nameOf(h), lba, sectors }, r, exp);
    return r;
  }

  write(h: number, lba: number, sectors: number, fill: number, sectorSize: number, exp: Expected): IoResult {
    const r = this.host.write(h, lba, new Uint8Array(sectors * sectorSize).fill(fill));
    this.step({ op: 'write', handle: this.nameOf(h), lba, sectors, fill }, r, exp);
    return r;
  }

  close(h: number): void {
    const r = this.host.close(h);
    this.step({ op: 'close', handle: this.nameOf(h) }, r, { status: STATUS_SUCCESS, why: 'io-manager.md §6: close always succeeds' });
  }

  exit(process: string): void {
    const r = this.host.exitProcess(process);
    this.step({ op: 'exit', process }, r, { status: STATUS_SUCCESS, why: 'io-manager.md §6' });
  }

  powerCycle(): void {
    const r = this.host.powerCycle();
    this.lines.push(JSON.stringify({ op: 'power-cycle' }));
    if (!r.ok) this.fail('power-cycle', r.message, undefined);
  }

  reboot(): void {
    const r = this.host.reboot();
    this.lines.push(JSON.stringify({ op: 'reboot' }));
    if (!r.ok) this.fail('reboot', r.message, undefined);
  }

  /** Adds a comment line to the transcript (why the model expects what it expects). */
  note(text: string): void {
    this.lines.push(`# ${text}`);
  }

  private step(line: Record<string, unknown>, r: IoResult, exp: Expected): void {
    const expect: Record<string, unknown> = { status: statusName(exp.status) };
    if (exp.information !== undefined) expect.information = exp.information;
    if (exp.output instanceof Uint8Array) expect.output = hex(exp.output);
    this.lines.push(JSON.stringify({ ...line, expect }));
    const problems: string[] = [];
    const tolerated = exp.knownDeviation !== undefined && process.env.MODEL_STRICT !== '1' && r.status === exp.knownDeviation.status;
    if (r.status !== exp.status && !tolerated) problems.push('status');
    if (exp.information !== undefined && r.information !== exp.information) problems.push('information');
    let complaint: string | undefined;
    if (exp.output instanceof Uint8Array) {
      if (hex(r.output) !== hex(exp.output)) {
        problems.push('output');
        const at = firstDifference(r.output, exp.output);
        complaint = `first difference at byte ${at}: expected ${hex(exp.output.subarray(at, at + 8))}, actual ${hex(r.output.subarray(at, at + 8))}`;
      }
    } else if (exp.output !== undefined) {
      complaint = exp.output(r.output);
      if (complaint !== undefined) problems.push('output');
    }
    if (problems.length === 0) return;
    const want = `${statusName(exp.status)}${exp.information !== undefined ? ` information ${exp.information}` : ''}${
      exp.output instanceof Uint8Array ? ` output ${short(hex(exp.output))}` : ''}`;
    const got = `${statusName(r.status)} information ${r.information} output ${short(hex(r.output))}${complaint ? ` (${complaint})` : ''}`;
    this.fail(String(line.op), `mismatch in ${problems.join(', ')}\n  expected (spec): ${want}\n  actual:          ${got}`, exp.why);
  }

  private fail(op: string, detail: string, why: string | undefined): never {
    throw new ModelMismatch(
      `${this.title}: model check failed at ${op} (step ${this.lines.length - 1})\n${detail}\n` +
      `${why ? `  spec: ${why}\n` : ''}` +
      `scenario (spec answers in "expect"; save as tests/regressions/<name>.jsonl, replay with \`vdisk run\`):\n` +
      this.lines.join('\n'),
    );
  }
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Picks the open handle a command means: its index modulo the open handles (STYLE.md). */
export function pick<T>(list: readonly T[], index: number): T {
  return list[index % list.length]!;
}

/** 32-bit little-endian bytes. */
export function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}

/**
 * Unit attentions as the host sees them (scsi-device.md §5, class-driver.md §10.1): a queue per initiator,
 * for every initiator including those the device has not heard from; a power-on replaces every queue with
 * 29h/00h, a load adds 28h/00h (never twice), a reboot or creation leaves nothing pending. Any command that
 * reaches the device consumes the whole queue, each condition adding one to the path's MediaChangeCount.
 */
export class UnitAttentionModel {
  readonly pending = new Map<string, string[]>();
  readonly mcc = new Map<string, number>();
  constructor(readonly initiators: readonly string[]) {
    this.reboot();
  }
  powerOn(): void {
    for (const i of this.initiators) this.pending.set(i, ['29/00']);
  }
  mediumLoaded(): void {
    for (const i of this.initiators) {
      const q = this.pending.get(i)!;
      if (!q.includes('28/00')) q.push('28/00');
    }
  }
  reboot(): void {
    for (const i of this.initiators) {
      this.pending.set(i, []);
      this.mcc.set(i, 0);
    }
  }
  /** a command from `initiator` reaches the device: every pending condition is reported and retried */
  consume(initiator: string): void {
    const q = this.pending.get(initiator)!;
    this.mcc.set(initiator, this.mcc.get(initiator)! + q.length);
    this.pending.set(initiator, []);
  }
}
