// SCSI-2 RESERVE / RELEASE state (scsi-device.md §4; SPC-2 5.5.1, 7.21-7.24 as quoted by LIO
// target_scsi2_reservation_reserve/release/check and TGT device_reserve/device_release): one holder per
// LU, no third-party or extent reservations, never persistent.

import type { Initiator } from '../scsi';

/** What a SCSI-2 reservation means for a command from a non-holder (scsi-device.md §4, LIO's list). */
export type Scsi2Rule =
  /** allowed whoever holds it: INQUIRY, RELEASE(6), RELEASE(10) */
  | 'allowed'
  /** RESERVATION CONFLICT from a non-holder: every other supported command */
  | 'holder-only'
  /** RESERVATION CONFLICT from every initiator, the holder included: PERSISTENT RESERVE IN/OUT (§4, SPC-2 5.5.1) */
  | 'nobody';

export class Scsi2Reservation {
  private holderNow: Initiator | undefined;

  get holder(): Initiator | undefined {
    return this.holderNow;
  }

  /** §2 step 3: does a command with `rule` from `initiator` conflict with the SCSI-2 reservation? */
  conflicts(initiator: Initiator, rule: Scsi2Rule): boolean {
    const holder = this.holderNow;
    if (holder === undefined || rule === 'allowed') return false;
    return rule === 'nobody' || holder !== initiator;
  }

  /**
   * RESERVE after §2 step 3 passed — so the LU is unreserved or held by `initiator`: the initiator becomes
   * (or stays) the holder; a second RESERVE by the holder is GOOD, no change (§4).
   */
  reserve(initiator: Initiator): void {
    this.holderNow = initiator;
  }

  /** RELEASE: by the holder releases; by a non-holder, or when not reserved, GOOD and no change (§4). */
  release(initiator: Initiator): void {
    if (this.holderNow === initiator) this.holderNow = undefined;
  }

  /** Power-on (§6): SCSI-2 reservations never persist. */
  powerOn(): void {
    this.holderNow = undefined;
  }
}
