// What a command handler sees of the logical unit, and the handler signature the opcode table uses.
// Handlers run after scsi-device.md §2 steps 1-3 and implement step 4 — the command's own checks in the
// order §3 gives — then change state in one final step (STYLE.md: validate everything, then act).

import type { Media } from '../media';
import type { PersistentReservationEngine } from '../reservations/engine';
import type { Scsi2Reservation } from '../reservations/scsi2';
import type { CommandOutcome, Initiator, ScsiCommand, SenseTriple } from '../scsi';
import type { SectorAccess } from '../sector-access';
import type { StoreResult } from '../store';
import type { UnitAttentions } from '../unit-attentions';

export interface CommandContext {
  readonly sectorSize: number;
  /** capacity in sectors; the last LBA is sectors − 1 (scsi-device.md §1) */
  readonly sectors: number;
  readonly sectorsBig: bigint;
  readonly media: Media;
  readonly unitAttentions: UnitAttentions;
  readonly scsi2: Scsi2Reservation;
  readonly persistent: PersistentReservationEngine;
  readonly sectorAccess: SectorAccess;
  /** standard INQUIRY data, built once (§3.1) */
  readonly inquiryData: Uint8Array;
  /** READ CAPACITY (10) and (16) parameter data, built once (§3.4) */
  readonly readCapacity10Data: Uint8Array;
  readonly readCapacity16Data: Uint8Array;
  /** commits every metadata section atomically (persistent-reservations.md §8 APTPL) */
  commitMetadata(): StoreResult;
}

/**
 * A command's own processing. `cdb` is at least 16 bytes (zero-padded by the LU) and valid only during
 * the call; `dataInLimit` is the initiator's data-in buffer size (Infinity when not given): data-in is
 * produced already truncated to it, so nothing is allocated beyond what is returned.
 */
export type CommandHandler = (
  lu: CommandContext,
  initiator: Initiator,
  cdb: Uint8Array,
  command: ScsiCommand,
  dataInLimit: number,
) => CommandOutcome;

export const GOOD: CommandOutcome = Object.freeze({ ok: true as const });

/** A frozen failing outcome per sense code, so failures allocate nothing before the result. */
const failures = new Map<SenseTriple, CommandOutcome>();
export function fail(sense: SenseTriple): CommandOutcome {
  let outcome = failures.get(sense);
  if (outcome === undefined) {
    outcome = Object.freeze({ ok: false as const, sense });
    failures.set(sense, outcome);
  }
  return outcome;
}

export const CONFLICT: CommandOutcome = Object.freeze({ ok: false as const, conflict: true as const });

/** The first min(data.length, limit) bytes, copied: callers may keep or change what they get. */
export function dataIn(data: Uint8Array, limit: number): CommandOutcome {
  const n = Math.min(data.length, limit);
  return n === 0 ? GOOD : { ok: true, data: data.slice(0, n) };
}
