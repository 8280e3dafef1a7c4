// Byte builders for the reservation tests: CDBs and parameter lists written from layouts.md §3 / §10 of
// persistent-reservations.md, independently of the engine (the engine reads through cdb-fields.ts).

import { PersistentReservations } from '../../../src/device/reservations/persistent';
import type { CommandOutcome, SenseTriple } from '../../../src/device/scsi';
import { UnitAttentions } from '../../../src/device/unit-attentions';

/** The LU zero-pads every CDB to 16 bytes (engine.ts). */
function cdb16(bytes: number[]): Uint8Array {
  const b = new Uint8Array(16);
  b.set(bytes);
  return b;
}

export function prOutCdb(sa: number, type = 0, scope = 0, pll = 24): Uint8Array {
  return cdb16([0x5f, sa & 0x1f, ((scope & 0xf) << 4) | (type & 0xf), 0, 0,
    (pll >>> 24) & 0xff, (pll >>> 16) & 0xff, (pll >>> 8) & 0xff, pll & 0xff, 0]);
}

export function prInCdb(sa: number, alloc = 0xffff): Uint8Array {
  return cdb16([0x5e, sa & 0x1f, 0, 0, 0, 0, 0, (alloc >>> 8) & 0xff, alloc & 0xff, 0]);
}

function putU64(b: Uint8Array, at: number, v: bigint): void {
  for (let i = 0; i < 8; i++) b[at + i] = Number((v >> BigInt(56 - 8 * i)) & 0xffn);
}

export interface ListFields {
  rk?: bigint;
  sark?: bigint;
  aptpl?: boolean;
  allTgPt?: boolean;
  specIPt?: boolean;
}

/** PR_OUT_PARAMETER_LIST, 24 bytes: RK 0-7, SARK 8-15, byte 20 SPEC_I_PT bit 3 / ALL_TG_PT bit 2 / APTPL bit 0. */
export function paramList(f: ListFields = {}): Uint8Array {
  const b = new Uint8Array(24);
  putU64(b, 0, f.rk ?? 0n);
  putU64(b, 8, f.sark ?? 0n);
  b[20] = (f.specIPt ? 0x08 : 0) | (f.allTgPt ? 0x04 : 0) | (f.aptpl ? 0x01 : 0);
  return b;
}

/** The iSCSI initiator-device TransportID of §9.5, built here from the spec's text. */
export function tidOf(name: string): Uint8Array {
  const utf8 = Buffer.from(name, 'utf8');
  let field = utf8.length + 1;
  while (field % 4 !== 0) field++;
  if (field < 20) field = 20;
  const b = new Uint8Array(4 + field);
  b[0] = 0x05;
  b[2] = field >> 8;
  b[3] = field & 0xff;
  b.set(utf8, 4);
  return b;
}

export interface MoveFields {
  rk?: bigint;
  sark?: bigint;
  aptpl?: boolean;
  unreg?: boolean;
  rtpi?: number;
  tid: Uint8Array;
  /** TRANSPORTID PARAMETER DATA LENGTH; default the TransportID's length */
  tidLength?: number;
}

/** PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST + TransportID. */
export function moveList(f: MoveFields): Uint8Array {
  const b = new Uint8Array(24 + f.tid.length);
  putU64(b, 0, f.rk ?? 0n);
  putU64(b, 8, f.sark ?? 0n);
  b[17] = (f.unreg ? 0x02 : 0) | (f.aptpl ? 0x01 : 0);
  const rtpi = f.rtpi ?? 1;
  b[18] = rtpi >> 8;
  b[19] = rtpi & 0xff;
  const n = f.tidLength ?? f.tid.length;
  b[20] = (n >>> 24) & 0xff; b[21] = (n >>> 16) & 0xff; b[22] = (n >>> 8) & 0xff; b[23] = n & 0xff;
  b.set(f.tid, 24);
  return b;
}

export const CDBS = {
  READ10: cdb16([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
  READ16: cdb16([0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
  WRITE10: cdb16([0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0]),
  WRITE16: cdb16([0x8a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]),
  TEST_UNIT_READY: cdb16([0x00, 0, 0, 0, 0, 0]),
  INQUIRY: cdb16([0x12, 0, 0, 0, 36, 0]),
  READ_CAPACITY10: cdb16([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  READ_CAPACITY16: cdb16([0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0]),
  START_STOP_UNIT: cdb16([0x1b, 0, 0, 0, 0x02, 0]),
  PREVENT_ALLOW: cdb16([0x1e, 0, 0, 0, 0x01, 0]),
  PERSISTENT_RESERVE_IN: prInCdb(0, 8),
} as const;

export type Outcome = 'GOOD' | 'RC' | `${number}/${string}h/${string}h`;

export function sense(t: SenseTriple): Outcome {
  const h = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  return `${t.key}/${h(t.asc)}h/${h(t.ascq)}h` as Outcome;
}

export function outcomeOf(o: CommandOutcome): Outcome {
  if (o.ok) return 'GOOD';
  return 'conflict' in o ? 'RC' : sense(o.sense);
}

/** An engine with real unit-attention queues and convenience calls, like the LU would drive it. */
export class Lab {
  readonly ua = new UnitAttentions();
  readonly pr = new PersistentReservations({ unitAttentions: this.ua });

  out(who: string, sa: number, f: ListFields & { type?: number; scope?: number } = {}): Outcome {
    return outcomeOf(this.pr.out(who, prOutCdb(sa, f.type ?? 0, f.scope ?? 0), paramList(f)));
  }
  register(who: string, key: bigint, f: ListFields = {}): Outcome {
    return this.out(who, 0, { ...f, sark: key });
  }
  reserve(who: string, key: bigint, type: number): Outcome {
    return this.out(who, 1, { rk: key, type });
  }
  in(who: string, sa: number, alloc = 0xffff): Uint8Array {
    const o = this.pr.in(who, prInCdb(sa, alloc), alloc);
    if (!o.ok) throw new Error(`PR IN failed: ${outcomeOf(o)}`);
    return o.data ?? new Uint8Array(0);
  }
  /** pending unit attentions of `who`, as "2Ah/04h" */
  uas(who: string): string[] {
    return this.ua.pending(who).map((t) => sense(t).slice(2));
  }
  keys(): bigint[] {
    const d = Buffer.from(this.in('observer', 0));
    const out: bigint[] = [];
    for (let at = 8; at + 8 <= d.length; at += 8) out.push(d.readBigUInt64BE(at));
    return out;
  }
}
