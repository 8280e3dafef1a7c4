// The fuzz oracle (issue 7): runs a case through the public API (Host + VirtualDisk) and checks, after every
// request, the invariants of STYLE.md "Fuzzing practice":
//   - the call never throws and always returns;
//   - the status is one the spec lists for that IOCTL (statuses.ts);
//   - Information ≤ OutputBufferLength (except the band size query) and nothing beyond Information comes back;
//     an error reports Information 0 and no data (io-manager.md §4);
//   - a failing call leaves host and device state exactly as before, except the side effects in ONE
//     allow-list (ALLOWED_SIDE_EFFECTS below, each entry citing the spec);
//   - the same case on a fresh disk gives byte-identical results (determinism).

import { Host } from '../host';
import { VirtualDisk } from '../device/virtual-disk';
import { lookupCode } from '../dispatch/dispatcher';
import { codeName } from '../codecs/ioctl-codes';
import { ntSuccess, severity, statusName, STATUS_BUFFER_OVERFLOW } from '../codecs/ntstatus';
import { BAND_STATUSES } from '../dispatch/band-silo';
import { allowedStatuses, registerStatuses, READ_WRITE_STATUSES, UNKNOWN_CODE_STATUSES } from './statuses';
import { describeOp, HandleTable, type FuzzCase, type FuzzOp } from './case';

registerStatuses(BAND_STATUSES);

export type Invariant = 'threw' | 'status' | 'information' | 'output' | 'state' | 'determinism' | 'setup';

export interface Violation {
  readonly invariant: Invariant;
  /** the IOCTL name (after the legacy alias rule), 'unknown', 'read', 'write' or the op */
  readonly target: string;
  readonly status?: string;
  /** index of the op in the case */
  readonly step: number;
  readonly op: string;
  readonly detail: string;
}

export interface StepResult {
  readonly target: string;
  readonly status: number;
  readonly information: number;
  readonly output: string;
}

export interface CaseReport {
  readonly results: StepResult[];
  readonly violations: Violation[];
}

/**
 * The side effects a failing request may have (STYLE.md: one explicit allow-list the oracle reads). Each
 * path removes a part of the JSON snapshot before the before/after comparison.
 */
export const ALLOWED_SIDE_EFFECTS: readonly { readonly path: string; readonly why: string }[] = [
  { path: 'device.unitAttentions', why: 'a reported unit attention is consumed (scsi-device.md §5, class-driver.md §10.1)' },
  { path: 'host.paths[].mediaChangeCount', why: 'every unit attention met increments MediaChangeCount (class-driver.md §10.1)' },
  { path: 'host.paths[].noReserve6', why: 'FDO_HACK_NO_RESERVE6 is set when RESERVE(6)/RELEASE(6) is rejected (class-driver.md §3)' },
  {
    path: 'device',
    why: 'an injected power loss firing during the request: the device turns off and answers nothing until it is powered up; ' +
      'the writes that reached the store stay, and what it holds after power-up is the old or the new committed state, ' +
      'never a mix (scenario-format.md `inject`, scsi-device.md §6, persistent-reservations.md §8, band-management.md D2 step 11) — ' +
      'checked after power-up by the store, reservation and band power-loss tests, not here',
  },
];

/**
 * A path's state is created, zeroed, at its first request (class-driver.md §1); a path in that pristine
 * state is left out of the comparison, so that creating it is not counted as a change. `v` is judged by its
 * JSON form (what the comparison sees): a bigint is a non-empty string, a non-finite number is null, a
 * function or symbol is left out, a Map or Set is `{}`, an object with toJSON is what toJSON returns.
 */
