// Image-file specifics: reopening, damaged slots, hostile headers.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import {
  computeLayout, createImage, IMAGE_HEADER_BYTES, openImage, SLOT_HEADER_BYTES,
  type ImageLayout, type ImageStore, type OpenResult,
} from '../../../src/device/store';
import { filled, record, removeTmpRoot, tmpImagePath } from './store-factories';

afterAll(removeTmpRoot);

const GEOMETRY = { sectorSize: 512, sectors: 128, maxMetadataBytes: 4096 };
const LAYOUT: ImageLayout = (() => {
  const l = computeLayout(GEOMETRY.sectorSize, GEOMETRY.sectors, GEOMETRY.maxMetadataBytes);
  if (!l.ok) throw new Error(l.message);
  return l.layout;
})();

function ok(r: OpenResult<ImageStore>): { store: ImageStore; warnings: readonly string[] } {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
}

function errorCode(r: OpenResult<ImageStore>): string {
  if (r.ok) {
    r.store.close();
    return 'opened';
  }
  return r.error.code;
}

function patch(file: string, position: number, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, position);
  fs.closeSync(fd);
}

function readBytes(file: string, position: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, out, 0, length, position);
  fs.closeSync(fd);
  return out;
}

function flipByte(file: string, position: number): void {
  patch(file, position, Uint8Array.of(readBytes(file, position, 1)[0]! ^ 0xff));
}

/** Rewrites header fields and re-seals the header checksum, as a hostile or buggy writer could. */
function rewriteHeader(file: string, edit: (dv: DataView) => void): void {
  const header = readBytes(file, 0, IMAGE_HEADER_BYTES);
  edit(new DataView(header.buffer));
  header.set(createHash('sha256').update(header.subarray(0, 64)).digest(), 64);
  patch(file, 0, header);
}

/** An image with records A (generation 1, slot 0) and B (generation 2, slot 1), closed. */
function twoCommits(): string {
  const file = tmpImagePath();
  const { store } = ok(createImage(file, GEOMETRY));
  expect(store.commitMetadata(record(0xa, 0xa)).ok).toBe(true);
  expect(store.commitMetadata(record(0xb, 0xb, 0xb)).ok).toBe(true);
  expect(store.close().ok).toBe(true);
  return file;
}

test('reopen after close keeps sectors, metadata and generation', () => {
  const file = tmpImagePath();
  const { store } = ok(createImage(file, GEOMETRY));
  expect(store.write(3, filled(1024, 0x33)).ok).toBe(true);
  expect(store.commitMetadata(record(1, 2, 3)).ok).toBe(true);
  expect(store.write(127, filled(512, 0x7f)).ok).toBe(true);
  expect(store.close().ok).toBe(true);

  const { store: again, warnings } = ok(openImage(file));
  expect(warnings).toEqual([]);
  expect(again.sectorSize).toBe(512);
  expect(again.sectors).toBe(128);
  expect(again.maxMetadataBytes).toBe(4096);
  expect(again.loadMetadata()).toEqual(record(1, 2, 3));
  expect(again.metadataGeneration).toBe(1);
  const out = new Uint8Array(512 * 3);
  expect(again.read(2, 3, out).ok).toBe(true);
  expect([out[0], out[512], out[1024]]).toEqual([0, 0x33, 0x33]);
  expect(again.read(127, 1, out.subarray(0, 512)).ok).toBe(true);
  expect(out[0]).toBe(0x7f);
  again.close();
});

test('commits alternate slots in the file, with rising generations', () => {
  const file = twoCommits();
  const slot = (i: 0 | 1) => new DataView(readBytes(file, LAYOUT.slotOffsets[i], SLOT_HEADER_BYTES).buffer);
  expect(slot(0).getBigUint64(8, true)).toBe(1n);
  expect(slot(1).getBigUint64(8, true)).toBe(2n);
  const { store } = ok(openImage(file));
  expect(store.commitMetadata(record(0xc)).ok).toBe(true);
  store.close();
  expect(slot(0).getBigUint64(8, true)).toBe(3n);
  expect(slot(1).getBigUint64(8, true)).toBe(2n);
});

