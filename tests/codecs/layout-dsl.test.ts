// The layout DSL on small declarations that exercise every field kind; the real structures are pinned by
// layout-contract.test.ts (against spec/data/layouts.json) and layout-properties.test.ts.
import fc from 'fast-check';
import {
  struct, u8, u16le, u16be, u32le, u32be, u64be, u64le, i64le, bits, bytes, ascii, group, union, marker,
  varBytes, tail, nested, lengthOf, structSize, offsetTo, reserved, type Layout,
} from '../../src/codecs/layout';
import { referenceDecode } from '../../src/codecs/layout/reference';
import { validValue, validBuffer, fuzzBuffer } from '../../src/codecs/layout/generators';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const KEY = struct('KEY', { KeySize: lengthOf(u32le, 'Key'), Key: varBytes(1, 'KeySize') }, { size: 8, align: 4 });
const INNER = struct('INNER', { Size: structSize(u32le), Pad: reserved(u32le), Start: i64le }, { size: 16, align: 8 });
const OUTER = struct('OUTER', {
  Id: u32le,
  Inner: nested(INNER),
  A: union('x', group({ Low: bits('u8', 4), High: bits('u8', 4), Word: u16le })),
  B: union('x', u32le),
  KeyOffset: offsetTo(u32le, () => KEY),
  Name: ascii(4),
  Blob: bytes(3),
}, { size: 40, align: 8 });
const SCSI = struct('SCSI', {
  Op: u8, Flags: bits('u8', 3), Rest: bits('u8', 5), Len: u16be, Lba: u32be, Key: u64be, Count: lengthOf(u32be, 'Items', 8),
  Items: tail(u64be, 'Count', 8), Mark: marker(),
}, { size: 20, align: 1, pack: 1 });

describe('placement follows MSVC natural alignment', () => {
  test('a nested 8-aligned structure starts on an 8-byte boundary after a ULONG, leaving 4 bytes of padding', () => {
    expect(OUTER.fields.find((f) => f.name === 'Inner')).toEqual({ name: 'Inner', offset: 8, size: 16 });
    expect(OUTER.padding).toEqual([{ offset: 4, size: 4 }, { offset: 39, size: 1 }]);
  });
  test('union members overlay each other and take the largest member size', () => {
    expect(OUTER.fields.filter((f) => f.name.startsWith('A.') || f.name === 'B').map((f) => f.offset)).toEqual([24, 24, 26, 24]);
  });
  test('bit-fields fill a storage unit from bit 0 upward', () => {
    expect(SCSI.fields.filter((f) => f.offset === 1)).toEqual([
      { name: 'Flags', offset: 1, size: 1, bitOffset: 0, bitWidth: 3 },
      { name: 'Rest', offset: 1, size: 1, bitOffset: 3, bitWidth: 5 },
    ]);
  });
  test('a declaration whose size disagrees with the spec is refused when the module loads', () => {
    expect(() => struct('BAD', { a: u8, b: u32le }, { size: 5, align: 4 })).toThrow(/computed 8\/4/);
  });
  test('an ANYSIZE array is declared with its sizeof but reads as many bytes as its length field says', () => {
    expect(KEY.size).toBe(8);
    expect(KEY.padding).toEqual([{ offset: 5, size: 3 }]);
    expect(KEY.headerSize).toBe(4);
  });
});

describe('decode', () => {
  test('reads little-endian Windows fields, big-endian SCSI fields and bit-fields', () => {
    const r = SCSI.decode(hex('28 e5 0102 0a0b0c0d 1122334455667788 00000010 aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb'));
    expect(r).toEqual({
      ok: true,
      value: {
        Op: 0x28, Flags: 5, Rest: 0x1c, Len: 0x0102, Lba: 0x0a0b0c0d, Key: 0x1122334455667788n, Count: 16,
        Items: [0xaaaaaaaaaaaaaaaan, 0xbbbbbbbbbbbbbbbbn],
      },
    });
  });
  test('a tail decodes only the whole elements present, never trusting the count', () => {
    const r = SCSI.decode(hex('00 00 0000 00000000 0000000000000000 ffffffff aaaaaaaaaaaaaaaa bb'));
    expect(r.ok && r.value.Items).toEqual([0xaaaaaaaaaaaaaaaan]);
  });
  test('a short buffer names the lowest-placed field that does not fit (union member B at 24, not A.Word at 26)', () => {
    const r = OUTER.decode(new Uint8Array(27));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ layout: 'OUTER', field: 'B', reason: 'short', need: 40, have: 27, offset: 24 });
  });
  test('an ANYSIZE key running past the buffer is short on Key; one whose end wraps 2^32 is overflow', () => {
    const b = hex('05000000 6b6579');
    expect(KEY.decode(b)).toMatchObject({ ok: false, error: { field: 'Key', reason: 'short', need: 9, have: 7 } });
    const w = hex('00000000 fcffffff');
    expect(KEY.decode(w, 4)).toMatchObject({ ok: false, error: { field: 'Key', reason: 'overflow' } });
    expect(KEY.decode(hex('03000000 6b6579'))).toEqual({ ok: true, value: { KeySize: 3, Key: hex('6b6579') } });
  });
  test('a start offset near 2^32 or past the buffer is rejected, never wrapped', () => {
    const b = new Uint8Array(64);
    for (const at of [0xfffffffc, 0xffffffff, 65, -1, 1.5, Number.NaN]) {
      expect(OUTER.decode(b, at)).toMatchObject({ ok: false, error: { reason: 'out-of-range offset', field: '(start)' } });
    }
    expect(KEY.decode(b, 64)).toMatchObject({ ok: false, error: { reason: 'short' } });
  });
  test('decoded byte arrays are copies: changing the input afterwards does not change the value', () => {
    const b = new Uint8Array(40).fill(7);
    const r = OUTER.decode(b);
    b.fill(0);
    expect(r.ok && Array.from(r.value.Blob)).toEqual([7, 7, 7]);
  });
});

