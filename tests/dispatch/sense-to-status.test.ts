// class-driver.md §10 row by row: every row of the sense table, the RESERVATION CONFLICT rule and the port
// statuses, as data (STYLE.md: boundary tables as data in tests).

import { interpretSense, type SrbStatus } from '../../src/dispatch/class-driver/sense-to-status';
import { statusName } from '../../src/codecs/ntstatus';
import { SCSISTAT_BUSY, SCSISTAT_CHECK_CONDITION, SCSISTAT_RESERVATION_CONFLICT } from '../../src/device/scsi';
import { sense } from './helpers/fake-disk';

// [sense key, ASC, ASCQ, ILI, opcode, status, retry] — §10 step 2, in the table's order.
const SENSE_ROWS: Array<[number, number, number, boolean, number, string, boolean]> = [
  [0x0, 0x00, 0x00, true, 0x28, 'STATUS_INVALID_BLOCK_LENGTH', false],
  [0x0, 0x00, 0x00, false, 0x28, 'STATUS_IO_DEVICE_ERROR', true],
  [0x1, 0x17, 0x01, false, 0x28, 'STATUS_SUCCESS', false],
  [0x1, 0x00, 0x00, true, 0x28, 'STATUS_INVALID_BLOCK_LENGTH', false],
  [0x2, 0x3a, 0x00, false, 0x00, 'STATUS_NO_MEDIA_IN_DEVICE', false],
  [0x2, 0x3a, 0x02, false, 0x00, 'STATUS_NO_MEDIA_IN_DEVICE', false],
  [0x2, 0x04, 0x03, false, 0x00, 'STATUS_NO_MEDIA_IN_DEVICE', false],
  [0x2, 0x04, 0x01, false, 0x00, 'STATUS_DEVICE_NOT_READY', true],
  [0x2, 0x04, 0x07, false, 0x00, 'STATUS_DEVICE_NOT_READY', true],
  [0x2, 0x04, 0x02, false, 0x00, 'STATUS_DEVICE_NOT_READY', true],
  [0x2, 0x04, 0x09, false, 0x00, 'STATUS_DEVICE_NOT_READY', true],
  [0x2, 0x04, 0x00, false, 0x00, 'STATUS_DEVICE_NOT_READY', false],
  [0x2, 0x04, 0x04, false, 0x00, 'STATUS_DEVICE_NOT_READY', false],
  [0x2, 0x04, 0x08, false, 0x00, 'STATUS_DEVICE_NOT_READY', false],
  [0x2, 0x04, 0x14, false, 0x00, 'STATUS_RETRY', true],
  [0x2, 0x05, 0x00, false, 0x00, 'STATUS_DEVICE_NOT_READY', true],
  [0x3, 0x30, 0x01, false, 0x28, 'STATUS_UNRECOGNIZED_MEDIA', false],
  [0x3, 0x30, 0x03, false, 0x28, 'STATUS_CLEANER_CARTRIDGE_INSTALLED', false],
  [0x3, 0x11, 0x00, false, 0x28, 'STATUS_DEVICE_DATA_ERROR', false],
  [0x4, 0x44, 0x00, false, 0x28, 'STATUS_DEVICE_HARDWARE_ERROR', false],
  [0x4, 0x08, 0x03, false, 0x28, 'STATUS_DEVICE_HARDWARE_ERROR', true],
  [0x5, 0x20, 0x00, false, 0x16, 'STATUS_INVALID_DEVICE_REQUEST', false],
  [0x5, 0x24, 0x00, false, 0x1b, 'STATUS_INVALID_DEVICE_REQUEST', false],
  [0x5, 0x53, 0x02, false, 0x1b, 'STATUS_INVALID_DEVICE_REQUEST', false],
  [0x5, 0x21, 0x00, false, 0x28, 'STATUS_NONEXISTENT_SECTOR', false],
  [0x5, 0x25, 0x00, false, 0x28, 'STATUS_NO_SUCH_DEVICE', false],
  [0x5, 0x1a, 0x00, false, 0x5f, 'STATUS_DATA_OVERRUN', false],
  [0x5, 0x26, 0x04, false, 0x5f, 'STATUS_INVALID_OFFSET_ALIGNMENT', false],
  [0x5, 0x26, 0x08, false, 0x5f, 'STATUS_TOO_MANY_SEGMENT_DESCRIPTORS', false],
  [0x5, 0x26, 0x00, false, 0x5f, 'STATUS_INVALID_DEVICE_REQUEST', false],
  [0x5, 0x26, 0x02, false, 0x5f, 'STATUS_INVALID_DEVICE_REQUEST', false],
  [0x6, 0x29, 0x00, false, 0x00, 'STATUS_IO_DEVICE_ERROR', true],
  [0x7, 0x27, 0x07, false, 0x2a, 'STATUS_DISK_RESOURCES_EXHAUSTED', false],
  [0x7, 0x27, 0x00, false, 0x2a, 'STATUS_IO_DEVICE_ERROR', false],
  [0x7, 0x20, 0x02, false, 0x2a, 'STATUS_MEDIA_WRITE_PROTECTED', false],
  [0x7, 0x20, 0x02, false, 0x8a, 'STATUS_MEDIA_WRITE_PROTECTED', false],
  [0x7, 0x20, 0x02, false, 0x0a, 'STATUS_MEDIA_WRITE_PROTECTED', false],
  [0x7, 0x20, 0x02, false, 0xaa, 'STATUS_MEDIA_WRITE_PROTECTED', false],
  [0x7, 0x20, 0x02, false, 0x28, 'STATUS_ACCESS_DENIED', false],
  [0x7, 0x20, 0x02, false, 0x88, 'STATUS_ACCESS_DENIED', false],
  [0x8, 0x00, 0x00, false, 0x28, 'STATUS_NO_DATA_DETECTED', false],
  [0xb, 0x47, 0x00, false, 0x28, 'STATUS_IO_DEVICE_ERROR', true],
  [0x9, 0x00, 0x00, false, 0x28, 'STATUS_IO_DEVICE_ERROR', true],
  [0xe, 0x00, 0x00, false, 0x28, 'STATUS_IO_DEVICE_ERROR', true],
];

