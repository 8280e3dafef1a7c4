// fixedSense / parseSense (src/codecs/scsi/sense.ts) against scsi-device.md §1 (fixed format, 70h, 18 bytes,
// ADDITIONAL SENSE LENGTH 10, VALID 0) and §7 (every condition the device reports), read at test time.
import fc from 'fast-check';
import * as S from '../../src/codecs/scsi/sense';
import { layouts } from '../../src/codecs/layouts';
import { specJson, specText } from '../support/spec';

const sizeOfSense = specJson<{ name: string; size: number }[]>('layouts').find((s) => s.name === 'SENSE_DATA_FIXED')!.size;
const codes = Object.entries(S).filter(
  (e): e is [string, S.SenseCode] => e[0].startsWith('SENSE_') && typeof e[1] === 'object' && e[1] !== null && 'asc' in e[1],
);

/** scsi-device.md §7 rows with a sense key and one ASC/ASCQ: "| CHECK CONDITION | 5 ILLEGAL REQUEST | 20h/00h | …". */
function section7(): { key: number; asc: number; ascq: number; name: string }[] {
  const md = specText('scsi-device.md');
  const table = md.slice(md.indexOf('## 7.'));
  const out: { key: number; asc: number; ascq: number; name: string }[] = [];
  for (const line of table.split('\n')) {
    const m = /^\| CHECK CONDITION \| (\d+) [^|]+\| ([0-9A-F]{2})h\/([0-9A-F]{2})h \| ([^|]+) \|/.exec(line);
    if (m) out.push({ key: Number(m[1]), asc: parseInt(m[2]!, 16), ascq: parseInt(m[3]!, 16), name: m[4]!.trim() });
  }
  return out;
}

describe('fixedSense builds the device\'s fixed-format sense (scsi-device.md §1)', () => {
  test.each(codes)('%s: 18 bytes, response code 70h, VALID 0, ADDITIONAL SENSE LENGTH 10, key/ASC/ASCQ in place, rest 0', (_n, code) => {
    const b = S.fixedSense(code);
    expect(b.length).toBe(sizeOfSense);
    const d = layouts.SENSE_DATA_FIXED.decode(b);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.value).toMatchObject({
      RESPONSE_CODE: 0x70, VALID: 0, SENSE_KEY: code.key, ADDITIONAL_SENSE_LENGTH: sizeOfSense - 8,
      ADDITIONAL_SENSE_CODE: code.asc, ADDITIONAL_SENSE_CODE_QUALIFIER: code.ascq, INFORMATION: 0, ILI: 0,
    });
    const rest = Uint8Array.from(b);
    for (const i of [0, 2, 7, 12, 13]) rest[i] = 0;
    expect(rest.every((x) => x === 0)).toBe(true);
  });
  test('parseSense reads back what fixedSense wrote, for any key/ASC/ASCQ', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }),
      (key, asc, ascq) => { expect(S.parseSense(S.fixedSense({ key, asc, ascq }))).toEqual({ key, asc, ascq }); }));
  });
});

describe('named sense codes cover every condition of scsi-device.md §7', () => {
  const rows = section7();
  test('the table was found', () => expect(rows.length).toBeGreaterThanOrEqual(8));
  test.each(rows.map((r) => [r.name, r] as const))('%s has a constant', (_n, r) => {
    expect(codes.map(([, c]) => c)).toContainEqual({ key: r.key, asc: r.asc, ascq: r.ascq });
  });
  test('the unit attentions of §5 have constants', () => {
    const md = specText('scsi-device.md');
    const ua = md.slice(md.indexOf('## 5.'), md.indexOf('## 6.'));
    const found = [...ua.matchAll(/^\| ([0-9A-F]{2})h\/([0-9A-F]{2})h \|/gm)].map((m) => ({ key: S.SCSI_SENSE_UNIT_ATTENTION, asc: parseInt(m[1]!, 16), ascq: parseInt(m[2]!, 16) }));
    expect(found.length).toBe(5);
    for (const f of found) expect(codes.map(([, c]) => c)).toContainEqual(f);
  });
  test('constant names are unique per triple', () => {
    const keys = codes.map(([, c]) => `${c.key}/${c.asc}/${c.ascq}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('parseSense never throws and accepts only valid sense', () => {
  test('arbitrary bytes: undefined or a triple in range', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40, size: 'max' }), (b) => {
      const r = S.parseSense(b);
      if (r !== undefined) {
        expect(r.key).toBeGreaterThanOrEqual(0);
        expect(r.key).toBeLessThanOrEqual(15);
        expect(r.asc).toBeLessThanOrEqual(255);
        expect(r.ascq).toBeLessThanOrEqual(255);
      }
    }));
  });
  test('empty buffer and unknown response codes give undefined', () => {
    expect(S.parseSense(new Uint8Array(0))).toBeUndefined();
    const b = S.fixedSense(S.SENSE_INVALID_FIELD_IN_CDB);
    b[0] = 0x7f;
    expect(S.parseSense(b)).toBeUndefined();
  });
  test('the VALID bit does not change the response code (F0h is current fixed sense)', () => {
    const b = S.fixedSense(S.SENSE_LBA_OUT_OF_RANGE);
    b[0] = 0xf0;
    expect(S.parseSense(b)).toEqual(S.SENSE_LBA_OUT_OF_RANGE);
  });
  test('fixed sense truncated before ASC keeps the key and reads ASC/ASCQ as 0', () => {
    const b = S.fixedSense(S.SENSE_ACCESS_DENIED_NO_ACCESS_RIGHTS).subarray(0, 12);
    expect(S.parseSense(b)).toEqual({ key: S.SCSI_SENSE_DATA_PROTECT, asc: 0, ascq: 0 });
  });
  test('ASC/ASCQ beyond the ADDITIONAL SENSE LENGTH read as 0', () => {
    const b = S.fixedSense(S.SENSE_MEDIUM_NOT_PRESENT);
    b[7] = 4;
    expect(S.parseSense(b)).toEqual({ key: S.SCSI_SENSE_NOT_READY, asc: 0, ascq: 0 });
  });
  test('descriptor format (72h) is read from bytes 1-3', () => {
    expect(S.parseSense(Uint8Array.from([0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0]))).toEqual(S.SENSE_INVALID_FIELD_IN_CDB);
  });
  test('fewer than 3 bytes of fixed sense is no sense', () => {
    expect(S.parseSense(Uint8Array.from([0x70, 0x00]))).toBeUndefined();
  });
});
