import fc from 'fast-check';
import {
  STATUS_INVALID_BUFFER_SIZE, STATUS_INVALID_PARAMETER,
} from '../../../src/codecs/ntstatus';
import { checkFixed, checkParts, type PartRef } from '../../../src/dispatch/band-silo/parts';
import { authKey, locationInfo, securityInfo } from './build';

const LIMITS = { minAuthKeyLength: 4, maxAuthKeyLength: 16 };
const FIXED = 40;
const buf = (n: number, at: number, bytes: Uint8Array): Uint8Array => {
  const b = new Uint8Array(n);
  b.set(bytes, at);
  return b;
};
const status = (r: { ok: boolean; status?: number }): string =>
  r.ok ? 'ok' : r.status === STATUS_INVALID_BUFFER_SIZE ? 'INVALID_BUFFER_SIZE' : r.status === STATUS_INVALID_PARAMETER ? 'INVALID_PARAMETER' : String(r.status);
const key1 = (offset: number): PartRef[] => [{ field: 'AuthKeyOffset', kind: 'authKey', offset }];

describe('D2 steps 3-4: the fixed structure', () => {
  test.each([
    ['shorter than sizeof', 'INVALID_BUFFER_SIZE', 11, 12, 0],
    ['StructSize one less', 'INVALID_PARAMETER', 12, 11, 0],
    ['StructSize one more', 'INVALID_PARAMETER', 13, 13, 0],
    ['an unknown Flags bit', 'INVALID_PARAMETER', 12, 12, 0x4],
    ['Flags bit 31', 'INVALID_PARAMETER', 12, 12, 0x80000000],
    ['well formed', 'ok', 12, 12, 0x3],
  ])('%s → %s', (_n, want, length, structSize, flags) => {
    const b = Buffer.alloc(length);
    if (length >= 4) b.writeUInt32LE(structSize, 0);
    if (length >= 8) b.writeUInt32LE(flags >>> 0, 4);
    expect(status(checkFixed(b, { size: 12, flagsAt: 4, allowedFlags: 0x3 }))).toBe(want);
  });
});

describe('D2 step 5: an AUTH_KEY part', () => {
  const K = (n: number) => authKey(new Uint8Array(n).fill(7));
  test.each([
    ['past the end', 'INVALID_BUFFER_SIZE', 64, 64, K(4)],
    ['header runs past the end', 'INVALID_BUFFER_SIZE', 64, 61, new Uint8Array(0)],
    ['0xFFFFFFFF (offset + 4 must not wrap to 3)', 'INVALID_BUFFER_SIZE', 64, 0xffffffff, new Uint8Array(0)],
    ['0xFFFFFFFC (offset + 4 = 2^32 exactly)', 'INVALID_BUFFER_SIZE', 64, 0xfffffffc, new Uint8Array(0)],
    ['into the fixed header', 'INVALID_PARAMETER', 64, 8, new Uint8Array(0)],
    ['KeySize 0 = default key', 'ok', 44, 40, K(0)],
    ['KeySize min−1', 'INVALID_PARAMETER', 64, 40, K(3)],
    ['KeySize min', 'ok', 64, 40, K(4)],
    ['KeySize max', 'ok', 64, 40, K(16)],
    ['KeySize max+1', 'INVALID_PARAMETER', 64, 40, K(17)],
    ['key exactly to the buffer end', 'ok', 48, 40, K(4)],
    ['key one byte past the end', 'INVALID_BUFFER_SIZE', 47, 40, K(4)],
  ])('%s → %s', (_n, want, length, offset, part) => {
    const b = offset < length ? buf(length, offset, part.subarray(0, length - offset)) : new Uint8Array(length);
    expect(status(checkParts(b, FIXED, key1(offset), LIMITS))).toBe(want);
  });

  test('KeySize 0xFFFFFFFF: the key runs past the buffer, which wins over the KeySize range (D2 step 5)', () => {
    const b = buf(64, 40, authKey(new Uint8Array(0), 0xffffffff));
    expect(status(checkParts(b, FIXED, key1(40), LIMITS))).toBe('INVALID_BUFFER_SIZE');
  });

  test('KeySize with offset + 4 + KeySize ≥ 2^32 is outside, never wrapped (0xFFFFFFFC + 4 + 4)', () => {
    const b = buf(64, 40, authKey(new Uint8Array(0), 0xfffffffc));
    expect(status(checkParts(b, FIXED, key1(40), LIMITS))).toBe('INVALID_BUFFER_SIZE');
  });

  test('the key is a view into the input: nothing allocated in proportion to KeySize', () => {
    const b = buf(64, 40, authKey(new Uint8Array(8).fill(9)));
    const r = checkParts(b, FIXED, key1(40), LIMITS);
    expect(r.ok && r.value['AuthKeyOffset']).toMatchObject({ kind: 'authKey' });
    if (r.ok && r.value['AuthKeyOffset']?.kind === 'authKey') expect(r.value['AuthKeyOffset'].key.buffer).toBe(b.buffer);
  });
});

