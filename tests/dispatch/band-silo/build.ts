// Input buffers for the band IOCTLs, built field by field at the offsets of spec/layouts.md §2, with the
// variable parts appended after the header and their offsets filled in. Every field can be overridden,
// so a test breaks exactly one thing.

import { Host } from '../../../src/host';
import { VirtualDisk } from '../../../src/device/virtual-disk';
import type { DiskOptions } from '../../../src/device/disk-options';
import { statusName } from '../../../src/codecs/ntstatus';
import type { IoResult } from '../../../src/dispatch/io-manager';
import { registerBandSilo } from '../../../src/dispatch/band-silo';

export type Field = readonly [offset: number, kind: 'u32' | 'i64', value: number | bigint];

/** A header of `size` bytes with `fields` written little-endian. */
export function header(size: number, fields: readonly Field[]): Buffer {
  const b = Buffer.alloc(size);
  for (const [at, kind, v] of fields) {
    if (kind === 'u32') b.writeUInt32LE(Number(v) >>> 0, at);
    else b.writeBigInt64LE(BigInt(v), at);
  }
  return b;
}

/**
 * Appends `parts` after `head`, writing each part's offset into the u32 at `field` (unless the part says
 * `offset`, an explicit — possibly hostile — value written instead, with the bytes still appended).
 */
export function assemble(head: Buffer, parts: readonly { field: number; bytes: Uint8Array; offset?: number }[]): Uint8Array {
  const out = [head];
  let at = head.length;
  for (const p of parts) {
    head.writeUInt32LE((p.offset ?? at) >>> 0, p.field);
    out.push(Buffer.from(p.bytes));
    at += p.bytes.length;
  }
  return new Uint8Array(Buffer.concat(out));
}

export function authKey(key: Uint8Array, keySize = key.length): Uint8Array {
  const b = Buffer.alloc(4 + key.length);
  b.writeUInt32LE(keySize >>> 0, 0);
  b.set(key, 4);
  return b;
}

export function locationInfo(bandStart: bigint, bandSize: bigint, metadata = 0, structSize = 56): Uint8Array {
  const b = Buffer.alloc(56);
  b.writeUInt32LE(structSize, 0);
  b.writeBigInt64LE(bandStart, 8);
  b.writeBigInt64LE(bandSize, 16);
  b.fill(metadata, 24);
  return b;
}

export function securityInfo(readLock: number, writeLock: number, metadata = 0,
  over: { structSize?: number; algoType?: number; oidOffset?: number; oidLength?: number } = {}): Uint8Array {
  const b = Buffer.alloc(56);
  b.writeUInt32LE(over.structSize ?? 56, 0);
  b.writeUInt32LE(readLock >>> 0, 4);
  b.writeUInt32LE(writeLock >>> 0, 8);
  b.writeUInt32LE(over.algoType ?? 0, 12);
  b.writeUInt32LE(over.oidOffset ?? 0, 16);
  b.writeUInt32LE(over.oidLength ?? 0, 20);
  b.fill(metadata, 24);
  return b;
}

export const SECTOR = 512n;
export const PU = 1, NPU = 2, PL = 3;

// ---- whole requests with sensible defaults ----

export function activateInput(key?: Uint8Array, flags = 0): Uint8Array {
  const h = header(12, [[0, 'u32', 12], [4, 'u32', flags]]);
  return assemble(h, key ? [{ field: 8, bytes: authKey(key) }] : []);
}

export function createInput(o: { start: bigint; size: bigint; key?: Uint8Array; read?: number; write?: number; flags?: number; md?: number }): Uint8Array {
  const h = header(20, [[0, 'u32', 20], [4, 'u32', o.flags ?? 0]]);
  const parts = [{ field: 8, bytes: locationInfo(o.start, o.size, o.md ?? 0) }];
  if (o.read !== undefined) parts.push({ field: 12, bytes: securityInfo(o.read, o.write ?? PU, o.md ?? 0) });
  if (o.key) parts.push({ field: 16, bytes: authKey(o.key) });
  return assemble(h, parts);
}

