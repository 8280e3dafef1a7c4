// The performance work of issue 8 (docs/performance.md §1-§3) must not change a single byte: sector I/O
// writes straight into its destination, verifiers use HKDF written out as two HMACs, the factory band table
// is built lazily and shared per seed, and a commit wraps only the media keys that changed. Each is checked
// here against the straightforward computation it replaced.
import * as crypto from 'node:crypto';

// node:crypto's exports cannot be spied on in place; a pass-through mock counts the calls instead.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, createCipheriv: jest.fn(actual.createCipheriv), createHmac: jest.fn(actual.createHmac) };
});
const createCipherivMock = crypto.createCipheriv as unknown as jest.Mock;
const createHmacMock = crypto.createHmac as unknown as jest.Mock;
const hex = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : Buffer.from(b).toString('hex'));
import fc from 'fast-check';
import {
  NONPERSISTENT_UNLOCK, PERSISTENT_LOCK, PERSISTENT_UNLOCK, type LockState,
} from '../../../src/device/security/band-table';
import { makeVerifier, publicKeyVerifier } from '../../../src/device/security/credentials';
import { EncryptedSectorAccess } from '../../../src/device/security/encrypted-sector-access';
import { KeyWrapper, newMediaKey, SeededRandom } from '../../../src/device/security/media-keys';
import {
  clearSecurityCaches, SECURITY_DEFAULTS, SecuritySubsystem, type SecResult, type SecurityArg, type SecurityOptions,
} from '../../../src/device/security/security-subsystem';
import { encryptSectors, sectorTweak, xtsInto } from '../../../src/device/security/xts';
import { key, md, rig, type Rig } from './helpers';

const K = new Uint8Array(64).map((_, i) => (i * 13 + 1) & 0xff);

function must<T>(r: SecResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

const unlocked: SecurityArg = { readLock: PERSISTENT_UNLOCK, writeLock: PERSISTENT_UNLOCK, metadata: md(0) };

function create(r: Rig, start: number, n: number, k?: Uint8Array, sec: SecurityArg = unlocked, ss = 512n): number {
  const p = must(r.security.prepareCreate({ bandStart: BigInt(start) * ss, bandSize: BigInt(n) * ss, metadata: md(1) }, sec, k));
  return must(p.commit()).bandId;
}

/** Reference XTS: a fresh cipher, a fresh tweak and final() per sector, as before the change. */
function referenceXts(encrypt: boolean, k: Uint8Array, lba: number, ss: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let at = 0, l = lba; at < data.length; at += ss, l++) {
    const c = encrypt ? crypto.createCipheriv('aes-256-xts', k, sectorTweak(l)) : crypto.createDecipheriv('aes-256-xts', k, sectorTweak(l));
    out.set(Buffer.concat([c.update(data.subarray(at, at + ss)), c.final()]), at);
  }
  return out;
}

describe('xts fast path', () => {
  test('xtsInto equals a cipher-plus-final per sector, into an offset and in place, for both sector sizes', () => {
    fc.assert(fc.property(fc.constantFrom(512, 4096), fc.integer({ min: 1, max: 4 }), fc.nat({ max: 2 ** 45 }), fc.nat(255),
      (ss, n, lba, fill) => {
        const data = new Uint8Array(ss * n).map((_, i) => (i * 31 + fill) & 0xff);
        const want = referenceXts(true, K, lba, ss, data);
        const dst = new Uint8Array(data.length + 32).fill(0xee);
        xtsInto(true, K, lba, ss, data, dst, 16);
        expect(dst.subarray(16, 16 + data.length)).toEqual(want);
        expect(dst.subarray(0, 16).every((b) => b === 0xee) && dst.subarray(16 + data.length).every((b) => b === 0xee)).toBe(true);
        const inPlace = want.slice();
        xtsInto(false, K, lba, ss, inPlace, inPlace);
        expect(inPlace).toEqual(data);
      }), { numRuns: 25 });
  });

  test('the shared tweak buffer does not carry one call into the next (high LBA, then LBA 0)', () => {
    const data = new Uint8Array(512).fill(3);
    encryptSectors(K, 2 ** 52 + 5, 512, data);
    expect(encryptSectors(K, 0, 512, data)).toEqual(referenceXts(true, K, 0, 512, data));
  });
});

describe('verifiers: HKDF as two HMACs, and deferred verifiers of the public key', () => {
  test('the verifier hash is byte-identical to hkdfSync', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(1000), (k, draw) => {
      const v = makeVerifier(k, new SeededRandom(3), draw);
      const want = new Uint8Array(crypto.hkdfSync('sha256', k, v.salt, 'vdisk credential verifier v1', 32));
      expect(v.hash).toEqual(want);
    }), { numRuns: 50 });
  });

  test('a deferred verifier has the same salt and hash as an eager one', () => {
    const rng = new SeededRandom(9);
    const k = rng.bytes('default-key', 0, 32);
    for (const draw of [0, 1, 17]) {
      const eager = makeVerifier(k, rng, draw);
      const lazy = publicKeyVerifier(k, rng, draw);
      expect(lazy.hash).toEqual(eager.hash); // hash first: it derives the salt itself
      expect(lazy.salt).toEqual(eager.salt);
    }
  });
});

