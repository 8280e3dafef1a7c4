// SYNCHRONIZE CACHE (10)/(16) (SBC-3 5.22/5.23; src/device/commands/synchronize-cache.ts): nothing to
// flush, but the range and the medium are checked like a read's.
import { A, cdb, disk, run } from './scsi-helpers';

const sync10 = (lba: number, blocks: number) =>
  Uint8Array.of(0x35, 0, lba >>> 24, (lba >>> 16) & 0xff, (lba >>> 8) & 0xff, lba & 0xff, 0, blocks >> 8, blocks & 0xff, 0);
const sync16 = (lba: bigint, blocks: number) => {
  const b = new Uint8Array(16);
  b[0] = 0x91;
  new DataView(b.buffer).setBigUint64(2, lba);
  new DataView(b.buffer).setUint32(10, blocks);
  return b;
};

test.each([
  ['whole disk (0 blocks)', sync10(0, 0), 'GOOD'],
  ['last block', sync10(2047, 1), 'GOOD'],
  ['past the end', sync10(2047, 2), '5/21h/00h'],
  ['(16) LBA + blocks wrapping 2^64', sync16(0xffffffffffffffffn, 2), '5/21h/00h'],
  ['(16) in range', sync16(10n, 10), 'GOOD'],
])('%s → %s', (_n, c, want) => {
  expect(run(disk({ sectors: 2048 }), A, c)).toBe(want);
});

test('medium absent → 3Ah/00h', () => {
  const d = disk({ sectors: 2048 });
  run(d, A, cdb.eject());
  expect(run(d, A, sync10(0, 1))).toBe('2/3Ah/00h');
});
