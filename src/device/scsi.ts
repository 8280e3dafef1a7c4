// The boundary between the host (src/dispatch) and the virtual device (src/device): SCSI itself.
// The host sends CDB bytes (+ data-out) from one initiator (one I_T nexus); the device answers a SCSI
// status with fixed-format sense data or data-in — or nothing at all while it is off (the port driver
// then sees a selection timeout; io-manager.md §7). The device never speaks NTSTATUS (ARCHITECTURE.md).

/** SCSI status codes (SAM-5; SDK scsi.h SCSISTAT_*), layouts.md §3 SENSE_DATA_FIXED notes. */
export const SCSISTAT_GOOD = 0x00;
export const SCSISTAT_CHECK_CONDITION = 0x02;
export const SCSISTAT_BUSY = 0x08;
export const SCSISTAT_RESERVATION_CONFLICT = 0x18;
export const SCSISTAT_TASK_SET_FULL = 0x28;

export type ScsiStatus =
  | typeof SCSISTAT_GOOD
  | typeof SCSISTAT_CHECK_CONDITION
  | typeof SCSISTAT_BUSY
  | typeof SCSISTAT_RESERVATION_CONFLICT
  | typeof SCSISTAT_TASK_SET_FULL;

/** An initiator port name; each name is one I_T nexus (scsi-device.md §1). */
export type Initiator = string;

export interface ScsiCommand {
  readonly cdb: Uint8Array;
  /** data-out buffer (WRITE data, PR OUT parameter list) */
  readonly dataOut?: Uint8Array;
  /** size of the initiator's data-in buffer; the device never returns more (default: the CDB's own length) */
  readonly dataInLength?: number;
}

/** sense key / ASC / ASCQ: the device's fixed-format sense is built from these (scsi-device.md §1) */
export interface SenseTriple {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

export type ScsiResult =
  | {
      readonly kind: 'status';
      readonly status: ScsiStatus;
      /** 18-byte fixed-format sense data with CHECK CONDITION */
      readonly sense?: Uint8Array;
      /** data-in with GOOD, already truncated to the allocation length / dataInLength */
      readonly dataIn?: Uint8Array;
    }
  /** the device is off: nothing answers (the port driver's selection timeout) */
  | { readonly kind: 'timeout' };

/** What the logical unit offers the host: one call per SCSI command, synchronous. */
export interface ScsiTarget {
  execute(initiator: Initiator, command: ScsiCommand): ScsiResult;
}

/**
 * An outcome inside the device, before the logical unit turns it into a ScsiResult: data (GOOD),
 * a CHECK CONDITION with sense, or a RESERVATION CONFLICT. Command handlers, the SCSI-2 and the
 * persistent-reservation engines return these; errors are values (STYLE.md).
 */
export type CommandOutcome =
  | { readonly ok: true; readonly data?: Uint8Array }
  | { readonly ok: false; readonly sense: SenseTriple }
  | { readonly ok: false; readonly conflict: true };
