// The seam between the logical unit and the SPC-4 persistent-reservation engine
// (persistent-reservations.md). The LU owns the order of checks (scsi-device.md §2), the SCSI-2
// reservation, the unit-attention queues and the metadata commit; the engine owns registrations, the
// reservation, PRgeneration, APTPL and PR IN/OUT semantics. The real engine is
// src/device/reservations/persistent.ts (another engineer); `NoPersistentReservations` stands in only
// for a device created with `persistentReservations: false`, where 5Eh/5Fh are unsupported opcodes.

import type { CommandOutcome, Initiator } from '../scsi';
import type { UnitAttentions } from '../unit-attentions';

/** What the LU does with SCSI-2 RESERVE/RELEASE(6/10) next to persistent reservations (§6, CRH). */
export type CrhDecision =
  /** no registration exists: plain SPC-2 processing (scsi-device.md §4) */
  | 'spc2'
  /** the PR holder, or a registrant under a Registrants-Only / All-Registrants reservation: GOOD, nothing happens */
  | 'no-op'
  /** any other initiator while a registration exists: RESERVATION CONFLICT */
  | 'conflict';

export interface PersistentReservationEngine {
  /**
   * persistent-reservations.md §5 (with §4.1 check 2 for PR OUT): true when `cdb` from `initiator` must
   * get RESERVATION CONFLICT under the current persistent reservation. Called at scsi-device.md §2
   * step 3 for every supported opcode except INQUIRY (never conflicts, §3.1) and RESERVE/RELEASE(6/10)
   * (those go through `crh`). Must not change state; must be cheap when no reservation exists (it runs
   * on every command). `cdb` is at least 16 bytes (the LU zero-pads shorter ones).
   */
  conflicts(initiator: Initiator, cdb: Uint8Array): boolean;
  /** §6: how RESERVE/RELEASE(6/10) from `initiator` are treated. Must not change state. */
  crh(initiator: Initiator): CrhDecision;
  /**
   * PERSISTENT RESERVE OUT after the LU's §2 steps 1-3 (unit attention, opcode, SCSI-2 reservation —
   * §4.1 check 1 — and `conflicts`): §4.1 checks 3-9 and the service action. `parameterList` is
   * exactly the data-out buffer; a fuzzer may make its length differ from PARAMETER LIST LENGTH, so
   * never read past its end. Unit attentions for other initiators go to the `UnitAttentions` given at
   * construction (§7). A failing PR OUT changes nothing.
   */
  out(initiator: Initiator, cdb: Uint8Array, parameterList: Uint8Array): CommandOutcome;
  /**
   * PERSISTENT RESERVE IN (§9). `allocationLength` is already min(ALLOCATION LENGTH, the initiator's
   * data-in buffer): return at most that many bytes (ADDITIONAL LENGTH still describing the full data).
   */
  in(initiator: Initiator, cdb: Uint8Array, allocationLength: number): CommandOutcome;
  /**
   * §8: true when the last `out` that returned GOOD changed state while APTPL was active, or turned
   * APTPL on or off — the LU then commits the device metadata before answering (a power loss during
   * that commit: no answer). Reading it does not reset it; the next `out` does.
   */
  needsCommit(): boolean;
  /**
   * Power-on (§8): after `restore` has loaded the committed APTPL state (or none), forget everything
   * that is not APTPL-persistent and set PRgeneration to 0. The LU raises 29h/00h itself.
   */
  powerOn(): void;
  /** the APTPL-persistent state as a metadata section, or undefined when APTPL is not active */
  serialize(): Uint8Array | undefined;
  /**
   * Replaces the whole state with a committed section (undefined: none was committed → no
   * registrations, no reservation, APTPL off). Returns false for bytes it cannot decode, leaving the
   * empty state. Called at creation from an existing store and at every power-on, before `powerOn`.
   */
  restore(bytes: Uint8Array | undefined): boolean;
  /** deep, JSON-comparable copy of the whole state (registrations, reservation, generation, APTPL) */
  snapshot(): unknown;
}

/** What the VirtualDisk hands an engine when it creates one. */
export interface PersistentReservationContext {
  readonly unitAttentions: UnitAttentions;
}

export type PersistentReservationEngineFactory = (context: PersistentReservationContext) => PersistentReservationEngine;

/**
 * `persistentReservations: false` (scenario-format.md `disk`): the LU reports 5Eh/5Fh as unsupported
 * (scsi-device.md §2 step 2) before reaching the engine, so `in`/`out` are never called; nothing ever
 * conflicts and SCSI-2 reservations are plain SPC-2.
 */
export class NoPersistentReservations implements PersistentReservationEngine {
  conflicts(): boolean { return false; }
  crh(): CrhDecision { return 'spc2'; }
  out(): CommandOutcome { return UNSUPPORTED; }
  in(): CommandOutcome { return UNSUPPORTED; }
  needsCommit(): boolean { return false; }
  powerOn(): void {}
  serialize(): Uint8Array | undefined { return undefined; }
  restore(bytes: Uint8Array | undefined): boolean { return bytes === undefined; }
  snapshot(): unknown { return null; }
}

const UNSUPPORTED: CommandOutcome = Object.freeze({
  ok: false as const,
  sense: Object.freeze({ key: 0x5, asc: 0x20, ascq: 0x00 }),
});
