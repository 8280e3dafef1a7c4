// Replays a parsed scenario on a VirtualDisk through the public Host API only (ARCHITECTURE.md: "everything a
// user can script is something the library does"), producing one result per op exactly as
// scenario-format.md "Results" prints it, and comparing each `expect`. Also the library entry the fuzz
// campaign uses to replay its saved counterexamples.

import { codeName } from '../codecs/ioctl-codes';
import {
  hexStatus, statusName, STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_IO_DEVICE_ERROR, STATUS_SUCCESS,
  win32Error,
} from '../codecs/ntstatus';
import type { DiskOptions } from '../device/disk-options';
import type { BlockStore } from '../device/store';
import { VirtualDisk } from '../device/virtual-disk';
import { registerBandSilo } from '../dispatch/band-silo';
import { Host, INVALID_HANDLE_VALUE, type IoResult } from '../host';
import { toHex } from './layout-value';
import { parseScenario, type Expectation, type Scenario, type ScenarioError, type Step } from './parse';

/** One line of `vdisk run --format json` (scenario-format.md "Results"). */
export interface StepResult {
  readonly line: number;
  readonly op: Step['op'];
  /** ioctl only: the code's name in ioctl-codes.md §3, or its hex when the table does not name it */
  readonly code?: string;
  readonly status: string;
  readonly ntstatus: string;
  readonly win32: number;
  readonly information: number;
  /** hex of the returned bytes (for read, the data) */
  readonly output: string;
  /** present, and false, only when an expectation was not met */
  readonly ok?: false;
  /** the expected values, beside the result, when `ok` is false */
  readonly expected?: { readonly status?: string; readonly information?: number; readonly output?: string };
  /** why an op that is not a device request failed (a store that could not come back at power-up) */
  readonly message?: string;
}

export interface RunOptions {
  /** run on this store (an image) instead of a new in-memory one; its geometry must match the disk options */
  readonly store?: BlockStore;
  /** library-only disk options merged over the scenario's (e.g. a persistent-reservation engine under test) */
  readonly diskOptions?: Partial<DiskOptions>;
  /** called with each result as soon as it is known (the CLI prints as the run goes) */
  readonly onResult?: (result: StepResult) => void;
}

export type RunOutcome =
  | {
    readonly ok: true;
    readonly results: readonly StepResult[];
    /** results whose expectation failed */
    readonly failed: number;
    readonly host: Host;
    readonly disk: VirtualDisk;
  }
  | { readonly ok: false; readonly error: ScenarioError };

/**
 * Replays `scenario`. The only error value is a disk that cannot be created (bad options, a store whose
 * geometry differs); every op then yields a result. Expectation failures do not stop the run.
 */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunOutcome {
  // The band-management silo adds its rows to the one dispatch table; idempotent.
  const silo = registerBandSilo();
  if (!silo.ok) return { ok: false, error: { line: 0, message: `band-management silo could not be registered: ${JSON.stringify(silo)}` } };
  const diskLine = scenario.steps.find((s) => s.op === 'disk')?.line ?? 0;
  const created = VirtualDisk.create({
    ...scenario.disk,
    ...options.diskOptions,
    ...(options.store !== undefined ? { store: options.store } : {}),
  });
  if (!created.ok) {
    return { ok: false, error: { line: diskLine, field: created.error.option, message: `line ${diskLine}: ${created.error.message}` } };
  }
  const disk = created.disk;
  const host = new Host(disk);
  const handles = new Map<string, number>();
  const results: StepResult[] = [];
  let failed = 0;
  for (const step of scenario.steps) {
    const r = check(step, execute(step, host, disk, handles));
    if (r.ok === false) failed++;
    results.push(r);
    options.onResult?.(r);
  }
  return { ok: true, results, failed, host, disk };
}

/** Parses and replays scenario text: for the fuzz campaign's saved counterexamples and tests. */
export function runScenarioText(
  text: string, options: RunOptions = {},
): RunOutcome | { readonly ok: false; readonly errors: readonly ScenarioError[] } {
  const parsed = parseScenario(text);
  if (!parsed.ok) return parsed;
  return runScenario(parsed.value, options);
}

interface Raw {
  readonly status: number;
  readonly information: number;
  readonly output: Uint8Array;
  readonly code?: number;
  readonly message?: string;
}

const EMPTY = new Uint8Array(0);
const SUCCESS: Raw = { status: STATUS_SUCCESS, information: 0, output: EMPTY };

function fromIo(r: IoResult, code?: number): Raw {
  return { status: r.status, information: r.information, output: r.output, ...(code !== undefined ? { code } : {}) };
}

function execute(step: Step, host: Host, disk: VirtualDisk, handles: Map<string, number>): Raw {
  // A name the file opened but whose open failed, or that was never bound, is an invalid handle.
  const handle = (name: string): number => handles.get(name) ?? INVALID_HANDLE_VALUE;
  switch (step.op) {
    case 'disk':
      return SUCCESS;
    case 'open': {
      const h = host.open({ process: step.process, initiator: step.initiator, access: step.access });
      handles.set(step.handle, h);
      return h === INVALID_HANDLE_VALUE ? { status: STATUS_INVALID_PARAMETER, information: 0, output: EMPTY } : SUCCESS;
    }
    case 'ioctl':
      return fromIo(host.deviceIoControl(handle(step.handle), step.code, step.input, step.outputLength), step.code);
    case 'read':
      return fromIo(host.read(handle(step.handle), step.lba, step.sectors));
    case 'write':
      return fromIo(host.write(handle(step.handle), step.lba, step.data));
    case 'close': {
      const h = handles.get(step.handle);
      return h === undefined ? { status: STATUS_INVALID_HANDLE, information: 0, output: EMPTY } : fromIo(host.close(h));
    }
    case 'exit':
      return fromIo(host.exitProcess(step.process));
    case 'power-cycle':
    case 'reboot': {
      const p = step.op === 'reboot' ? host.reboot() : host.powerCycle();
      return p.ok ? SUCCESS : { status: STATUS_IO_DEVICE_ERROR, information: 0, output: EMPTY, message: p.message };
    }
    case 'inject': {
      if (step.fault === 'band-failure') {
        disk.injectBandFailure(step.band);
        return SUCCESS;
      }
      const r = disk.injectPowerLoss(step.afterWrites);
      return r.ok ? SUCCESS : { status: STATUS_INVALID_PARAMETER, information: 0, output: EMPTY, message: r.message };
    }
  }
}

function check(step: Step, raw: Raw): StepResult {
  const output = toHex(raw.output);
  const result: StepResult = {
    line: step.line,
    op: step.op,
    ...(raw.code !== undefined ? { code: codeName(raw.code) ?? hexStatus(raw.code) } : {}),
    status: statusName(raw.status),
    ntstatus: hexStatus(raw.status),
    win32: win32Error(raw.status),
    information: raw.information,
    output,
    ...(raw.message !== undefined ? { message: raw.message } : {}),
  };
  const e = step.expect;
  if (e === undefined || meets(e, raw.status, raw.information, output)) return result;
  return {
    ...result,
    ok: false,
    expected: {
      ...(e.status !== undefined ? { status: statusName(e.status) } : {}),
      ...(e.information !== undefined ? { information: e.information } : {}),
      ...(e.output !== undefined ? { output: e.output } : {}),
    },
  };
}

function meets(e: Expectation, status: number, information: number, output: string): boolean {
  return (e.status === undefined || e.status === status >>> 0)
    && (e.information === undefined || e.information === information)
    && (e.output === undefined || e.output === output);
}
