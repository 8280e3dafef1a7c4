// The commands the logical unit supports (scsi-device.md §3 table), one entry per opcode, grouped by
// standard like QEMU's scsi_disk_reqops_dispatch; anything not listed is INVALID COMMAND OPERATION CODE
// (§2 step 2). Each entry also says how §2 steps 1 and 3 treat the command, so the LU's order of checks
// is one loop over data: the unit-attention exemption (INQUIRY, §2 step 1), the SCSI-2 rule (§4:
// LIO's list of commands allowed while another initiator holds the LU; PR IN/OUT conflict for everyone)
// and which persistent-reservation check applies (persistent-reservations.md §5 table, or §6 CRH).
// Dispatch is an array indexed by opcode: no lookup cost, no allocation.

import { inquiry } from './commands/inquiry';
import { modeSense10, modeSense6 } from './commands/mode-sense';
import { persistentReserveIn, persistentReserveOut } from './commands/persistent-reserve';
import { preventAllowMediumRemoval } from './commands/prevent-allow-medium-removal';
import { readCapacity10, serviceActionIn16 } from './commands/read-capacity';
import { reportLuns } from './commands/report-luns';
import { read10, read16, write10, write16 } from './commands/read-write';
import { release10, release6, reserve10, reserve6 } from './commands/reserve-release';
import { startStopUnit } from './commands/start-stop-unit';
import { synchronizeCache10, synchronizeCache16 } from './commands/synchronize-cache';
import { testUnitReady } from './commands/test-unit-ready';
import type { CommandHandler } from './commands/context';
import type { Scsi2Rule } from './reservations/scsi2';

/** Which persistent-reservation check §2 step 3 makes: the §5 table, §6 CRH, or none (INQUIRY). */
export type PersistentRule = 'table' | 'crh' | 'none';

export interface OpcodeEntry {
  readonly opcode: number;
  readonly name: string;
  /** CDB length for this opcode (SPC-4 group code) */
  readonly cdbLength: number;
  /** §2 step 1: INQUIRY neither reports nor clears a unit attention */
  readonly reportsUnitAttention: boolean;
  readonly scsi2: Scsi2Rule;
  readonly persistent: PersistentRule;
  /** 5Eh/5Fh: unsupported when the disk has `persistentReservations: false` (§2 step 2) */
  readonly needsPersistentReservations: boolean;
  readonly handler: CommandHandler;
}

interface Row {
  readonly name: string;
  readonly cdb: number;
  readonly handler: CommandHandler;
  readonly unitAttention?: 'exempt';
  readonly scsi2?: Scsi2Rule;
  readonly persistent?: PersistentRule;
  readonly needsPersistentReservations?: true;
}

function opcodeTable(rows: Readonly<Record<number, Row>>): readonly (OpcodeEntry | undefined)[] {
  const table: (OpcodeEntry | undefined)[] = new Array(256).fill(undefined);
  for (const [key, row] of Object.entries(rows)) {
    const opcode = Number(key);
    table[opcode] = Object.freeze({
      opcode,
      name: row.name,
      cdbLength: row.cdb,
      reportsUnitAttention: row.unitAttention !== 'exempt',
      scsi2: row.scsi2 ?? 'holder-only',
      persistent: row.persistent ?? 'table',
      needsPersistentReservations: row.needsPersistentReservations === true,
      handler: row.handler,
    });
  }
  return Object.freeze(table);
}

export const OPCODES = opcodeTable({
  // SPC-4 primary commands
  0x00: { name: 'TEST UNIT READY', cdb: 6, handler: testUnitReady },
  0x12: { name: 'INQUIRY', cdb: 6, handler: inquiry, unitAttention: 'exempt', scsi2: 'allowed', persistent: 'none' },
  0xa0: { name: 'REPORT LUNS', cdb: 12, handler: reportLuns, scsi2: 'allowed', persistent: 'none' },
  0x1a: { name: 'MODE SENSE(6)', cdb: 6, handler: modeSense6 },
  0x5a: { name: 'MODE SENSE(10)', cdb: 10, handler: modeSense10 },
  // SPC-2 reservations (§4; CRH next to persistent reservations, persistent-reservations.md §6)
  0x16: { name: 'RESERVE(6)', cdb: 6, handler: reserve6, persistent: 'crh' },
  0x17: { name: 'RELEASE(6)', cdb: 6, handler: release6, scsi2: 'allowed', persistent: 'crh' },
  0x56: { name: 'RESERVE(10)', cdb: 10, handler: reserve10, persistent: 'crh' },
  0x57: { name: 'RELEASE(10)', cdb: 10, handler: release10, scsi2: 'allowed', persistent: 'crh' },
  // SPC-4 persistent reservations (persistent-reservations.md)
  0x5e: { name: 'PERSISTENT RESERVE IN', cdb: 10, handler: persistentReserveIn, scsi2: 'nobody', needsPersistentReservations: true },
  0x5f: { name: 'PERSISTENT RESERVE OUT', cdb: 10, handler: persistentReserveOut, scsi2: 'nobody', needsPersistentReservations: true },
  // SBC-3 medium handling
  0x1b: { name: 'START STOP UNIT', cdb: 6, handler: startStopUnit },
  0x1e: { name: 'PREVENT ALLOW MEDIUM REMOVAL', cdb: 6, handler: preventAllowMediumRemoval },
  // SBC-3 capacity
  0x25: { name: 'READ CAPACITY(10)', cdb: 10, handler: readCapacity10 },
  0x9e: { name: 'SERVICE ACTION IN(16)', cdb: 16, handler: serviceActionIn16 },
  0x35: { name: 'SYNCHRONIZE CACHE(10)', cdb: 10, handler: synchronizeCache10 },
  0x91: { name: 'SYNCHRONIZE CACHE(16)', cdb: 16, handler: synchronizeCache16 },
  // SBC-3 data transfer
  0x28: { name: 'READ(10)', cdb: 10, handler: read10 },
  0x88: { name: 'READ(16)', cdb: 16, handler: read16 },
  0x2a: { name: 'WRITE(10)', cdb: 10, handler: write10 },
  0x8a: { name: 'WRITE(16)', cdb: 16, handler: write16 },
});
