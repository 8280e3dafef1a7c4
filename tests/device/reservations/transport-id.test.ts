// §9.5 iSCSI initiator-device TransportID: the form READ FULL STATUS reports and REGISTER AND MOVE accepts.
import fc from 'fast-check';
import {
  decodeTransportId, encodeTransportId, transportIdLength, writeTransportId,
} from '../../../src/device/reservations/transport-id';
import { tidOf } from './helpers';

describe('§9.5 TransportID', () => {
  it('byte 0 05h, byte 1 0, ADDITIONAL LENGTH = name field, NUL-terminated, padded to ×4 and ≥ 20', () => {
    expect(Buffer.from(encodeTransportId('iqn.x')).toString('hex'))
      .toBe('05000014' + Buffer.from('iqn.x').toString('hex') + '00'.repeat(15));
    // 19 name bytes + NUL = 20; 20 bytes + NUL = 21 → 24
    expect(transportIdLength('a'.repeat(19))).toBe(24);
    expect(transportIdLength('a'.repeat(20))).toBe(28);
    expect(transportIdLength('ü'.repeat(10))).toBe(4 + 24); // 20 UTF-8 bytes + NUL → 24
  });
  it('encodes like the spec-text builder and round-trips through decode', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }).filter((s) => !s.includes('\0')), (name) => {
      const tid = encodeTransportId(name);
      expect([...tid]).toEqual([...tidOf(name)]);
      const d = decodeTransportId(tid);
      expect(d).toEqual({ ok: true, value: name });
    }));
  });
  it('writeTransportId truncates at the end of the output buffer', () => {
    const full = encodeTransportId('iqn.truncate');
    for (let n = 0; n <= full.length; n++) {
      const out = new Uint8Array(n);
      expect(writeTransportId('iqn.truncate', out, 0)).toBe(full.length);
      expect([...out]).toEqual([...full.subarray(0, n)]);
    }
  });
  const broken: [string, (t: Uint8Array) => Uint8Array, string][] = [
    ['shorter than the header', (t) => t.subarray(0, 3), 'short'],
    ['ADDITIONAL LENGTH past the bytes', (t) => t.subarray(0, t.length - 1), 'short'],
    ['trailing bytes', (t) => Uint8Array.from([...t, 0, 0, 0, 0]), 'length-mismatch'],
    ['FORMAT CODE 01b (port + ISID)', (t) => { t[0] = 0x45; return t; }, 'not-iscsi-device'],
    ['Fibre Channel protocol', (t) => { t[0] = 0x00; return t; }, 'not-iscsi-device'],
    ['reserved byte 1', (t) => { t[1] = 1; return t; }, 'reserved'],
    ['empty name', (t) => { t.fill(0, 4); return t; }, 'not-terminated'],
    ['garbage after the NUL', (t) => { t[t.length - 1] = 0x41; return t; }, 'not-terminated'],
    ['malformed UTF-8', (t) => { t[4] = 0xc3; t[5] = 0x28; return t; }, 'not-utf8'],
  ];
  for (const [name, mutate, error] of broken) {
    it(`rejects ${name} (${error})`, () => {
      expect(decodeTransportId(mutate(tidOf('iqn.host')))).toEqual({ ok: false, error });
    });
  }
  it('rejects a name field under 20 bytes or not a multiple of 4', () => {
    expect(decodeTransportId(Uint8Array.from([5, 0, 0, 4, 0x41, 0, 0, 0]))).toEqual({ ok: false, error: 'bad-name-field' });
    expect(decodeTransportId(Uint8Array.from([5, 0, 0, 21, 0x41, ...new Array<number>(20).fill(0)]))).toEqual({ ok: false, error: 'bad-name-field' });
  });
  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80, size: 'max' }), (b) => {
      decodeTransportId(b);
    }));
  });
});
