// The logical unit (scsi-device.md): executes one CDB from one initiator, checking in the order of §2 —
//  0. device off after an injected power loss → no answer (§6; the host sees a selection timeout)
//  1. unit attention pending (INQUIRY exempt) → CHECK CONDITION, UNIT ATTENTION, the oldest one, cleared
//  2. operation code not supported → ILLEGAL REQUEST 20h/00h
//  3. SCSI-2 reservation (§4), then the persistent-reservation conflict table (PR §5) or CRH (PR §6)
//     → RESERVATION CONFLICT, no sense data
//  4. the command's own checks and its effect (src/device/commands/*, via opcode-table.ts)
// and answering GOOD (+ data-in), CHECK CONDITION with 18-byte fixed-format sense, or RESERVATION CONFLICT.
// The per-command path allocates nothing beyond its result (results without data are shared constants).

import { fixedSenseData, SENSE } from './sense-codes';
import type { CommandContext } from './commands/context';
import { standardInquiryData } from './commands/inquiry';
import { readCapacity10Data, readCapacity16Data } from './commands/read-capacity';
import type { Media } from './media';
import { OPCODES, type OpcodeEntry } from './opcode-table';
import type { PersistentReservationEngine } from './reservations/engine';
import type { Scsi2Reservation } from './reservations/scsi2';
import {
  SCSISTAT_CHECK_CONDITION, SCSISTAT_GOOD, SCSISTAT_RESERVATION_CONFLICT,
  type CommandOutcome, type Initiator, type ScsiCommand, type ScsiResult, type ScsiTarget,
} from './scsi';
import type { SectorAccess } from './sector-access';
import type { BlockStore, StoreResult } from './store';
import { SENSE_KEY_UNIT_ATTENTION, type UnitAttentions } from './unit-attentions';

export interface LogicalUnitParts {
  readonly sectorSize: number;
  readonly sectors: number;
  readonly media: Media;
  readonly unitAttentions: UnitAttentions;
  readonly scsi2: Scsi2Reservation;
  /** `persistentReservations: false` → 5Eh/5Fh unsupported (§2 step 2) and `persistent` is the stub */
  readonly persistentReservations: boolean;
  readonly persistent: PersistentReservationEngine;
  readonly sectorAccess: SectorAccess;
  /** the store's `poweredOff` is the device's power state (§6) */
  readonly store: Pick<BlockStore, 'poweredOff'>;
  readonly commitMetadata: () => StoreResult;
}

const TIMEOUT: ScsiResult = Object.freeze({ kind: 'timeout' as const });
const GOOD_RESULT: ScsiResult = Object.freeze({ kind: 'status' as const, status: SCSISTAT_GOOD });
const CONFLICT_RESULT: ScsiResult = Object.freeze({ kind: 'status' as const, status: SCSISTAT_RESERVATION_CONFLICT });

/**
 * The CDB as a transport's fixed CDB field carries it (iSCSI BHS CDB, RFC 7143 §11.3.5; FCP_CDB): 16
 * bytes, missing bytes zero, bytes past the opcode's length ignored. So a short CDB (a fuzzer's) is read
 * as its zero-padded form rather than refused (docs/decisions/device.md).
 */
const CDB_FIELD_LENGTH = 16;

export class LogicalUnit implements ScsiTarget, CommandContext {
  readonly sectorSize: number;
  readonly sectors: number;
  readonly sectorsBig: bigint;
  readonly media: Media;
  readonly unitAttentions: UnitAttentions;
  readonly scsi2: Scsi2Reservation;
  readonly persistent: PersistentReservationEngine;
  readonly sectorAccess: SectorAccess;
  readonly inquiryData: Uint8Array;
  readonly readCapacity10Data: Uint8Array;
  readonly readCapacity16Data: Uint8Array;
  private readonly persistentReservations: boolean;
  private readonly store: Pick<BlockStore, 'poweredOff'>;
  private readonly commit: () => StoreResult;
  private readonly padded = new Uint8Array(CDB_FIELD_LENGTH);
  private readonly table: readonly (OpcodeEntry | undefined)[] = OPCODES;

