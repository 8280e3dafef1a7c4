import {
  NONPERSISTENT_UNLOCK, PERSISTENT_LOCK, PERSISTENT_UNLOCK,
} from '../../../src/device/security/band-table';
import {
  CAPS_ACTIVATED, CAPS_BANDCROSSING_SUPPORTED, CAPS_SID_SECURED, type SecResult, type SecurityArg,
} from '../../../src/device/security/security-subsystem';
import { COMMIT_WRITE_STEPS } from '../../../src/device/store';
import { contains, key, md, rig, type Rig } from './helpers';

const SS = 512n;
const loc = (startSectors: number, sectors: number, fill = 0) =>
  ({ bandStart: BigInt(startSectors) * SS, bandSize: BigInt(sectors) * SS, metadata: md(fill) });
const unlocked: SecurityArg = { readLock: PERSISTENT_UNLOCK, writeLock: PERSISTENT_UNLOCK, metadata: md(0) };

function must<T>(r: SecResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return r.value;
}

function create(r: Rig, start: number, n: number, k?: Uint8Array, sec: SecurityArg = unlocked): number {
  const p = must(r.security.prepareCreate(loc(start, n), sec, k));
  return must(p.commit()).bandId;
}

describe('security subsystem: capabilities and activation (D5)', () => {
  test('capabilities report the options, band crossing, and CAPS_ACTIVATED only once activated', () => {
    const r = rig({ mode: 'inactive', maxBands: 4, minKeyLength: 2, maxKeyLength: 40, bandMetadataSize: 64 });
    expect(r.security.capabilities()).toEqual({
      capabilities: CAPS_BANDCROSSING_SUPPORTED, keyProtectionMechanism: 0, minAuthKeyLength: 2,
      maxAuthKeyLength: 40, maxBandCount: 4, maxSimultaneousReencryptionCount: 0, bandMetadataSize: 64,
    });
    expect(r.security.gate(false)).toEqual({ ok: false, error: { code: 'not-activated' } });
    must(r.security.gate(true));
    must(r.security.activate(undefined, true));
    expect(r.security.capabilities().capabilities).toBe(CAPS_BANDCROSSING_SUPPORTED | CAPS_ACTIVATED | CAPS_SID_SECURED);
    expect(r.security.gate(true)).toEqual({ ok: false, error: { code: 'already-activated' } });
  });

  test('a disabled SID refuses every key and does not count the attempt', () => {
    const r = rig({ mode: 'inactive' });
    must(r.security.activate(undefined, true));
    expect(r.security.revert(undefined, false)).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    expect(r.security.tryCount('sid')).toBe(0);
  });

  test('REVERT with the PSID crypto-erases every band, deletes them and deactivates', () => {
    const psid = key(32, 0x77);
    const r = rig({ psid });
    const id = create(r, 100, 100, key(8));
    const before = r.security.snapshot();
    expect(r.security.revert(key(32, 0x78), true)).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
    must(r.security.revert(psid, true));
    const after = r.security.snapshot();
    expect(after.activated).toBe(false);
    expect(after.bands[id]!.configured).toBe(false);
    for (let i = 0; i < before.bands.length; i++) expect(after.bands[i]!.keyGeneration).not.toBe(before.bands[i]!.keyGeneration);
  });
});

