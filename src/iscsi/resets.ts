// What the iSCSI layer's events mean for the logical unit. scsi-device.md §4 notes that vdisk's IOCTL path
// has no I_T nexus loss, LUN reset or target reset, and that "on real targets each of those also releases
// a SCSI-2 reservation"; over iSCSI those events exist (a logout or dropped connection ends the I_T nexus,
// RFC 7143 §6.3.5 / SAM-5 6.3.4; Task Management LOGICAL UNIT RESET, TARGET WARM/COLD RESET, RFC 7143
// §11.5.1), so the target applies exactly that effect. Persistent reservations survive all of them
// (persistent-reservations.md §8, SPC-4 5.12.10), so the PR engine is not touched.

import type { Scsi2Reservation } from '../device/reservations/scsi2';
import type { Initiator, ScsiCommand, ScsiResult } from '../device/scsi';
import type { UnitAttentions } from '../device/unit-attentions';

/** What the target uses of a VirtualDisk: SCSI commands, and the SCSI-2 reservation and unit attentions for resets. */
export interface ServedDisk {
  execute(initiator: Initiator, command: ScsiCommand): ScsiResult;
  readonly scsi2: Scsi2Reservation;
  readonly unitAttentions: UnitAttentions;
}

/** 29h/03h BUS DEVICE RESET FUNCTION OCCURRED (SPC-4 table of ASC/ASCQ; SAM-5 5.13: the LU reset's unit attention) */
export const UA_LOGICAL_UNIT_RESET = { asc: 0x29, ascq: 0x03 } as const;

/** I_T nexus loss (SAM-5 6.3.4): a SCSI-2 reservation held through the nexus is released. */
export function nexusLoss(disk: ServedDisk, initiator: Initiator): void {
  disk.scsi2.release(initiator);
}

/**
 * LOGICAL UNIT RESET and TARGET WARM/COLD RESET (SAM-5 6.3.2/6.3.3; one LU per target): the SCSI-2
 * reservation is released and every other I_T nexus that exists now gets the reset's unit attention
 * (SAM-5 5.13: the initiator that requested the reset learns of it from the TMF response; a nexus formed
 * after the reset never saw the LU before it, so it is not told).
 */
export function logicalUnitReset(disk: ServedDisk, others: readonly Initiator[]): void {
  const holder = disk.scsi2.holder;
  if (holder !== undefined) disk.scsi2.release(holder);
  if (others.length > 0) disk.unitAttentions.establish(others, UA_LOGICAL_UNIT_RESET.asc, UA_LOGICAL_UNIT_RESET.ascq);
}