  constructor(parts: LogicalUnitParts) {
    this.sectorSize = parts.sectorSize;
    this.sectors = parts.sectors;
    this.sectorsBig = BigInt(parts.sectors);
    this.media = parts.media;
    this.unitAttentions = parts.unitAttentions;
    this.scsi2 = parts.scsi2;
    this.persistentReservations = parts.persistentReservations;
    this.persistent = parts.persistent;
    this.sectorAccess = parts.sectorAccess;
    this.store = parts.store;
    this.commit = parts.commitMetadata;
    this.inquiryData = standardInquiryData(parts.media.removable);
    this.readCapacity10Data = readCapacity10Data(parts.sectors, parts.sectorSize);
    this.readCapacity16Data = readCapacity16Data(parts.sectors, parts.sectorSize);
  }

  get isOff(): boolean {
    return this.store.poweredOff;
  }

  commitMetadata(): StoreResult {
    return this.commit();
  }

  execute(initiator: Initiator, command: ScsiCommand): ScsiResult {
    // 0. off after an injected power loss: nothing answers (§6, io-manager.md §7)
    if (this.store.poweredOff) return TIMEOUT;
    let cdb = command.cdb;
    if (cdb.length < CDB_FIELD_LENGTH) {
      this.padded.fill(0);
      this.padded.set(cdb);
      cdb = this.padded;
    }
    const entry = this.table[cdb[0]!];
    // 1. unit attention, oldest first, cleared by reporting it; INQUIRY exempt (SAM-5, LIO target_scsi3_ua_check)
    if (entry === undefined || entry.reportsUnitAttention) {
      const ua = this.unitAttentions.take(initiator);
      if (ua >= 0) return checkCondition(SENSE_KEY_UNIT_ATTENTION, ua >>> 8, ua & 0xff);
    }
    // 2. operation code (§3 table); 5Eh/5Fh only with persistent reservations
    if (entry === undefined || (entry.needsPersistentReservations && !this.persistentReservations)) {
      const s = SENSE.INVALID_COMMAND_OPERATION_CODE;
      return checkCondition(s.key, s.asc, s.ascq);
    }
    // 3. reservations: SCSI-2 first (§4), then persistent (PR §5 table, or §6 CRH for RESERVE/RELEASE)
    if (this.scsi2.conflicts(initiator, entry.scsi2)) return CONFLICT_RESULT;
    if (entry.persistent === 'table') {
      if (this.persistent.conflicts(initiator, cdb)) return CONFLICT_RESULT;
    } else if (entry.persistent === 'crh') {
      if (this.persistent.crh(initiator) === 'conflict') return CONFLICT_RESULT;
    }
    // 4. the command itself
    const n = command.dataInLength;
    const limit = n === undefined ? Infinity : n >= 0 ? Math.floor(n) : 0; // NaN and negatives: nothing
    const outcome = entry.handler(this, initiator, cdb, command, limit);
    // a power loss during the command's writes or metadata commit: no answer (§6)
    if (this.store.poweredOff) return TIMEOUT;
    return toResult(outcome);
  }
}

function toResult(outcome: CommandOutcome): ScsiResult {
  if (outcome.ok) {
    return outcome.data === undefined || outcome.data.length === 0
      ? GOOD_RESULT
      : { kind: 'status', status: SCSISTAT_GOOD, dataIn: outcome.data };
  }
  if ('conflict' in outcome) return CONFLICT_RESULT;
  return checkCondition(outcome.sense.key, outcome.sense.asc, outcome.sense.ascq);
}

function checkCondition(key: number, asc: number, ascq: number): ScsiResult {
  return { kind: 'status', status: SCSISTAT_CHECK_CONDITION, sense: fixedSenseData(key, asc, ascq) };
}

