// CDB builders and result readers for the device tests (byte positions from spec/layouts.md §3).
import type { ScsiResult } from '../../src/device/scsi';
import { VirtualDisk } from '../../src/device/virtual-disk';
import type { DiskOptions } from '../../src/device/disk-options';

export const A = 'host-a';
export const B = 'host-b';
export const C = 'host-c';

export const cdb = {
  tur: () => Uint8Array.of(0x00, 0, 0, 0, 0, 0),
  inquiry: (alloc = 36, evpd = 0, page = 0) => Uint8Array.of(0x12, evpd, page, alloc >> 8, alloc & 0xff, 0),
  reserve6: () => Uint8Array.of(0x16, 0, 0, 0, 0, 0),
  release6: () => Uint8Array.of(0x17, 0, 0, 0, 0, 0),
  reserve10: (byte1 = 0) => Uint8Array.of(0x56, byte1, 0, 0, 0, 0, 0, 0, 0, 0),
  release10: (byte1 = 0) => Uint8Array.of(0x57, byte1, 0, 0, 0, 0, 0, 0, 0, 0),
  startStop: (start: number, loej: number, power = 0) => Uint8Array.of(0x1b, 0, 0, 0, (power << 4) | (loej << 1) | start, 0),
  eject: () => cdb.startStop(0, 1),
  load: () => cdb.startStop(1, 1),
  prevent: (v = 1) => Uint8Array.of(0x1e, 0, 0, 0, v, 0),
  allow: () => cdb.prevent(0),
  readCapacity10: (lba = 0, pmi = 0) => Uint8Array.of(0x25, 0, lba >>> 24, (lba >>> 16) & 0xff, (lba >>> 8) & 0xff, lba & 0xff, 0, 0, pmi, 0),
  readCapacity16: (alloc = 32, sa = 0x10) => {
    const b = new Uint8Array(16);
    b[0] = 0x9e; b[1] = sa;
    new DataView(b.buffer).setUint32(10, alloc);
    return b;
  },
  rw10: (op: number, lba: number, blocks: number, protect = 0) => {
    const b = new Uint8Array(10);
    b[0] = op; b[1] = protect << 5;
    new DataView(b.buffer).setUint32(2, lba);
    new DataView(b.buffer).setUint16(7, blocks);
    return b;
  },
  rw16: (op: number, lba: bigint, blocks: number, protect = 0) => {
    const b = new Uint8Array(16);
    b[0] = op; b[1] = protect << 5;
    new DataView(b.buffer).setBigUint64(2, lba);
    new DataView(b.buffer).setUint32(10, blocks);
    return b;
  },
  read10: (lba: number, blocks: number) => cdb.rw10(0x28, lba, blocks),
  write10: (lba: number, blocks: number) => cdb.rw10(0x2a, lba, blocks),
  read16: (lba: bigint, blocks: number) => cdb.rw16(0x88, lba, blocks),
  write16: (lba: bigint, blocks: number) => cdb.rw16(0x8a, lba, blocks),
  prIn: (sa = 0, alloc = 256) => Uint8Array.of(0x5e, sa, 0, 0, 0, 0, 0, alloc >> 8, alloc & 0xff, 0),
  prOut: (sa: number, type = 0, length = 24) => Uint8Array.of(0x5f, sa, type, 0, 0, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, 0),
};

/** PR OUT parameter list: RESERVATION KEY, SERVICE ACTION RESERVATION KEY, APTPL (persistent-reservations.md §10) */
export function prList(key: bigint, sark: bigint, aptpl = false): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, key);
  v.setBigUint64(8, sark);
  b[20] = aptpl ? 1 : 0;
  return b;
}

export type Outcome = 'GOOD' | 'RC' | 'TIMEOUT' | string;

/** "GOOD", "RC", "TIMEOUT" or "5/24h/00h" — the spec's spelling of a result */
export function outcome(r: ScsiResult): Outcome {
  if (r.kind === 'timeout') return 'TIMEOUT';
  if (r.status === 0) return 'GOOD';
  if (r.status === 0x18) return 'RC';
  const s = r.sense!;
  const h = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');
  return `${s[2]! & 0xf}/${h(s[12]!)}h/${h(s[13]!)}h`;
}

export function disk(options: DiskOptions = {}): VirtualDisk {
  return new VirtualDisk(options);
}

export function run(d: VirtualDisk, initiator: string, c: Uint8Array, dataOut?: Uint8Array, dataInLength?: number): Outcome {
  return outcome(d.execute(initiator, { cdb: c, ...(dataOut ? { dataOut } : {}), ...(dataInLength !== undefined ? { dataInLength } : {}) }));
}