function pristine(v: unknown): boolean {
  switch (typeof v) {
    case 'undefined': case 'function': case 'symbol': return true;
    case 'bigint': return false;
    case 'number': return v === 0 || !Number.isFinite(v);
    case 'string': return v === '';
    case 'boolean': return v === false;
    default: break;
  }
  if (v === null) return true;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return pristine(JSON.parse(stringify(v) ?? 'null'));
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (k !== 'initiator' && !pristine((v as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const bigints = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);

/**
 * JSON with a BigInt written as `123n`. The replacer costs a call per value, so it is used only when plain
 * JSON.stringify refuses (it throws a TypeError on a BigInt); both give the same text otherwise.
 */
function stringify(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return JSON.stringify(v, bigints);
  }
}

/**
 * The comparable state of host and device: the JSON of each snapshot with the allow-list's paths removed
 * (`device.unitAttentions`, `host.paths[].mediaChangeCount`, `host.paths[].noReserve6`) and pristine paths
 * left out. `{"host":H,"device":D}` is the whole comparable snapshot; with a power loss during the request
 * the allow-list's `device` entry applies and `{"host":H}` is compared.
 */
interface State {
  readonly host: string;
  readonly device: string;
}

function stateOf(host: Host, disk: VirtualDisk): State {
  const h = host.snapshot() as unknown as { paths: Record<string, unknown>[] };
  const { unitAttentions: _ua, ...device } = disk.snapshot() as unknown as Record<string, unknown>;
  const paths: Record<string, unknown>[] = [];
  for (const p of h.paths) {
    const { mediaChangeCount: _m, noReserve6: _n, ...rest } = p;
    if (!pristine(rest)) paths.push(rest);
  }
  return { host: stringify({ ...h, paths }), device: stringify(device) };
}

/** The comparable form of a state; with `powerLost`, the power-loss entry of the allow-list applies. */
function comparable(s: State, powerLost: boolean): string {
  return powerLost ? `{"host":${s.host}}` : `{"host":${s.host},"device":${s.device}}`;
}

const isRequest = (op: FuzzOp | undefined): boolean => op !== undefined && (op.op === 'ioctl' || op.op === 'read' || op.op === 'write');

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export interface OracleOptions {
  /** compare snapshots around failing calls (the most expensive check) */
  readonly checkState?: boolean;
  /** re-run the case on a fresh disk and compare results */
  readonly checkDeterminism?: boolean;
}

const targets = new Map<number, string>();

function targetOf(op: FuzzOp): string {
  if (op.op !== 'ioctl') return op.op;
  let t = targets.get(op.code);
  if (t === undefined) {
    const looked = lookupCode(op.code);
    t = looked === undefined ? 'unknown' : codeName(looked) ?? 'unknown';
    if (t !== 'unknown') targets.set(op.code, t); // a code unknown now may be registered later (band silo)
  }
  return t;
}

const UNKNOWN = new Set(UNKNOWN_CODE_STATUSES);
const allowedByTarget = new Map<string, ReadonlySet<number>>();

function allowedFor(target: string): ReadonlySet<number> {
  let a = allowedByTarget.get(target);
  if (a === undefined) {
    const row = target === 'unknown' ? undefined : allowedStatuses(target);
    if (row === undefined) return UNKNOWN;
    a = row;
    allowedByTarget.set(target, a);
  }
  return a;
}

/**
 * Runs a case once; returns its step results and the invariants it broke. Never throws.
 *
 * The state check takes the comparable state (JSON of host + device snapshots) before every request and
 * after every failing one. The state after request k is also the state before request k+1 when nothing ran
 * in between (the next op is a request too): it is then taken once and used twice. Every other op (open,
 * close, exit, power, inject) invalidates it.
 */
export function runCase(c: FuzzCase, opts: OracleOptions = {}): CaseReport {
  const violations: Violation[] = [];
  const results: StepResult[] = [];
  const created = VirtualDisk.create(c.disk);
  if (!created.ok) {
    violations.push({ invariant: 'setup', target: 'disk', step: -1, op: 'disk', detail: JSON.stringify(created.error) });
    return { results, violations };
  }
  const disk = created.disk;
  const host = new Host(disk);
  const checkState = opts.checkState !== false;
  const sectorSize = c.disk.sectorSize ?? 512;
  const handles = new HandleTable<number>(-1); // what an op's handle index names (case.ts)
  let current: State | undefined; // the state as it is now, when already taken
  const ops = c.ops;
  for (let step = 0; step < ops.length; step++) {
    const op = ops[step]!;
    const target = targetOf(op);
    const fail = (invariant: Invariant, detail: string, status?: number): void => {
      violations.push({ invariant, target, step, op: describeOp(op), detail, ...(status === undefined ? {} : { status: statusName(status) }) });
    };
    const reusable = current;
    current = undefined;
    try {
      switch (op.op) {
        case 'open': handles.opened(host.open({ process: op.process, initiator: op.initiator, access: op.access }), op.process); continue;
        case 'close': { const h = handles.pick(op.handle); host.close(h); handles.close(h); continue; }
        case 'exit': host.exitProcess(op.process); handles.exit(op.process); continue;
        case 'power-cycle': host.powerCycle(); continue;
        case 'reboot': host.reboot(); handles.reboot(); continue;
        case 'inject': disk.injectPowerLoss(op.afterWrites); continue;
        default: break;
      }
      const wasOff = disk.isOff;
      const before = checkState ? reusable ?? stateOf(host, disk) : undefined;
      let r: { status: number; information: number; output: Uint8Array };
      let allowed: ReadonlySet<number>;
      let outLimit: number;
      if (op.op === 'ioctl') {
        r = host.deviceIoControl(handles.pick(op.handle), op.code, op.input, op.outputLength);
        allowed = allowedFor(target);
        outLimit = op.outputLength;
      } else if (op.op === 'read') {
        r = host.read(handles.pick(op.handle), op.lba, op.sectors);
        allowed = READ_WRITE_STATUSES;
        outLimit = Number.MAX_SAFE_INTEGER;
      } else {
        r = host.write(handles.pick(op.handle), op.lba, new Uint8Array(op.sectors * sectorSize).fill(op.fill));
        allowed = READ_WRITE_STATUSES;
        outLimit = 0;
      }
      results.push({ target, status: r.status, information: r.information, output: hex(r.output) });
      if (!allowed.has(r.status)) fail('status', `${statusName(r.status)} is not a status the spec lists for ${target}`, r.status);
      const sev = severity(r.status);
      if (sev === 'error' && (r.information !== 0 || r.output.length !== 0)) {
        fail('information', `error status with information ${r.information} and ${r.output.length} output bytes`, r.status);
      }
      if (r.output.length > r.information && op.op !== 'write') fail('output', `${r.output.length} output bytes but information ${r.information}`, r.status);
      if (r.output.length > outLimit) fail('output', `${r.output.length} output bytes for an output buffer of ${outLimit}`, r.status);
      if (op.op === 'ioctl' && r.information > op.outputLength && r.status !== STATUS_BUFFER_OVERFLOW) {
        fail('information', `information ${r.information} > OutputBufferLength ${op.outputLength}`, r.status);
      }
      if (before !== undefined) {
        const failed = !ntSuccess(r.status);
        if (failed || isRequest(ops[step + 1])) {
          const after = stateOf(host, disk);
          if (failed) {
            const lost = !wasOff && disk.isOff;
            if (after.host !== before.host || (!lost && after.device !== before.device)) {
              fail('state', `state changed by a failing call:\n  before ${comparable(before, lost)}\n  after  ${comparable(after, lost)}`, r.status);
            }
          }
          current = after;
        }
      }
    } catch (e) {
      fail('threw', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  }
  if (opts.checkDeterminism) {
    const again = runCase(c, { checkState: false, checkDeterminism: false });
    const a = JSON.stringify(results);
    const b = JSON.stringify(again.results);
    if (a !== b) violations.push({ invariant: 'determinism', target: 'case', step: -1, op: 'replay', detail: 'a second run of the same case gave different results' });
  }
  return { results, violations };
}