describe('D2 step 5: several parts', () => {
  const refs = (loc: number, sec: number, k: number): PartRef[] => [
    { field: 'Loc', kind: 'location', offset: loc, required: true },
    { field: 'Sec', kind: 'security', offset: sec },
    { field: 'Key', kind: 'authKey', offset: k },
  ];
  const good = (): Uint8Array => {
    const b = new Uint8Array(40 + 56 + 56 + 8);
    b.set(locationInfo(0n, 512n), 40);
    b.set(securityInfo(1, 1), 96);
    b.set(authKey(new Uint8Array(4).fill(1)), 152);
    return b;
  };

  test('well formed', () => expect(status(checkParts(good(), FIXED, refs(40, 96, 152), LIMITS))).toBe('ok'));
  test('a required part with offset 0 → INVALID_PARAMETER', () =>
    expect(status(checkParts(good(), FIXED, refs(0, 96, 152), LIMITS))).toBe('INVALID_PARAMETER'));
  test('overlapping parts → INVALID_PARAMETER', () =>
    expect(status(checkParts(good(), FIXED, refs(40, 90, 152), LIMITS))).toBe('INVALID_PARAMETER'));
  test('bounds of every part before any INVALID_PARAMETER: a bad first part and an out-of-bounds last one', () => {
    const b = good();
    b[40] = 55; // Loc StructSize wrong
    expect(status(checkParts(b, FIXED, refs(40, 96, 157), LIMITS))).toBe('INVALID_BUFFER_SIZE');
  });
  test.each([
    ['location StructSize 55', 40, 55],
    ['security StructSize 57', 96, 57],
  ])('%s → INVALID_PARAMETER', (_n, at, v) => {
    const b = good();
    b[at] = v;
    expect(status(checkParts(b, FIXED, refs(40, 96, 152), LIMITS))).toBe('INVALID_PARAMETER');
  });
  test.each([0, 4, 0xffffffff])('LOCKSTATE %i → INVALID_PARAMETER', (lock) => {
    const b = good();
    b.set(securityInfo(lock, 1), 96);
    expect(status(checkParts(b, FIXED, refs(40, 96, 152), LIMITS))).toBe('INVALID_PARAMETER');
  });
  test.each([
    ['CryptoAlgoIdType', { algoType: 1 }],
    ['CryptoAlgoOidString.Offset', { oidOffset: 56 }],
    ['CryptoAlgoOidString.Length', { oidLength: 21 }],
  ])('non-zero %s on input → INVALID_PARAMETER', (_n, over) => {
    const b = good();
    b.set(securityInfo(1, 1, 0, over), 96);
    expect(status(checkParts(b, FIXED, refs(40, 96, 152), LIMITS))).toBe('INVALID_PARAMETER');
  });
  test('offsets need no alignment', () => {
    const b = new Uint8Array(41 + 56 + 56 + 8);
    b.set(locationInfo(0n, 512n), 41);
    b.set(securityInfo(1, 1), 97);
    b.set(authKey(new Uint8Array(4)), 153);
    expect(status(checkParts(b, FIXED, refs(41, 97, 153), LIMITS))).toBe('ok');
  });
  test('two AUTH_KEY fields may share one part only when named as the same-key pair', () => {
    const b = buf(48, 40, authKey(new Uint8Array(4).fill(3)));
    const two: PartRef[] = [{ field: 'Cur', kind: 'authKey', offset: 40 }, { field: 'New', kind: 'authKey', offset: 40 }];
    expect(status(checkParts(b, FIXED, two, LIMITS, ['Cur', 'New']))).toBe('ok');
    expect(status(checkParts(b, FIXED, two, LIMITS))).toBe('INVALID_PARAMETER');
  });
});

describe('D2 step 5: properties', () => {
  test('never throws; any part outside the buffer gives INVALID_BUFFER_SIZE whatever else is wrong', () => {
    const offsets = fc.oneof(
      fc.constantFrom(0, 1, 3, 4, 39, 40, 41, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffc, 0xffff, 0x10000),
      fc.nat({ max: 300 }),
    );
    fc.assert(fc.property(fc.uint8Array({ minLength: 40, maxLength: 300, size: 'max' }), offsets, offsets, offsets,
      (bytes, a, s, k) => {
        const refs: PartRef[] = [
          { field: 'Loc', kind: 'location', offset: a, required: true },
          { field: 'Sec', kind: 'security', offset: s },
          { field: 'Key', kind: 'authKey', offset: k },
        ];
        const r = checkParts(bytes, FIXED, refs, LIMITS);
        const outside = (a !== 0 && a + 56 > bytes.length) || (s !== 0 && s + 56 > bytes.length)
          || (k !== 0 && (k + 4 > bytes.length || k + 4 + Buffer.from(bytes).readUInt32LE(k) > bytes.length));
        if (outside) expect(r).toEqual({ ok: false, status: STATUS_INVALID_BUFFER_SIZE });
        else if (!r.ok) expect(r.status).toBe(STATUS_INVALID_PARAMETER);
      }));
  });
});