test('the image is sparse: a 1 TiB disk written at its last LBA occupies a few blocks', () => {
  const file = tmpImagePath();
  const { store } = ok(createImage(file, { sectorSize: 512, sectors: 2 ** 31 }));
  expect(store.write(2 ** 31 - 1, filled(512, 1)).ok).toBe(true);
  expect(store.commitMetadata(filled(1000, 2)).ok).toBe(true);
  store.close();
  const st = fs.statSync(file);
  expect(st.size).toBe(LAYOUT.slotOffsets[0] + 2 * (4096 + 2 ** 20) + 2 ** 40);
  expect(st.blocks * 512).toBeLessThan(2 ** 20);
});

test('a damaged newest slot: open falls back to the older record and says so', () => {
  const file = twoCommits();
  flipByte(file, LAYOUT.slotOffsets[1] + SLOT_HEADER_BYTES + 1); // a byte of record B
  const { store, warnings } = ok(openImage(file));
  expect(store.loadMetadata()).toEqual(record(0xa, 0xa));
  expect(store.metadataGeneration).toBe(1);
  expect(warnings).toEqual([expect.stringMatching(/slot 1 .*checksum.*using slot 0 \(generation 1\)/)]);
  // the next commit overwrites the damaged slot, never the good one
  expect(store.commitMetadata(record(0xc)).ok).toBe(true);
  store.close();
  const again = ok(openImage(file));
  expect(again.warnings).toEqual([]);
  expect(again.store.loadMetadata()).toEqual(record(0xc));
  expect(again.store.metadataGeneration).toBe(2);
  again.store.close();
});

test('a damaged older slot: the newest record still loads, with a warning', () => {
  const file = twoCommits();
  flipByte(file, LAYOUT.slotOffsets[0] + 8); // slot 0's generation field
  const { store, warnings } = ok(openImage(file));
  expect(store.loadMetadata()).toEqual(record(0xb, 0xb, 0xb));
  expect(warnings).toEqual([expect.stringMatching(/slot 0 .*invalid/)]);
  store.close();
});

test('both slots damaged: open fails with metadata-corrupt, unless the caller discards the metadata', () => {
  const file = twoCommits();
  flipByte(file, LAYOUT.slotOffsets[0] + SLOT_HEADER_BYTES);
  flipByte(file, LAYOUT.slotOffsets[1] + 30); // checksum bytes
  expect(errorCode(openImage(file))).toBe('metadata-corrupt');
  const { store, warnings } = ok(openImage(file, { discardCorruptMetadata: true }));
  expect(store.loadMetadata()).toBeNull();
  expect(warnings).toHaveLength(2);
  store.close();
});

test('a slot header claiming a 4 GiB record is rejected before anything is allocated', () => {
  const file = twoCommits();
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, 0xffffffff, true);
  patch(file, LAYOUT.slotOffsets[1] + 16, len);
  const { store, warnings } = ok(openImage(file));
  expect(store.loadMetadata()).toEqual(record(0xa, 0xa));
  expect(warnings).toEqual([expect.stringMatching(/record length 4294967295 exceeds the slot capacity 4096/)]);
  store.close();
});

test('a first commit torn in its header leaves no record, with a warning; torn before it, no warning', () => {
  for (const [k, warned] of [[2, 0], [3, 1]] as const) {
    const file = tmpImagePath();
    const { store } = ok(createImage(file, GEOMETRY));
    expect(store.armPowerLoss(k).ok).toBe(true);
    expect(store.commitMetadata(record(1, 2, 3, 4)).ok).toBe(false);
    const up = store.powerOn();
    expect(up).toEqual({ ok: true, warnings: expect.any(Array) });
    expect(up.ok && up.warnings.length).toBe(warned);
    expect(store.loadMetadata()).toBeNull();
    store.close();
    const again = ok(openImage(file));
    expect(again.store.loadMetadata()).toBeNull();
    expect(again.warnings).toHaveLength(warned);
    again.store.close();
  }
});

