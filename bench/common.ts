// Shared helpers for the dispatch / fuzz / io / growth groups (issue 8): disks and hosts built only through
// the public API, inputs built with the layout DSL, and the result row every group returns.
import { Host } from '../src/host';
import { VirtualDisk } from '../src/device/virtual-disk';
import type { DiskOptions } from '../src/device/disk-options';
import { statusName } from '../src/codecs/ntstatus';
import { layouts } from '../src/codecs/layouts';
import { codeByName } from '../src/codecs/ioctl-codes';
import type { Comparison, Measurement } from './harness';

const code = (name: string): number => codeByName(name)!.value;
export const CODE = {
  MEDIA_REMOVAL: code('IOCTL_STORAGE_MEDIA_REMOVAL'),
  PR_IN: code('IOCTL_STORAGE_PERSISTENT_RESERVE_IN'),
  PR_OUT: code('IOCTL_STORAGE_PERSISTENT_RESERVE_OUT'),
  CREATE_BAND: code('IOCTL_EHSTOR_BANDMGMT_CREATE_BAND'),
  SET_BAND_SECURITY: code('IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY'),
} as const;

export interface Rig {
  readonly disk: VirtualDisk;
  readonly host: Host;
  readonly h: number;
}

export function rig(options: DiskOptions = {}, initiator = 'host0'): Rig {
  const disk = new VirtualDisk(options);
  const host = new Host(disk);
  const h = host.open({ initiator });
  return { disk, host, h };
}

/** Throws unless `status` is STATUS_SUCCESS: a benchmark of a failing path would measure the wrong thing. */
export function expectOk(what: string, status: number): void {
  if (status !== 0) throw new Error(`${what}: ${statusName(status)}`);
}

/** A PERSISTENT_RESERVE_COMMAND for PR OUT with its PRO_PARAMETER_LIST at byte 10: 36 bytes (layouts.md §1). */
export function prOutInput(serviceAction: number, type: number, key: bigint, saKey: bigint): Uint8Array {
  const out = new Uint8Array(36);
  out.set(layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Version: 12, Size: 36, PR_OUT: { ServiceAction: serviceAction, Type: type, Scope: 0 } }), 0);
  out.set(layouts.PRO_PARAMETER_LIST.bytes({ ReservationKey: key, ServiceActionReservationKey: saKey }), 10);
  return out;
}

/** A PERSISTENT_RESERVE_COMMAND for PR IN (12 bytes). */
export function prInInput(serviceAction: number, allocationLength: number): Uint8Array {
  return layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Version: 12, Size: 12, PR_IN: { ServiceAction: serviceAction, AllocationLength: allocationLength } });
}

/** A result row that is a measurement against a goal stated in ops/s (no same-process baseline needed). */
export function throughputRow(group: string, m: Measurement, base: Measurement, goal?: { text: string; met: boolean }): Comparison {
  return { group, subject: m, baseline: base, ratio: m.nsPerOp / base.nsPerOp, ...(goal ? { goal: goal.text, met: goal.met } : {}) };
}

export const quickOpts = (quick: boolean, ops: number, rounds = 7): { ops: number; rounds: number; warmup: number } =>
  quick ? { ops: Math.max(1, Math.floor(ops / 10)), rounds: 3, warmup: Math.max(1, Math.floor(ops / 10)) } : { ops, rounds, warmup: Math.min(ops, 50_000) };