describe('encode', () => {
  test('writes zero padding and zero for omitted fields', () => {
    const r = OUTER.encode({ Id: 2, Inner: { Size: 16, Start: -1n } });
    expect(r.ok && toHex(r.value)).toBe(
      '02000000' + '00000000' + '10000000' + '00000000' + 'ffffffffffffffff' + '00000000' + '00000000' + '00000000' + '000000' + '00',
    );
  });
  test('range-checks every integer instead of wrapping (uint8 300 is an error naming the field)', () => {
    expect(SCSI.encode({ Op: 300 })).toMatchObject({ ok: false, error: { field: 'Op', reason: 'bad value' } });
    expect(SCSI.encode({ Flags: 8 })).toMatchObject({ ok: false, error: { field: 'Flags' } });
    expect(OUTER.encode({ Inner: { Start: 1n << 63n } })).toMatchObject({ ok: false, error: { field: 'Inner.Start' } });
    expect(OUTER.encode({ Blob: new Uint8Array(4) })).toMatchObject({ ok: false, error: { field: 'Blob' } });
    expect(OUTER.encode({ Name: 'toolong' })).toMatchObject({ ok: false, error: { field: 'Name' } });
    expect(OUTER.encode({ Inner: 5 as never })).toMatchObject({ ok: false, error: { field: 'Inner' } });
  });
  test('derives a left-out length field from the data it counts, and keeps a given one (fuzzing needs liars)', () => {
    expect(toHex(KEY.bytes({ Key: hex('6b657931') }))).toBe('040000006b657931');
    expect(toHex(KEY.bytes({ KeySize: 9, Key: hex('6b') }))).toBe('090000006b');
    expect(toHex(SCSI.bytes({ Items: [1n] }))).toBe('00'.repeat(16) + '00000008' + '0000000000000001');
  });
  test('a bit-field write leaves its neighbours in the same byte alone', () => {
    expect(toHex(SCSI.bytes({ Flags: 7, Rest: 0x1f }).subarray(1, 2))).toBe('ff');
    expect(toHex(OUTER.bytes({ A: { Low: 3, High: 0xa } }).subarray(24, 25))).toBe('a3');
  });
});

describe('the compiled decoder agrees with restructure, the declarative reference', () => {
  for (const layout of [OUTER, SCSI, INNER] as Layout<unknown>[]) {
    test(`${layout.name}: same values for arbitrary bytes`, () => {
      fc.assert(fc.property(fc.uint8Array({ minLength: layout.size, maxLength: layout.size + 8 }), fc.nat(8), (b, shift) => {
        const at = Math.min(shift, b.length - layout.size);
        const mine = layout.decode(b, at);
        expect(mine.ok).toBe(true);
        const { Items: _i, ...fixed } = (mine.ok ? mine.value : {}) as Record<string, unknown>;
        expect(fixed).toEqual(referenceDecode(layout, b, at));
      }));
    });
  }
});