describe('interpretSense (class-driver.md §10)', () => {
  test.each(SENSE_ROWS)('sense %i/%i/%i ILI=%s opcode %i → %s, retry %s', (key, asc, ascq, ili, op, status, retry) => {
    const r = interpretSense('error', SCSISTAT_CHECK_CONDITION, sense(key, asc, ascq, ili), op);
    expect([statusName(r.status), r.retry]).toEqual([status, retry]);
    expect(r.unitAttention).toBe(key === 6);
  });

  test('descriptor-format sense (72h) is read at its own offsets', () => {
    const d = Uint8Array.of(0x72, 0x05, 0x21, 0x00, 0, 0, 0, 0);
    expect(statusName(interpretSense('error', SCSISTAT_CHECK_CONDITION, d, 0x28).status)).toBe('STATUS_NONEXISTENT_SECTOR');
  });

  test('RESERVATION CONFLICT is STATUS_DEVICE_BUSY before any sense data, no retry', () => {
    const r = interpretSense('error', SCSISTAT_RESERVATION_CONFLICT, sense(5, 0x24, 0), 0x28);
    expect([statusName(r.status), r.retry]).toEqual(['STATUS_DEVICE_BUSY', false]);
  });

  // §10 step 3: no valid sense → by the port's SRB status.
  const PORT_ROWS: Array<[SrbStatus, number, string, boolean]> = [
    ['selection-timeout', 0, 'STATUS_DEVICE_NOT_CONNECTED', false],
    ['data-overrun', 0, 'STATUS_DATA_OVERRUN', false],
    ['timeout', 0, 'STATUS_IO_TIMEOUT', true],
    ['aborted', 0, 'STATUS_IO_TIMEOUT', true],
    ['invalid-request', 0, 'STATUS_INVALID_DEVICE_REQUEST', false],
    ['no-device', 0, 'STATUS_NO_SUCH_DEVICE', false],
    ['bus-reset', 0, 'STATUS_IO_DEVICE_ERROR', true],
    ['error', SCSISTAT_CHECK_CONDITION, 'STATUS_IO_DEVICE_ERROR', true],
    ['error', SCSISTAT_BUSY, 'STATUS_DEVICE_NOT_READY', true],
    ['success', 0, 'STATUS_SUCCESS', false],
  ];
  test.each(PORT_ROWS)('no sense, SRB %s (SCSI status %i) → %s, retry %s', (srb, scsi, status, retry) => {
    const r = interpretSense(srb, scsi, undefined, 0x28);
    expect([statusName(r.status), r.retry]).toEqual([status, retry]);
  });

  test('sense too short or of an unknown response code is not valid sense', () => {
    expect(statusName(interpretSense('error', SCSISTAT_CHECK_CONDITION, Uint8Array.of(0x70, 0), 0).status)).toBe('STATUS_IO_DEVICE_ERROR');
    const bad = sense(5, 0x21, 0);
    bad[0] = 0x00;
    expect(statusName(interpretSense('error', SCSISTAT_CHECK_CONDITION, bad, 0).status)).toBe('STATUS_IO_DEVICE_ERROR');
  });

  test('answers are shared frozen objects (no allocation per call)', () => {
    const a = interpretSense('error', SCSISTAT_CHECK_CONDITION, sense(2, 0x3a, 0), 0);
    expect(interpretSense('error', SCSISTAT_CHECK_CONDITION, sense(2, 0x3a, 0), 0)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