describe('key wrapping cache', () => {
  test('cached wraps and unwraps equal fresh ones; a fresh wrapper of the seed unwraps them', () => {
    const rng = new SeededRandom(5);
    const w = new KeyWrapper(rng);
    const k = newMediaKey(rng, 0);
    const first = Uint8Array.from(w.wrap(k));
    expect(w.wrap(k)).toBe(w.wrap(k)); // cached
    expect(hex(w.wrap(k))).toBe(hex(first));
    expect(hex(w.wrap(Uint8Array.from(k)))).toBe(hex(first)); // equal bytes in another object: same wrapped bytes
    expect(hex(new KeyWrapper(new SeededRandom(5)).wrap(k))).toBe(hex(first));
    expect(hex(new KeyWrapper(new SeededRandom(5)).unwrap(first))).toBe(hex(k));
    expect(hex(w.unwrap(first))).toBe(hex(k));
    const bad = first.slice(); bad[70] ^= 1;
    expect(w.unwrap(bad)).toBeUndefined();
    expect(new KeyWrapper(new SeededRandom(6)).unwrap(first)).toBeUndefined();
  });

  test('a commit wraps only the media keys that changed', () => {
    const r = rig({ maxBands: 16 });
    const k = key(8);
    const id = create(r, 0, 8, k);
    createCipherivMock.mockClear();
    const wraps = (): number => createCipherivMock.mock.calls.filter((c) => c[0] === 'id-aes256-wrap').length;
    must(must(r.security.prepareSetSecurity(id, k, undefined, { ...unlocked, readLock: PERSISTENT_LOCK })).commit());
    expect(wraps()).toBe(0); // no media key changed
    r.security.snapshot();
    expect(wraps()).toBe(0);
    must(must(r.security.prepareErase(id, undefined)).commit());
    expect(wraps()).toBe(1); // the erased band's new key, once
  });
});

describe('lazy, shared factory table', () => {
  const opts = (o: Partial<SecurityOptions>): SecurityOptions => ({ ...SECURITY_DEFAULTS, mode: 'active', ...o });
  const link = { poweredOff: () => false, commit: () => ({ ok: true }) };

  test('creating a subsystem (and power-cycling it without a record) derives nothing', () => {
    createHmacMock.mockClear();
    for (const mode of ['none', 'inactive', 'active'] as const) {
      const s = new SecuritySubsystem(opts({ mode, seed: 424242 }), link);
      s.powerUp(null);
      s.relockedBands();
    }
    expect(createHmacMock).not.toHaveBeenCalled();
  });

  test('records and snapshots are the same with a cold cache, a warm cache and a caller SID/erase/PSID key', () => {
    const run = (o: Partial<SecurityOptions>): string[] => {
      const r = rig(o);
      const out = [JSON.stringify(r.security.snapshot()), Buffer.from(r.security.record()).toString('hex')];
      const id = create(r, 8, 8, key(8));
      must(must(r.security.prepareSetMetadata(id, key(8), 3, Uint8Array.of(1, 2, 3))).commit());
      r.powerCycle();
      out.push(JSON.stringify(r.security.snapshot()), Buffer.from(r.security.record()).toString('hex'));
      const erase = o.eraseKey === undefined ? must(must(r.security.prepareErase(0, undefined)).commit()) : undefined;
      out.push(JSON.stringify(erase), Buffer.from(r.security.record()).toString('hex'));
      return out;
    };
    for (const o of [{ seed: 31 }, { seed: 31, maxBands: 3, bandMetadataSize: 16, maxKeyLength: 20 },
      { seed: 31, sidKey: key(6, 1), eraseKey: key(7, 2), psid: key(9, 3) }] as Partial<SecurityOptions>[]) {
      clearSecurityCaches();
      const cold = run(o);
      expect(run(o)).toEqual(cold); // warm
      clearSecurityCaches();
      expect(run(o)).toEqual(cold);
    }
  });

  test('a caller SID key is honoured on a seed whose factory table is cached', () => {
    rig({ mode: 'inactive', seed: 77 }); // caches seed 77's factory table
    const r = rig({ mode: 'inactive', seed: 77, sidKey: key(12, 9) });
    expect(r.security.activate(undefined, false)).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    must(r.security.activate(key(12, 9), false));
  });

  test('disks sharing a cached factory table do not see each other\'s changes', () => {
    const a = rig({ seed: 55 });
    const b = rig({ seed: 55 });
    const before = JSON.stringify(b.security.snapshot());
    const id = create(a, 0, 8, key(8));
    must(must(a.security.prepareSetMetadata(id, key(8), 0, new Uint8Array(16).fill(9))).commit());
    must(must(a.security.prepareSetMetadata(0, undefined, 0, new Uint8Array(16).fill(7))).commit());
    must(must(a.security.prepareErase(0, undefined)).commit());
    expect(JSON.stringify(b.security.snapshot())).toBe(before);
    expect(JSON.stringify(rig({ seed: 55 }).security.snapshot())).toBe(before);
  });

  test('the PSID still reverts with the seed-derived PSID when none is given', () => {
    const r = rig({ seed: 12 });
    const psid = new SeededRandom(12).bytes('psid', 0, 32);
    expect(r.security.revert(key(32, 1), true)).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    must(r.security.revert(psid, true));
  });
});