describe('security subsystem: try limits (D3)', () => {
  test('wrong keys count; at the limit even the right key is refused until a power cycle; success resets', () => {
    const r = rig({ tryLimit: 3 });
    const good = key(8, 1);
    const id = create(r, 0, 8, good);
    const attempt = (k: Uint8Array) => r.security.prepareSetMetadata(id, k, 0, new Uint8Array(1));
    expect(attempt(key(8, 2)).ok).toBe(false);
    expect(attempt(key(8, 2)).ok).toBe(false);
    expect(r.security.tryCount(`band:${id}`)).toBe(2);
    must(must(attempt(good)).commit()); // success resets the counter (TCG Tries)
    expect(r.security.tryCount(`band:${id}`)).toBe(0);
    for (let i = 0; i < 3; i++) expect(attempt(key(8, 2)).ok).toBe(false);
    expect(attempt(good)).toMatchObject({ ok: false, error: { code: 'auth-failed' } }); // locked out
    r.powerCycle();
    must(attempt(good));
  });

  test('a successful authentication of a request that then fails does not reset the counter (D3)', () => {
    const r = rig();
    must(r.security.prepareErase(0, undefined)); // erase credential: default key — not committed
    expect(r.security.prepareDelete(0, key(5), false).ok).toBe(false); // global band: wrong key counts
    expect(r.security.tryCount('band:0')).toBe(1);
    expect(r.security.prepareDelete(0, undefined, false)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(r.security.tryCount('band:0')).toBe(1);
  });
});

describe('security subsystem: step 9 checks in D2 order', () => {
  test('overlap before table full before geometry', () => {
    const r = rig({ maxBands: 2 });
    create(r, 0, 8);
    // overlapping and table full and misaligned: overlap wins
    expect(r.security.prepareCreate({ bandStart: 1n, bandSize: 4096n, metadata: md(0) }, undefined, undefined))
      .toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(r.security.prepareCreate(loc(100, 8), undefined, undefined)).toMatchObject({ ok: false, error: { code: 'table-full' } });
  });

  test.each([
    ['negative start', -512n, 512n],
    ['misaligned start', 100n, 512n],
    ['misaligned size', 512n, 100n],
    ['size 0', 512n, 0n],
    ['negative size', 512n, -512n],
    ['beyond capacity', 2047n * 512n, 1024n],
    ['start + size wraps 2^64 as unsigned', 0x7fffffffffffe000n, 0x4000n],
  ])('geometry: %s → invalid', (_n, bandStart, bandSize) => {
    const r = rig();
    expect(r.security.prepareCreate({ bandStart, bandSize, metadata: md(0) }, undefined, undefined))
      .toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  test('a band ending exactly at the capacity is accepted; the new band takes the lowest free id', () => {
    const r = rig();
    expect(create(r, 2040, 8)).toBe(1);
    expect(create(r, 0, 8)).toBe(2);
  });

  test('SET_LOCATION: the global band only accepts (0, −1); moving onto another band conflicts', () => {
    const r = rig();
    const a = create(r, 0, 8);
    const b = create(r, 16, 8);
    // §3 step 9 "in this order": over a configured band → conflict first; anywhere else but (0, −1) → invalid
    expect(r.security.prepareSetLocation(0, undefined, loc(0, 8))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(r.security.prepareSetLocation(0, undefined, loc(40, 8))).toMatchObject({ ok: false, error: { code: 'invalid' } });
    must(must(r.security.prepareSetLocation(0, undefined, { bandStart: 0n, bandSize: -1n, metadata: md(9) })).commit());
    expect(r.security.prepareSetLocation(b, undefined, loc(4, 8))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    must(must(r.security.prepareSetLocation(a, undefined, loc(8, 8))).commit()); // moving next to b is fine
    expect(r.security.bands().map((v) => [v.bandId, v.bandStart])).toEqual([[0, 0n], [1, 8n * SS], [2, 16n * SS]]);
  });

  test('DELETE: the global band → invalid; a write-locked band → write-locked (D11)', () => {
    const r = rig();
    const id = create(r, 0, 8, undefined, { readLock: PERSISTENT_UNLOCK, writeLock: PERSISTENT_LOCK, metadata: md(0) });
    expect(r.security.prepareDelete(0, undefined, false)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(r.security.prepareDelete(id, undefined, false)).toMatchObject({ ok: false, error: { code: 'write-locked' } });
  });
});

describe('security subsystem: erase credential (D7) and ERASE_ALL (D8)', () => {
  test('an eraseKey option makes ERASE_BAND fail authentication', () => {
    const r = rig({ eraseKey: key(16, 0x42) });
    const id = create(r, 0, 8);
    expect(r.security.prepareErase(id, undefined)).toMatchObject({ ok: false, error: { code: 'auth-failed' } });
  });

  test('ERASE_ALL continues after a failing band and erases the others', () => {
    const r = rig();
    const ids = [create(r, 0, 8, key(4, 1)), create(r, 8, 8, key(4, 2)), create(r, 16, 8, key(4, 3))];
    const before = r.security.snapshot();
    r.security.injectBandFailure(ids[1]!);
    const results = r.security.eraseAll();
    expect(results.map((x) => [x.bandId, x.result.ok ? 'ok' : x.result.error.code])).toEqual([[1, 'ok'], [2, 'device-error'], [3, 'ok']]);
    const after = r.security.snapshot();
    expect(after.bands[1]!.keyGeneration).not.toBe(before.bands[1]!.keyGeneration);
    expect(after.bands[2]).toEqual(before.bands[2]);
    expect(after.bands[3]!.keyGeneration).not.toBe(before.bands[3]!.keyGeneration);
  });

  test('a band failure answers before authentication and counts nothing', () => {
    const r = rig();
    const id = create(r, 0, 8, key(4, 1));
    r.security.injectBandFailure(id);
    expect(r.security.prepareSetMetadata(id, key(4, 9), 0, new Uint8Array(1))).toMatchObject({ ok: false, error: { code: 'device-error' } });
    expect(r.security.tryCount(`band:${id}`)).toBe(0);
    r.powerCycle(); // disarms the fault
    must(r.security.prepareSetMetadata(id, key(4, 1), 0, new Uint8Array(1)));
  });
});

describe('security subsystem: power cycle (D10)', () => {
  test('NONPERSISTENT_UNLOCK locks become locked, reported PERSISTENT_LOCK, and re-unlock with the key', () => {
    const r = rig();
    const k = key(8, 3);
    const id = create(r, 0, 8, k, { readLock: NONPERSISTENT_UNLOCK, writeLock: PERSISTENT_UNLOCK, metadata: md(0) });
    expect(r.security.lockedBandsIn(0, 8, false)).toEqual([]);
    r.powerCycle();
    expect(r.security.relockedBands()).toEqual([id]);
    expect(r.security.lockedBandsIn(0, 8, false)).toEqual([id]);
    expect(r.security.lockedBandsIn(0, 8, true)).toEqual([]);
    expect(must(r.security.entries([id]))[0]).toMatchObject({ readLock: PERSISTENT_LOCK, writeLock: PERSISTENT_UNLOCK });
    expect(r.security.reunlock(id, key(8, 4)).ok).toBe(false); // a stale key counts (D10, D3)
    expect(r.security.tryCount(`band:${id}`)).toBe(1);
    must(r.security.reunlock(id, k));
    expect(r.security.lockedBandsIn(0, 8, false)).toEqual([]);
    expect(must(r.security.entries([id]))[0]).toMatchObject({ readLock: NONPERSISTENT_UNLOCK });
  });

  test('lock checks see every band a request crosses (D9)', () => {
    const r = rig();
    create(r, 8, 8, undefined, { readLock: PERSISTENT_LOCK, writeLock: PERSISTENT_UNLOCK, metadata: md(0) });
    expect(r.security.lockedBandsIn(0, 8, false)).toEqual([]);
    expect(r.security.lockedBandsIn(7, 2, false)).toEqual([1]);
    expect(r.security.lockedBandsIn(15, 1, false)).toEqual([1]);
    expect(r.security.lockedBandsIn(16, 2000, false)).toEqual([]);
    expect(r.security.lockedBandsIn(0, 2048, true)).toEqual([]);
  });
});

describe('security subsystem: atomic commits under power loss (D2 step 11)', () => {
  type Op = (r: Rig) => SecResult<unknown>;
  const K1 = key(8, 0x11);
  const setup = (r: Rig): void => {
    create(r, 0, 8, K1, { readLock: NONPERSISTENT_UNLOCK, writeLock: PERSISTENT_UNLOCK, metadata: md(1) });
    create(r, 8, 8, K1);
  };
  const commitOf = <T>(p: SecResult<{ commit(): SecResult<T> }>): SecResult<T> => (p.ok ? p.value.commit() : p);
  const ops: [string, Op][] = [
    ['create', (r) => commitOf(r.security.prepareCreate(loc(100, 50, 7), unlocked, key(9, 9)))],
    ['set location', (r) => commitOf(r.security.prepareSetLocation(1, K1, loc(200, 16, 3)))],
    ['set security', (r) => commitOf(r.security.prepareSetSecurity(1, K1, { key: key(12, 0x22) },
      { readLock: PERSISTENT_LOCK, writeLock: PERSISTENT_LOCK, metadata: md(4) }))],
    ['erase', (r) => commitOf(r.security.prepareErase(2, key(5, 5)))],
    ['delete', (r) => commitOf(r.security.prepareDelete(2, K1, false))],
    ['set metadata', (r) => commitOf(r.security.prepareSetMetadata(1, K1, 3, new Uint8Array(10).fill(8)))],
  ];

  test.each(ops)('%s: a loss at every write step leaves the whole old or the whole new table', (_name, op) => {
    const reference = rig();
    setup(reference);
    reference.powerCycle();
    const oldState = reference.security.snapshot();
    must(op(reference));
    reference.powerCycle();
    const newState = reference.security.snapshot();
    expect(newState).not.toEqual(oldState);

    for (let n = 0; n <= COMMIT_WRITE_STEPS; n++) {
      const r = rig();
      setup(r);
      r.store.armPowerLoss(n);
      const res = op(r);
      r.powerCycle();
      const got = r.security.snapshot();
      if (n < COMMIT_WRITE_STEPS) {
        expect(res).toMatchObject({ ok: false, error: { code: 'device-error' } });
        expect(got).toEqual(oldState);
      } else {
        expect(res.ok).toBe(true);
        expect(got).toEqual(newState);
      }
    }
  });

  test('while the device is off every operation past step 5 is a device error', () => {
    const r = rig();
    setup(r);
    r.store.armPowerLoss(0);
    expect(commitOf(r.security.prepareSetMetadata(1, K1, 0, new Uint8Array(1))).ok).toBe(false);
    expect(r.security.gate(false)).toMatchObject({ ok: false, error: { code: 'device-error' } });
    expect(r.security.entries([0])).toMatchObject({ ok: false, error: { code: 'device-error' } });
    expect(r.security.capabilities().maxBandCount).toBe(8); // QUERY_CAPABILITIES still answers (§3 rules)
  });
});

describe('security subsystem: secrets', () => {
  test('authentication keys never appear in the record, snapshots or error values', () => {
    const r = rig({ sectors: 4096 });
    const secrets = [key(32, 0), key(32, 0)].map((k, i) => k.map((_, j) => (j * 37 + i * 101 + 13) & 0xff));
    const [k1, k2] = secrets as [Uint8Array, Uint8Array];
    const id = create(r, 0, 8, k1);
    const errors: unknown[] = [];
    const p = r.security.prepareSetSecurity(id, k1, { key: k2 }, undefined);
    must(must(p).commit());
    errors.push(r.security.prepareSetMetadata(id, k1, 0, new Uint8Array(1))); // stale key → error value
    const record = r.store.loadMetadata()!;
    for (const s of secrets) {
      expect(contains(record, s)).toBe(false);
      expect(contains(r.security.record(), s)).toBe(false);
      expect(JSON.stringify(r.security.snapshot())).not.toContain(Buffer.from(s).toString('hex'));
      expect(JSON.stringify(errors)).not.toContain(Buffer.from(s).toString('hex'));
    }
  });

  test('replays are exact: the same seed and the same operations give the same record', () => {
    const a = rig({ seed: 7 });
    const b = rig({ seed: 7 });
    const c = rig({ seed: 8 });
    for (const r of [a, b, c]) create(r, 0, 8, key(8));
    expect(a.security.record()).toEqual(b.security.record());
    expect(a.security.record()).not.toEqual(c.security.record());
  });
});
