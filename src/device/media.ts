// The medium (scsi-device.md §1, §3.2, §3.3): present or ejected on a removable device, always present
// on a fixed disk; removal prevented while ANY initiator has PREVENT 01b in effect (SBC-3). Prevention is
// a per-initiator flag, not a counter: two PREVENTs from one initiator are undone by one ALLOW.

import type { Initiator } from './scsi';

export interface MediaSnapshot {
  readonly removable: boolean;
  readonly present: boolean;
  /** initiators with removal prevented, sorted */
  readonly preventedBy: readonly Initiator[];
}

export class Media {
  readonly removable: boolean;
  private presentNow: boolean;
  private readonly preventing = new Set<Initiator>();

  constructor(removable: boolean, present: boolean) {
    this.removable = removable;
    // a fixed disk's medium cannot be absent (scsi-device.md §1)
    this.presentNow = removable ? present : true;
  }

  get present(): boolean {
    return this.presentNow;
  }

  /** §3.3: removal is prevented while any initiator prevents it. */
  get removalPrevented(): boolean {
    return this.preventing.size > 0;
  }

  preventedBy(initiator: Initiator): boolean {
    return this.preventing.has(initiator);
  }

  /**
   * PREVENT 01b (true) or 00b (false) from `initiator` (§3.3). Recorded on a fixed disk too, where it has
   * no effect (no eject can happen there: §3.2 step 3 refuses LOEJ first).
   */
  setPrevent(initiator: Initiator, prevent: boolean): void {
    if (prevent) this.preventing.add(initiator);
    else this.preventing.delete(initiator);
  }

  /** §3.2 step 4, after the caller checked `removalPrevented`: already absent is no change. */
  eject(): void {
    if (this.removable) this.presentNow = false;
  }

  /** §3.2 step 5: true when the medium went from absent to present (the caller raises 28h/00h). */
  load(): boolean {
    if (this.presentNow) return false;
    this.presentNow = true;
    return true;
  }

  /** Power-on (§6): every initiator's prevention ends; presence is kept (a power cycle loads nothing). */
  powerOn(): void {
    this.preventing.clear();
  }

  /** Sets presence from committed metadata when a disk is created from an existing store. */
  restorePresence(present: boolean): void {
    this.presentNow = this.removable ? present : true;
  }

  snapshot(): MediaSnapshot {
    return { removable: this.removable, present: this.presentNow, preventedBy: [...this.preventing].sort() };
  }
}
