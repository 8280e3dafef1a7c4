// The class driver's per-initiator state (spec/class-driver.md §1; io-manager.md §1: one disk device per
// path to the LUN). Created zeroed when a path is first used, kept across a device power cycle, dropped by a
// reboot. InternalLockCount and PagingPathCount are always 0 in vdisk and therefore not stored.

import type { Initiator } from '../../device/scsi';
import type { PathState } from '../handler';

export function newPathState(initiator: Initiator): PathState {
  return {
    initiator,
    lockCount: 0,
    protectedLockCount: 0,
    mediaChangeCount: 0,
    noReserve6: false,
    extensions: new Map(),
  };
}

/** JSON-comparable copy of the class-driver fields (extensions are snapshotted by their owners). */
export interface PathSnapshot {
  readonly initiator: Initiator;
  readonly lockCount: number;
  readonly protectedLockCount: number;
  readonly mediaChangeCount: number;
  readonly noReserve6: boolean;
}

export function snapshotPath(p: PathState): PathSnapshot {
  return {
    initiator: p.initiator,
    lockCount: p.lockCount,
    protectedLockCount: p.protectedLockCount,
    mediaChangeCount: p.mediaChangeCount,
    noReserve6: p.noReserve6,
  };
}

/** ULONG arithmetic: the class driver's counters wrap at 2^32 like the C fields they model. */
export function ulongInc(n: number): number {
  return (n + 1) >>> 0;
}

export function ulongDec(n: number): number {
  return (n - 1) >>> 0;
}
