// MODE SENSE (6) and (10) (SPC-4 6.11, 6.12): a header, one short block descriptor unless DBD, and the
// pages vdisk has — 08h Caching (SBC-3 6.5.5: WCE 0, the store writes through) and 0Ah Control (SPC-4
// 7.5.8, all defaults) — or both for 3Fh. PAGE CONTROL 00b current, 01b changeable (nothing is: all
// zero), 10b default (= current); 11b saved → 5/39h/00h SAVING PARAMETERS NOT SUPPORTED. A subpage other
// than 00h (FFh with 3Fh: all subpages, there are none) and any other page → INVALID FIELD IN CDB.
// Reservations: the opcode table gives it the write rule of the conflict table — SPC-4 allows MODE SENSE
// under Write Exclusive, which persistent-reservations.md §5 does not list (docs/conformance.md).

import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandContext, type CommandHandler } from './context';

const SAVING_PARAMETERS_NOT_SUPPORTED = Object.freeze({ key: 0x05, asc: 0x39, ascq: 0x00 });

function caching(changeable: boolean): number[] {
  const p = new Array<number>(20).fill(0);
  p[0] = 0x08;
  p[1] = 0x12;
  if (!changeable) p[2] = 0x00; // WCE 0, RCD 0
  return p;
}

function control(changeable: boolean): number[] {
  const p = new Array<number>(12).fill(0);
  p[0] = 0x0a;
  p[1] = 0x0a;
  if (!changeable) {
    p[8] = 0xff; // BUSY TIMEOUT PERIOD FFFFh: unlimited
    p[9] = 0xff;
  }
  return p;
}

function pages(code: number, subpage: number, changeable: boolean): number[] | undefined {
  if (code === 0x3f && (subpage === 0x00 || subpage === 0xff)) return [...caching(changeable), ...control(changeable)];
  if (subpage !== 0) return undefined;
  if (code === 0x08) return caching(changeable);
  if (code === 0x0a) return control(changeable);
  return undefined;
}

/** Short (8-byte) block descriptor: NUMBER OF BLOCKS (FFFFFFh when larger, SBC-3 6.4.2), BLOCK LENGTH. */
function blockDescriptor(lu: CommandContext): number[] {
  const n = Math.min(lu.sectors, 0xffffff);
  const s = lu.sectorSize;
  return [(n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, 0, 0, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff];
}

function modeSense(lu: CommandContext, cdb: Uint8Array, ten: boolean, allocation: number): ReturnType<CommandHandler> {
  const dbd = (cdb[1]! & 0x08) !== 0;
  const pc = cdb[2]! >>> 6;
  if (pc === 3) return fail(SAVING_PARAMETERS_NOT_SUPPORTED);
  const body = pages(cdb[2]! & 0x3f, cdb[3]!, pc === 1);
  if (body === undefined) return fail(SENSE.INVALID_FIELD_IN_CDB);
  const desc = dbd ? [] : blockDescriptor(lu);
  let header: number[];
  if (ten) {
    const length = 6 + desc.length + body.length; // MODE DATA LENGTH excludes its own two bytes
    header = [length >>> 8, length & 0xff, 0, 0, 0, 0, 0, desc.length];
  } else {
    const length = 3 + desc.length + body.length;
    header = [length, 0, 0, desc.length];
  }
  return dataIn(Uint8Array.from([...header, ...desc, ...body]), allocation);
}

export const modeSense6: CommandHandler = (lu, _initiator, cdb, _command, limit) =>
  modeSense(lu, cdb, false, Math.min(cdb[4]!, limit));

export const modeSense10: CommandHandler = (lu, _initiator, cdb, _command, limit) =>
  modeSense(lu, cdb, true, Math.min((cdb[7]! << 8) | cdb[8]!, limit));