describe('encrypted sector access: per-run keys, direct output', () => {
  function setup(ss: number): { r: Rig; io: EncryptedSectorAccess; keyOf: (lba: number) => Uint8Array } {
    const r = rig({ seed: 2, sectorSize: ss, sectors: 64, maxBands: 4 });
    create(r, 10, 5, key(8), unlocked, BigInt(ss));
    create(r, 20, 3, key(8), unlocked, BigInt(ss));
    const io = new EncryptedSectorAccess(r.store, r.security);
    const t = r.security.ioView().table;
    const keyOf = (lba: number): Uint8Array => t.slots[lba >= 10 && lba < 15 ? 1 : lba >= 20 && lba < 23 ? 2 : 0]!.mediaKey;
    return { r, io, keyOf };
  }

  test.each([512, 4096])('a write across bands stores each sector under its own band key; reads invert it (%i)', (ss) => {
    const { r, io, keyOf } = setup(ss);
    const data = new Uint8Array(ss * 20).map((_, i) => (i * 7 + 1) & 0xff);
    expect(io.write(8n, data).ok).toBe(true);
    const stored = new Uint8Array(data.length);
    r.store.read(8, 20, stored);
    for (let i = 0; i < 20; i++) {
      const l = 8 + i;
      expect(stored.subarray(i * ss, (i + 1) * ss)).toEqual(referenceXts(true, keyOf(l), l, ss, data.subarray(i * ss, (i + 1) * ss)));
    }
    const back = new Uint8Array(ss * 24).fill(0xcc);
    expect(io.read(6n, 24, back).ok).toBe(true);
    expect(back.subarray(0, 2 * ss).every((b) => b === 0)).toBe(true); // never written: zeros
    expect(back.subarray(2 * ss, 22 * ss)).toEqual(data);
    expect(back.subarray(22 * ss).every((b) => b === 0)).toBe(true);
    // one sector (its own fast path), in band 1 and in the global band
    for (const l of [12, 30]) {
      const one = new Uint8Array(ss).fill(l);
      expect(io.write(BigInt(l), one).ok).toBe(true);
      const s1 = new Uint8Array(ss);
      r.store.read(l, 1, s1);
      expect(s1).toEqual(referenceXts(true, keyOf(l), l, ss, one));
      const b1 = new Uint8Array(ss);
      expect(io.read(BigInt(l), 1, b1).ok).toBe(true);
      expect(b1).toEqual(one);
    }
    const unwritten = new Uint8Array(ss).fill(1);
    expect(io.read(40n, 1, unwritten).ok).toBe(true);
    expect(unwritten.every((b) => b === 0)).toBe(true);
  });

  test('anyBandLockedIn agrees with lockedBandsIn', () => {
    const locks: LockState[] = [PERSISTENT_UNLOCK, NONPERSISTENT_UNLOCK, PERSISTENT_LOCK];
    fc.assert(fc.property(
      fc.array(fc.record({ start: fc.nat(60), n: fc.integer({ min: 1, max: 8 }), r: fc.constantFrom(...locks), w: fc.constantFrom(...locks) }), { maxLength: 4 }),
      fc.constantFrom(...locks), fc.constantFrom(...locks), fc.boolean(),
      fc.array(fc.tuple(fc.nat(63), fc.integer({ min: 1, max: 64 }), fc.boolean()), { minLength: 1, maxLength: 10 }),
      (bands, gr, gw, cycle, probes) => {
        const r = rig({ seed: 4, sectors: 64, maxBands: 6 });
        for (const b of bands) {
          const p = r.security.prepareCreate({ bandStart: BigInt(b.start) * 512n, bandSize: BigInt(b.n) * 512n, metadata: md(0) },
            { readLock: b.r, writeLock: b.w, metadata: md(0) }, undefined);
          if (p.ok) must(p.value.commit());
        }
        must(must(r.security.prepareSetSecurity(0, undefined, undefined, { readLock: gr, writeLock: gw, metadata: md(0) })).commit());
        if (cycle) r.powerCycle();
        for (const [lba, count, write] of probes) {
          const n = Math.min(count, 64 - lba);
          expect(r.security.anyBandLockedIn(lba, n, write)).toBe(r.security.lockedBandsIn(lba, n, write).length > 0);
        }
      }), { numRuns: 60 });
  });
});