export function setSecurityInput(o: { bandId: number; bandStart?: bigint; current?: Uint8Array; next?: Uint8Array; read?: number; write?: number; flags?: number }): Uint8Array {
  const h = header(40, [[0, 'u32', 40], [4, 'u32', o.flags ?? 0], [12, 'u32', o.bandId], [16, 'i64', o.bandStart ?? 0n]]);
  const parts = [];
  if (o.current) parts.push({ field: 24, bytes: authKey(o.current) });
  if (o.next) parts.push({ field: 28, bytes: authKey(o.next) });
  if (o.read !== undefined) parts.push({ field: 32, bytes: securityInfo(o.read, o.write ?? PU) });
  return assemble(h, parts);
}

export function setLocationInput(o: { bandId: number; key?: Uint8Array; start: bigint; size: bigint }): Uint8Array {
  const h = header(24, [[0, 'u32', 24], [4, 'u32', o.bandId]]);
  const parts = [];
  if (o.key) parts.push({ field: 16, bytes: authKey(o.key) });
  parts.push({ field: 20, bytes: locationInfo(o.start, o.size) });
  return assemble(h, parts);
}

export function enumerateInput(o: { flags?: number; bandId?: number; bandStart?: bigint; bandSize?: bigint } = {}): Uint8Array {
  return header(32, [[0, 'u32', 32], [4, 'u32', o.flags ?? 0], [12, 'u32', o.bandId ?? 0], [16, 'i64', o.bandStart ?? 0n], [24, 'i64', o.bandSize ?? 0n]]);
}

export function eraseInput(o: { bandId: number; key?: Uint8Array; flags?: number }): Uint8Array {
  const h = header(32, [[0, 'u32', 32], [4, 'u32', o.flags ?? 0], [12, 'u32', o.bandId]]);
  return assemble(h, o.key ? [{ field: 24, bytes: authKey(o.key) }] : []);
}

export function deleteInput(o: { bandId: number; key?: Uint8Array; flags?: number }): Uint8Array {
  return eraseInput(o); // same shape: AuthKeyOffset @24
}

export function getMetadataInput(o: { bandId: number; offset: number; size: number }): Uint8Array {
  return header(24, [[0, 'u32', 24], [4, 'u32', o.bandId], [16, 'u32', o.offset], [20, 'u32', o.size]]);
}

export function setMetadataInput(o: { bandId: number; offset: number; data: Uint8Array; key?: Uint8Array }): Uint8Array {
  const h = header(32, [[0, 'u32', 32], [4, 'u32', o.bandId], [16, 'u32', o.offset], [20, 'u32', o.data.length]]);
  const parts = [];
  if (o.data.length > 0) parts.push({ field: 24, bytes: o.data });
  if (o.key) parts.push({ field: 28, bytes: authKey(o.key) });
  return assemble(h, parts);
}

// ---- a Host on a real VirtualDisk with the silo registered ----

export interface Bench {
  readonly host: Host;
  readonly disk: VirtualDisk;
  readonly h: number;
  ioctl(code: string, input?: Uint8Array, outputLength?: number, handle?: number): IoResult;
  status(code: string, input?: Uint8Array, outputLength?: number, handle?: number): string;
  state(): unknown;
}

export function bench(options: DiskOptions = {}): Bench {
  const reg = registerBandSilo();
  if (!reg.ok) throw new Error(reg.error);
  const disk = new VirtualDisk({ security: 'active', ...options });
  const host = new Host(disk);
  const h = host.open();
  const b: Bench = {
    host, disk, h,
    ioctl: (code, input = new Uint8Array(0), outputLength = 0, handle = h) =>
      host.deviceIoControl(handle, `IOCTL_EHSTOR_${code}`, input, outputLength),
    status: (code, input, outputLength, handle) => statusName(b.ioctl(code, input, outputLength, handle).status),
    state: () => JSON.parse(JSON.stringify({ h: host.snapshot(), d: disk.snapshot() }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  };
  return b;
}

export const key = (n: number, fill = 0x5a): Uint8Array => new Uint8Array(n).fill(fill);
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