test('powerOn re-opens the file: it sees what the file holds, not a cache', () => {
  const file = twoCommits();
  const { store } = ok(openImage(file));
  flipByte(file, LAYOUT.slotOffsets[1] + SLOT_HEADER_BYTES); // damage B behind the store's back
  expect(store.loadMetadata()).toEqual(record(0xb, 0xb, 0xb));
  const up = store.powerOn();
  expect(up.ok && up.warnings.length).toBe(1);
  expect(store.loadMetadata()).toEqual(record(0xa, 0xa));
  store.close();
});

describe('hostile or foreign files are error values, never reinitialised', () => {
  const cases: [string, (file: string) => void, string][] = [
    ['bad magic', (f) => patch(f, 0, Uint8Array.from(Buffer.from('NOTVDISK'))), 'bad-magic'],
    ['unknown version', (f) => patch(f, 8, Uint8Array.of(2, 0, 0, 0)), 'unsupported-version'],
    ['flipped header byte', (f) => flipByte(f, 17), 'header-corrupt'],
    ['sector size 1024', (f) => rewriteHeader(f, (dv) => dv.setUint32(16, 1024, true)), 'inconsistent-header'],
    ['4 GiB metadata slots', (f) => rewriteHeader(f, (dv) => dv.setUint32(20, 0xffffffff, true)), 'inconsistent-header'],
    ['0 sectors', (f) => rewriteHeader(f, (dv) => dv.setBigUint64(24, 0n, true)), 'inconsistent-header'],
    ['2^64 − 1 sectors', (f) => rewriteHeader(f, (dv) => dv.setBigUint64(24, 2n ** 64n - 1n, true)), 'inconsistent-header'],
    ['sectors ending past 2^53', (f) => rewriteHeader(f, (dv) => dv.setBigUint64(24, 2n ** 44n, true)), 'inconsistent-header'],
    ['slot 1 over slot 0', (f) => rewriteHeader(f, (dv) => dv.setBigUint64(40, 4096n, true)), 'inconsistent-header'],
    ['data over the slots', (f) => rewriteHeader(f, (dv) => dv.setBigUint64(48, 8192n, true)), 'inconsistent-header'],
    ['header size 512', (f) => rewriteHeader(f, (dv) => dv.setUint32(12, 512, true)), 'inconsistent-header'],
    ['truncated to 100 bytes', (f) => fs.truncateSync(f, 100), 'truncated'],
    ['empty file', (f) => fs.truncateSync(f, 0), 'truncated'],
  ];
  test.each(cases)('%s', (_name, damage, code) => {
    const file = twoCommits();
    const before = fs.statSync(file).size;
    damage(file);
    const damagedBytes = readBytes(file, 0, Math.min(before, IMAGE_HEADER_BYTES));
    const r = openImage(file);
    expect(errorCode(r)).toBe(code);
    expect(!r.ok && r.error.message.length > 0).toBe(true);
    expect(readBytes(file, 0, damagedBytes.length)).toEqual(damagedBytes); // untouched
  });

  test('a missing file is io-error', () => {
    expect(errorCode(openImage(tmpImagePath()))).toBe('io-error');
  });

  test('createImage never overwrites', () => {
    const file = twoCommits();
    expect(errorCode(createImage(file, GEOMETRY))).toBe('exists');
    const again = ok(openImage(file));
    expect(again.store.loadMetadata()).toEqual(record(0xb, 0xb, 0xb));
    again.store.close();
  });

  test.each([
    [{ sectorSize: 1024, sectors: 8 }],
    [{ sectorSize: 512, sectors: 0 }],
    [{ sectorSize: 512, sectors: 1.5 }],
    [{ sectorSize: 4096, sectors: 2 ** 41 }],
    [{ sectorSize: 512, sectors: 8, maxMetadataBytes: 2 ** 20 + 1 }],
  ])('createImage rejects geometry %o', (geometry) => {
    const file = tmpImagePath();
    expect(errorCode(createImage(file, geometry))).toBe('invalid-geometry');
    expect(fs.existsSync(file)).toBe(false);
  });
});
