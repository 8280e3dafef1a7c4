// REPORT LUNS (SPC-4 6.33; src/device/commands/report-luns.ts): LUN 0 only, full LUN LIST LENGTH even when
// truncated, SELECT REPORT > 2 refused, allowed under any reservation.
import { A, B, cdb, disk, run } from './scsi-helpers';

const reportLuns = (alloc = 16, select = 0) =>
  Uint8Array.of(0xa0, 0, select, 0, 0, 0, alloc >>> 24, (alloc >>> 16) & 0xff, (alloc >>> 8) & 0xff, alloc & 0xff, 0, 0);

test('one LUN, LUN 0', () => {
  const r = disk().execute(A, { cdb: reportLuns() });
  expect(r.kind === 'status' && [...r.dataIn!]).toEqual([0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('allocation length 4 → the LUN LIST LENGTH only', () => {
  const r = disk().execute(A, { cdb: reportLuns(4) });
  expect(r.kind === 'status' && [...r.dataIn!]).toEqual([0, 0, 0, 8]);
});

test('SELECT REPORT 03h → 24h/00h', () => {
  expect(run(disk(), A, reportLuns(16, 3))).toBe('5/24h/00h');
});

test('allowed for a non-holder under a SCSI-2 reservation', () => {
  const d = disk();
  run(d, A, cdb.reserve6());
  expect(run(d, B, reportLuns())).toBe('GOOD');
});
