// Unit attention conditions, kept per initiator (scsi-device.md §5): a queue per I_T nexus, reported one
// per command oldest first, a condition already pending is not queued twice, and POWER ON (29h/00h)
// replaces everything pending. The persistent-reservation engine establishes its 2Ah/xxh conditions
// through this object (persistent-reservations.md §7).
//
// "Every initiator" includes initiators the device has not heard from yet: a nexus that first appears
// after a power cycle still has the power-on condition pending (it was never told). So conditions
// established for 'all' also go into `forNew`, the queue a not-yet-seen initiator starts with. Conditions
// are packed as asc << 8 | ascq numbers so the per-command path allocates nothing.

import type { Initiator, SenseTriple } from './scsi';
import { SCSI_SENSE_UNIT_ATTENTION, SENSE_NOT_READY_TO_READY_CHANGE, SENSE_POWER_ON_RESET } from '../codecs/scsi/sense';

// The codec's named sense codes (src/codecs/scsi/sense.ts), under the names this layer uses.
export const SENSE_KEY_UNIT_ATTENTION = SCSI_SENSE_UNIT_ATTENTION;
/** 29h/00h POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (scsi-device.md §5) */
export const UA_POWER_ON = SENSE_POWER_ON_RESET;
/** 28h/00h NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED (scsi-device.md §3.2 step 5) */
export const UA_MEDIUM_CHANGED = SENSE_NOT_READY_TO_READY_CHANGE;

/** who receives a condition: named initiators, every initiator, or every initiator but one */
export type UnitAttentionTarget = readonly Initiator[] | 'all' | { readonly except: Initiator };

/**
 * JSON-comparable state. An initiator whose queue equals `forNew` behaves exactly like one never seen
 * (every later establish, power-on or clear treats both alike), so only queues that differ from `forNew`
 * are listed, in initiator-name order: two devices in the same state give equal snapshots.
 */
export interface UnitAttentionsSnapshot {
  readonly queues: Readonly<Record<Initiator, readonly string[]>>;
  readonly forNew: readonly string[];
}

/** "29h/00h": the snapshot spelling of a condition */
function label(code: number): string {
  return `${hex2(code >>> 8)}h/${hex2(code & 0xff)}h`;
}
function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export class UnitAttentions {
  private readonly queues = new Map<Initiator, number[]>();
  /** the queue an initiator starts with the first time it is seen */
  private forNew: number[] = [];

  /** Establishes asc/ascq for `who`; a condition already pending for an initiator is not queued twice. */
  establish(who: UnitAttentionTarget, asc: number, ascq: number): void {
    const code = ((asc & 0xff) << 8) | (ascq & 0xff);
    if (who === 'all' || !Array.isArray(who)) {
      const except = who === 'all' ? undefined : (who as { readonly except: Initiator }).except;
      // the excluded initiator must not inherit the condition through forNew when first seen
      if (except !== undefined) this.queueOf(except);
      for (const [initiator, queue] of this.queues) if (initiator !== except) push(queue, code);
      push(this.forNew, code);
      return;
    }
    for (const initiator of who as readonly Initiator[]) push(this.queueOf(initiator), code);
  }

  /** Power-on (scsi-device.md §6): 29h/00h replaces every pending condition of every initiator. */
  powerOn(): void {
    const code = (UA_POWER_ON.asc << 8) | UA_POWER_ON.ascq;
    for (const queue of this.queues.values()) {
      queue.length = 0;
      queue.push(code);
    }
    this.forNew = [code];
  }

  /** Creation and reboot: the host's start-up consumed every condition (io-manager.md §6). */
  clearAll(): void {
    this.queues.clear();
    this.forNew = [];
  }

  /**
   * Reports and clears the oldest pending condition for `initiator` (scsi-device.md §2 step 1):
   * returns asc << 8 | ascq, or -1 when nothing is pending. Allocates only for a new initiator.
   */
  take(initiator: Initiator): number {
    let queue = this.queues.get(initiator);
    if (queue === undefined) {
      if (this.forNew.length === 0) return -1;
      queue = this.queueOf(initiator);
    }
    if (queue.length === 0) return -1;
    return queue.shift()!;
  }

  /** Pending conditions of one initiator, oldest first (a copy). */
  pending(initiator: Initiator): SenseTriple[] {
    const queue = this.queues.get(initiator) ?? this.forNew;
    return queue.map((c) => ({ key: SENSE_KEY_UNIT_ATTENTION, asc: c >>> 8, ascq: c & 0xff }));
  }

  snapshot(): UnitAttentionsSnapshot {
    const queues: Record<Initiator, string[]> = {};
    for (const name of [...this.queues.keys()].sort()) {
      const queue = this.queues.get(name)!;
      if (!sameQueue(queue, this.forNew)) queues[name] = queue.map(label);
    }
    return { queues, forNew: this.forNew.map(label) };
  }

  private queueOf(initiator: Initiator): number[] {
    let queue = this.queues.get(initiator);
    if (queue === undefined) {
      queue = this.forNew.slice();
      this.queues.set(initiator, queue);
    }
    return queue;
  }
}

function sameQueue(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

function push(queue: number[], code: number): void {
  if (!queue.includes(code)) queue.push(code);
}
