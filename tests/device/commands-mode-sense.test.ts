// MODE SENSE (6)/(10) (SPC-4 6.11/6.12; src/device/commands/mode-sense.ts): header, block descriptor,
// pages 08h/0Ah/3Fh, page control, and the SCSI-2 reservation rule (holder only) Reserve6 relies on.
import { A, B, cdb, disk, run } from './scsi-helpers';

const sense6 = (page: number, alloc = 255, dbd = 0, pc = 0, sub = 0) => Uint8Array.of(0x1a, dbd << 3, (pc << 6) | page, sub, alloc, 0);
const sense10 = (page: number, alloc = 255) => Uint8Array.of(0x5a, 0, page, 0, 0, 0, 0, alloc >> 8, alloc & 0xff, 0);
const data = (r: ReturnType<ReturnType<typeof disk>['execute']>) => (r.kind === 'status' ? [...(r.dataIn ?? [])] : []);

test('(6) all pages: header, 8-byte block descriptor, caching then control', () => {
  const d = disk({ sectors: 2048 });
  const b = data(d.execute(A, { cdb: sense6(0x3f) }));
  expect(b.length).toBe(4 + 8 + 20 + 12);
  expect(b.slice(0, 4)).toEqual([b.length - 1, 0, 0, 8]);
  expect(b.slice(4, 12)).toEqual([0, 0x08, 0x00, 0, 0, 0, 0x02, 0x00]);
  expect([b[12], b[13], b[32], b[33]]).toEqual([0x08, 0x12, 0x0a, 0x0a]);
});

test('(10) DBD-less header is 8 bytes; MODE DATA LENGTH excludes itself', () => {
  const b = data(disk().execute(A, { cdb: sense10(0x08) }));
  expect(b.length).toBe(8 + 8 + 20);
  expect([(b[0]! << 8) | b[1]!, b[7]]).toEqual([b.length - 2, 8]);
});

test('DBD drops the block descriptor; allocation length truncates', () => {
  const d = disk();
  expect(data(d.execute(A, { cdb: sense6(0x0a, 255, 1) })).length).toBe(4 + 12);
  expect(data(d.execute(A, { cdb: sense6(0x3f, 4) })).length).toBe(4);
});

test.each([
  ['unknown page', sense6(0x19), '5/24h/00h'],
  ['subpage on a page without subpages', sense6(0x08, 255, 0, 0, 1), '5/24h/00h'],
  ['saved values', sense6(0x08, 255, 0, 3), '5/39h/00h'],
  ['changeable values', sense6(0x08, 255, 0, 1), 'GOOD'],
])('%s → %s', (_n, c, want) => {
  expect(run(disk(), A, c)).toBe(want);
});

test('under a SCSI-2 reservation: the holder reads, another initiator conflicts (scsi-device.md §4)', () => {
  const d = disk();
  run(d, A, cdb.reserve6());
  expect(run(d, A, sense6(0x3f))).toBe('GOOD');
  expect(run(d, B, sense6(0x3f))).toBe('RC');
});