describe('generated values and buffers', () => {
  test('encode then decode is the identity on valid values (and the bytes are a fixpoint)', () => {
    for (const layout of [OUTER, SCSI, KEY] as const) {
      fc.assert(fc.property(validValue(layout as never), (v) => {
        const e = (layout as typeof OUTER).encode(v as never);
        expect(e.ok).toBe(true);
        if (!e.ok) return;
        const d = (layout as typeof OUTER).decode(e.value);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.value).toMatchObject(v as object);
        const again = (layout as typeof OUTER).encode(d.value);
        expect(again.ok && toHex(again.value)).toBe(toHex(e.value));
      }));
    }
  });
  test('valid buffers place each referenced part after the fixed structure, aligned, and point at it', () => {
    fc.assert(fc.property(validBuffer(OUTER), ({ bytes, value }) => {
      const d = OUTER.decode(bytes);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.value.KeyOffset).toBe(value.KeyOffset ?? 0);
      if (d.value.KeyOffset !== 0) {
        expect(d.value.KeyOffset).toBeGreaterThanOrEqual(OUTER.size);
        expect(d.value.KeyOffset % KEY.align).toBe(0);
        expect(KEY.decode(bytes, d.value.KeyOffset).ok).toBe(true);
      }
    }));
  });
  test('decoding every truncated prefix and every fuzz buffer returns a value or an error and never throws', () => {
    fc.assert(fc.property(fuzzBuffer(OUTER), fc.nat(), (g, cut) => {
      const prefix = g.bytes.subarray(0, g.bytes.length ? cut % (g.bytes.length + 1) : 0);
      for (const b of [g.bytes, prefix]) {
        const r = OUTER.decode(b);
        expect(r.ok).toBe(b.length >= OUTER.size);
        const k = KEY.decode(b, cut % 64);
        expect(typeof k.ok).toBe('boolean');
      }
    }));
  });
  test('the fuzz mix labels boundary and mutant cases with the field they changed', () => {
    const tiers = new Set<string>();
    fc.assert(fc.property(fuzzBuffer(OUTER), (g) => {
      tiers.add(g.tier);
      if (g.tier === 'boundary' || g.tier === 'mutant') expect(OUTER.fields.map((f) => f.name).concat(OUTER.leaves.map((l) => l.name))).toContain(g.field);
    }), { numRuns: 500 });
    expect([...tiers].sort()).toEqual(expect.arrayContaining(['boundary', 'mutant', 'raw', 'valid']));
  });
});

describe('field readers', () => {
  test('a reader derived from the declaration reads the same value as decode, without building an object', () => {
    const lba = SCSI.reader('Lba');
    const flags = SCSI.reader('Flags');
    const key = SCSI.reader<bigint>('Key');
    fc.assert(fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), fc.nat(4), (b, at) => {
      const d = SCSI.decode(b, at);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(lba(b, at)).toBe(d.value.Lba);
      expect(flags(b, at)).toBe(d.value.Flags);
      expect(key(b, at)).toBe(d.value.Key);
    }));
  });
  test('64-bit readers (u64be, u64le, i64le) read every bit and the sign as decode does', () => {
    const WIDE = struct('WIDE', { Be: u64be, Le: u64le, Signed: i64le }, { size: 24, align: 8 });
    const be = WIDE.reader<bigint>('Be');
    const le = WIDE.reader<bigint>('Le');
    const signed = WIDE.reader<bigint>('Signed');
    fc.assert(fc.property(fc.uint8Array({ minLength: 30, maxLength: 30 }), fc.nat(6), (b, at) => {
      const d = WIDE.decode(b, at);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect([be(b, at), le(b, at), signed(b, at)]).toEqual([d.value.Be, d.value.Le, d.value.Signed]);
    }));
  });
  test('asking for a field the declaration lacks is a programming error', () => {
    expect(() => SCSI.reader('Nope')).toThrow(/no field Nope/);
  });
});

describe('decoded byte arrays from Node Buffers', () => {
  test('are plain copies, not views into the (pooled) Buffer memory', () => {
    const pooled = Buffer.from('0300000061626302' + '0'.repeat(64), 'hex'); // Buffer.from uses the shared pool
    const k = KEY.decode(pooled);
    expect(k.ok && k.value.Key.constructor).toBe(Uint8Array);
    expect(k.ok && k.value.Key.byteOffset).toBe(0);
    expect(k.ok && Array.from(new Uint8Array(k.value.Key.buffer))).toEqual([0x61, 0x62, 0x63]);
    const o = OUTER.decode(Buffer.alloc(40, 9));
    expect(o.ok && o.value.Blob.buffer.byteLength).toBe(3);
  });
});

describe('encode on pooled memory', () => {
  test('every byte of the result is written: stale pool contents never leak into padding or omitted fields', () => {
    // dirty the pool, then encode values with padding, omitted fields, an ANYSIZE part and a tail
    for (let i = 0; i < 64; i++) Buffer.allocUnsafe(48).fill(0xee);
    for (let i = 0; i < 64; i++) {
      Buffer.allocUnsafe(40).fill(0xee);
      expect(toHex(OUTER.bytes({ Id: 1 }))).toBe('01' + '00'.repeat(39));
      Buffer.allocUnsafe(9).fill(0xee);
      expect(toHex(KEY.bytes({ Key: hex('aa') }))).toBe('01000000aa');
      Buffer.allocUnsafe(28).fill(0xee);
      expect(toHex(SCSI.bytes({ Items: [2n] }))).toBe('00'.repeat(16) + '00000008' + '0000000000000002');
    }
  });
});
