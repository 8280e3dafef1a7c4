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
import { describeOp, type FuzzCase, type FuzzOp } from './case';

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
 * state is left out of the comparison, so that creating it is not counted as a change.
 */
function pristine(v: unknown): boolean {
  if (v === 0 || v === false || v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).every(([k, x]) => k === 'initiator' || pristine(x));
  return false;
}

type Snapshot = { host: { paths: Record<string, unknown>[] }; device: Record<string, unknown> };

function snapshotOf(host: Host, disk: VirtualDisk): Snapshot {
  const s = JSON.parse(JSON.stringify({ host: host.snapshot(), device: disk.snapshot() }, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))) as Snapshot;
  delete s.device.unitAttentions;
  for (const p of s.host.paths) {
    delete p.mediaChangeCount;
    delete p.noReserve6;
  }
  s.host.paths = s.host.paths.filter((p) => !pristine(p));
  return s;
}

/** The comparable form of a snapshot; with `powerLost`, the power-loss entry of the allow-list applies. */
function comparable(s: Snapshot, powerLost: boolean): string {
  return JSON.stringify(powerLost ? { host: s.host } : s);
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export interface OracleOptions {
  /** compare snapshots around failing calls (the most expensive check) */
  readonly checkState?: boolean;
  /** re-run the case on a fresh disk and compare results */
  readonly checkDeterminism?: boolean;
}

function targetOf(op: FuzzOp): string {
  if (op.op === 'ioctl') {
    const looked = lookupCode(op.code);
    return looked === undefined ? 'unknown' : codeName(looked) ?? 'unknown';
  }
  return op.op;
}

/** Runs a case once; returns its step results and the invariants it broke. Never throws. */
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
  const handles: number[] = [];
  const pick = (i: number): number => (handles.length === 0 ? -1 : handles[i % handles.length]!);
  c.ops.forEach((op, step) => {
    const target = targetOf(op);
    const fail = (invariant: Invariant, detail: string, status?: number): void => {
      violations.push({ invariant, target, step, op: describeOp(op), detail, ...(status === undefined ? {} : { status: statusName(status) }) });
    };
    try {
      if (op.op === 'open') { handles.push(host.open({ process: op.process, initiator: op.initiator, access: op.access })); return; }
      if (op.op === 'close') { host.close(pick(op.handle)); return; }
      if (op.op === 'exit') { host.exitProcess(op.process); return; }
      if (op.op === 'power-cycle') { host.powerCycle(); return; }
      if (op.op === 'reboot') { host.reboot(); return; }
      if (op.op === 'inject') { disk.injectPowerLoss(op.afterWrites); return; }
      const wasOff = disk.isOff;
      const before = opts.checkState === false ? undefined : snapshotOf(host, disk);
      let r: { status: number; information: number; output: Uint8Array };
      let allowed: ReadonlySet<number>;
      let outLimit: number;
      if (op.op === 'ioctl') {
        r = host.deviceIoControl(pick(op.handle), op.code, op.input, op.outputLength);
        allowed = target === 'unknown' ? new Set(UNKNOWN_CODE_STATUSES) : allowedStatuses(target) ?? new Set(UNKNOWN_CODE_STATUSES);
        outLimit = op.outputLength;
      } else if (op.op === 'read') {
        r = host.read(pick(op.handle), op.lba, op.sectors);
        allowed = READ_WRITE_STATUSES;
        outLimit = Number.MAX_SAFE_INTEGER;
      } else {
        const size = c.disk.sectorSize ?? 512;
        r = host.write(pick(op.handle), op.lba, new Uint8Array(op.sectors * size).fill(op.fill));
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
      if (before !== undefined && !ntSuccess(r.status)) {
        const lost = !wasOff && disk.isOff;
        const a = comparable(before, lost);
        const after = comparable(snapshotOf(host, disk), lost);
        if (after !== a) fail('state', `state changed by a failing call:\n  before ${a}\n  after  ${after}`, r.status);
      }
    } catch (e) {
      fail('threw', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  });
  if (opts.checkDeterminism) {
    const again = runCase(c, { checkState: false, checkDeterminism: false });
    const a = JSON.stringify(results);
    const b = JSON.stringify(again.results);
    if (a !== b) violations.push({ invariant: 'determinism', target: 'case', step: -1, op: 'replay', detail: 'a second run of the same case gave different results' });
  }
  return { results, violations };
}
