import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { decryptSectors, encryptSectors, isValidXtsKey, sectorTweak } from '../../../src/device/security/xts';
import { newMediaKey, SeededRandom, KeyWrapper } from '../../../src/device/security/media-keys';

const K = new Uint8Array(64).map((_, i) => i);

describe('xts', () => {
  test('the tweak is the absolute LBA as a 128-bit little-endian number', () => {
    expect(Buffer.from(sectorTweak(0x0102030405)).toString('hex')).toBe('0504030201000000' + '0000000000000000');
    expect(Buffer.from(sectorTweak(2 ** 53 - 1)).toString('hex')).toBe('ffffffffffff1f00' + '0000000000000000');
  });

  test('a multi-sector buffer is encrypted as independent sectors (one cipher object per sector)', () => {
    const data = new Uint8Array(1024).map((_, i) => i & 0xff);
    const both = encryptSectors(K, 7, 512, data);
    expect(both.subarray(0, 512)).toEqual(encryptSectors(K, 7, 512, data.subarray(0, 512)));
    expect(both.subarray(512)).toEqual(encryptSectors(K, 8, 512, data.subarray(512)));
    // The same plaintext at another LBA encrypts differently (the tweak is the LBA).
    expect(both.subarray(0, 512)).not.toEqual(encryptSectors(K, 8, 512, data.subarray(0, 512)));
  });

  test('matches node:crypto aes-256-xts with the LBA tweak', () => {
    const data = new Uint8Array(512).fill(0x11);
    const c = createCipheriv('aes-256-xts', K, sectorTweak(99));
    expect(encryptSectors(K, 99, 512, data)).toEqual(new Uint8Array(Buffer.concat([c.update(data), c.final()])));
  });

  test('decrypt inverts encrypt for 512- and 4096-byte sectors', () => {
    fc.assert(fc.property(fc.constantFrom(512, 4096), fc.nat({ max: 2 ** 40 }), fc.uint8Array({ minLength: 16, maxLength: 16 }),
      (ss, lba, seed) => {
        const data = new Uint8Array(ss * 2).map((_, i) => seed[i % 16]! ^ (i & 0xff));
        expect(decryptSectors(K, lba, ss, encryptSectors(K, lba, ss, data))).toEqual(data);
      }), { numRuns: 30 });
  });

  test('a key with equal halves is not a valid XTS key; media keys always have distinct halves', () => {
    expect(isValidXtsKey(new Uint8Array(64).fill(1))).toBe(false);
    expect(isValidXtsKey(K)).toBe(true);
    const rng = new SeededRandom(1);
    for (let i = 0; i < 20; i++) expect(isValidXtsKey(newMediaKey(rng, i))).toBe(true);
  });

  test('the seeded random source is deterministic per seed, label and counter', () => {
    expect(new SeededRandom(1).bytes('x', 3, 40)).toEqual(new SeededRandom(1).bytes('x', 3, 40));
    expect(new SeededRandom(1).bytes('x', 3, 40)).not.toEqual(new SeededRandom(2).bytes('x', 3, 40));
    expect(new SeededRandom(1).bytes('x', 3, 40)).not.toEqual(new SeededRandom(1).bytes('x', 4, 40));
  });

  test('wrapped media keys unwrap to the key and reject tampering', () => {
    const rng = new SeededRandom(5);
    const w = new KeyWrapper(rng);
    const k = newMediaKey(rng, 0);
    const wrapped = w.wrap(k);
    expect(w.unwrap(wrapped)).toEqual(k);
    const bad = wrapped.slice(); bad[3] ^= 1;
    expect(w.unwrap(bad)).toBeUndefined();
    expect(w.unwrap(wrapped.subarray(1))).toBeUndefined();
  });
});
