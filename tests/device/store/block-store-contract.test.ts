// The contract every BlockStore meets, run against the memory store and the image store alike.
import { COMMIT_WRITE_STEPS, type BlockStore } from '../../../src/device/store';
import { FACTORIES, filled, record, removeTmpRoot, type StoreFactory } from './store-factories';

afterAll(removeTmpRoot);

describe.each(FACTORIES)('BlockStore contract: $name store', (factory: StoreFactory) => {
  const opened: BlockStore[] = [];
  function make(sectorSize = 512, sectors = 64, maxMetadataBytes = 4096): BlockStore {
    const s = factory.create({ sectorSize, sectors, maxMetadataBytes });
    opened.push(s);
    return s;
  }
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });

  describe.each([512, 4096])('sector size %i', (sectorSize) => {
    test('read after write, unwritten sectors read as zeros', () => {
      const s = make(sectorSize);
      expect(s.sectorSize).toBe(sectorSize);
      const data = new Uint8Array(3 * sectorSize).map((_, i) => (i * 31 + 7) & 0xff);
      expect(s.write(5, data)).toEqual({ ok: true });
      const out = new Uint8Array(5 * sectorSize).fill(0xee);
      expect(s.read(4, 5, out)).toEqual({ ok: true });
      expect(out.subarray(0, sectorSize)).toEqual(filled(sectorSize, 0));
      expect(out.subarray(sectorSize, 4 * sectorSize)).toEqual(data);
      expect(out.subarray(4 * sectorSize)).toEqual(filled(sectorSize, 0));
    });

    test('an overwrite replaces only its own sectors', () => {
      const s = make(sectorSize);
      expect(s.write(0, filled(4 * sectorSize, 1)).ok).toBe(true);
      expect(s.write(2, filled(sectorSize, 2)).ok).toBe(true);
      const out = new Uint8Array(4 * sectorSize);
      expect(s.read(0, 4, out).ok).toBe(true);
      expect(Array.from({ length: 4 }, (_, i) => out[i * sectorSize])).toEqual([1, 1, 2, 1]);
    });
  });

  test('ranges and buffer lengths are checked, as values', () => {
    const s = make(512, 64);
    const one = new Uint8Array(512);
    const cases: [string, () => { ok: boolean }, string][] = [
      ['read at capacity', () => s.read(64, 1, one), 'out-of-range'],
      ['write at capacity', () => s.write(64, one), 'out-of-range'],
      ['read past the end', () => s.read(63, 2, new Uint8Array(1024)), 'out-of-range'],
      ['negative LBA', () => s.read(-1, 1, one), 'out-of-range'],
      ['fractional LBA', () => s.read(1.5, 1, one), 'out-of-range'],
      ['LBA beyond 2^53', () => s.read(2 ** 53, 1, one), 'out-of-range'],
      ['count wrapping 2^64', () => s.read(1, 2 ** 64 - 1, one), 'out-of-range'],
      ['short read buffer', () => s.read(0, 2, one), 'invalid-argument'],
      ['partial-sector write', () => s.write(0, new Uint8Array(100)), 'invalid-argument'],
    ];
    for (const [name, op, reason] of cases) {
      const r = op();
      expect({ name, r }).toEqual({ name, r: expect.objectContaining({ ok: false, reason }) });
    }
    // zero-length transfers at capacity are inside the range (SBC: nothing is transferred)
    expect(s.read(64, 0, new Uint8Array(0))).toEqual({ ok: true });
    expect(s.write(64, new Uint8Array(0))).toEqual({ ok: true });
  });

  test('sparse 1 TiB disk (2^31 sectors of 512): the last LBA works without allocating the disk', () => {
    const before = process.memoryUsage().rss;
    const s = make(512, 2 ** 31);
    const last = 2 ** 31 - 1;
    expect(s.write(last, filled(512, 0xa5))).toEqual({ ok: true });
    const out = new Uint8Array(1024);
    expect(s.read(last - 1, 2, out)).toEqual({ ok: true });
    expect(out.subarray(0, 512)).toEqual(filled(512, 0));
    expect(out.subarray(512)).toEqual(filled(512, 0xa5));
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 2 ** 20);
  });

  test('metadata: none at first, then the last committed record, copied both ways', () => {
    const s = make();
    expect(s.loadMetadata()).toBeNull();
    expect(s.metadataGeneration).toBe(0);
    const rec = record(1, 2, 3);
    expect(s.commitMetadata(rec)).toEqual({ ok: true });
    rec[0] = 99; // the caller reusing its buffer does not change what was committed
    const loaded = s.loadMetadata();
    expect(loaded).toEqual(record(1, 2, 3));
    loaded![1] = 99;
    expect(s.loadMetadata()).toEqual(record(1, 2, 3));
    expect(s.commitMetadata(new Uint8Array(0))).toEqual({ ok: true });
    expect(s.loadMetadata()).toEqual(new Uint8Array(0)); // empty record ≠ no record
    expect(s.metadataGeneration).toBe(2);
  });

  test('a record up to maxMetadataBytes commits; a larger one is a value error', () => {
    const s = make(512, 64, 4096);
    expect(s.maxMetadataBytes).toBe(4096);
    expect(s.commitMetadata(filled(4096, 7))).toEqual({ ok: true });
    expect(s.commitMetadata(filled(4097, 8))).toEqual(expect.objectContaining({ ok: false, reason: 'invalid-argument' }));
    expect(s.loadMetadata()).toEqual(filled(4096, 7));
  });

  test('commits alternate slots: a commit torn at any step falls back to the previous record, not the one before', () => {
    // With records A (generation 1) and B (2) committed, a torn third commit must leave B. Had it targeted
    // B's slot, the fallback would be A.
    for (let k = 0; k < COMMIT_WRITE_STEPS; k++) {
      const s = make();
      expect(s.commitMetadata(record(0xa)).ok).toBe(true);
      expect(s.commitMetadata(record(0xb)).ok).toBe(true);
      expect(s.armPowerLoss(k).ok).toBe(true);
      expect(s.commitMetadata(record(0xc))).toEqual(expect.objectContaining({ ok: false, reason: 'power-lost' }));
      expect(s.powerOn().ok).toBe(true);
      expect(s.loadMetadata()).toEqual(record(0xb));
      expect(s.metadataGeneration).toBe(2);
    }
  });

  describe.each([
    ['no record before', null],
    ['a record before', record(1, 1, 1, 1, 1, 1, 1, 1, 1, 1)],
  ])('power loss at every write step of a commit (%s)', (_label, oldRecord) => {
    test('after power-up the record is exactly the old or exactly the new one, and both occur', () => {
      expect(COMMIT_WRITE_STEPS).toBe(4);
      const newRecord = new Uint8Array(777).map((_, i) => (i * 13) & 0xff);
      const outcomes: string[] = [];
      for (let k = 0; k <= COMMIT_WRITE_STEPS; k++) {
        const s = make();
        expect(s.commitWriteSteps).toBe(COMMIT_WRITE_STEPS);
        if (oldRecord) {
          // an older record in the other slot, so the target slot is not empty before the commit
          expect(s.commitMetadata(record(9)).ok).toBe(true);
          expect(s.commitMetadata(oldRecord).ok).toBe(true);
        }
        expect(s.armPowerLoss(k).ok).toBe(true);
        const r = s.commitMetadata(newRecord);
        if (k < COMMIT_WRITE_STEPS) {
          expect(r).toEqual(expect.objectContaining({ ok: false, reason: 'power-lost' }));
          expect(s.poweredOff).toBe(true);
        } else {
          expect(r).toEqual({ ok: true });
        }
        const up = s.powerOn();
        expect(up.ok).toBe(true);
        expect(s.poweredOff).toBe(false);
        const loaded = s.loadMetadata();
        if (k < COMMIT_WRITE_STEPS) expect(loaded).toEqual(oldRecord);
        else expect(loaded).toEqual(newRecord);
        outcomes.push(k < COMMIT_WRITE_STEPS ? 'old' : 'new');
        // the store works after power-up, and the next commit lands
        expect(s.commitMetadata(record(5)).ok).toBe(true);
        expect(s.powerOn().ok).toBe(true);
        expect(s.loadMetadata()).toEqual(record(5));
      }
      expect(new Set(outcomes)).toEqual(new Set(['old', 'new']));
    });
  });

  test('power loss inside a multi-sector write: earlier sectors stay, the failing one and later do not', () => {
    const s = make();
    expect(s.write(10, filled(4 * 512, 0x11)).ok).toBe(true);
    expect(s.armPowerLoss(2).ok).toBe(true);
    const r = s.write(10, filled(4 * 512, 0x22));
    expect(r).toEqual(expect.objectContaining({ ok: false, reason: 'power-lost' }));
    expect(s.poweredOff).toBe(true);
    // everything fails while off
    const out = new Uint8Array(4 * 512);
    expect(s.read(10, 4, out)).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    expect(s.write(0, filled(512, 1))).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    expect(s.commitMetadata(record(1))).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    expect(s.flush()).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    expect(s.powerOn().ok).toBe(true);
    expect(s.read(10, 4, out).ok).toBe(true);
    expect(Array.from({ length: 4 }, (_, i) => out[i * 512])).toEqual([0x22, 0x22, 0x11, 0x11]);
    expect(s.loadMetadata()).toBeNull();
  });

  test('afterWrites counts whole writes and commit steps across calls', () => {
    const s = make();
    expect(s.armPowerLoss(3).ok).toBe(true);
    expect(s.write(0, filled(512, 1)).ok).toBe(true); // 1 step
    expect(s.write(1, filled(512, 2)).ok).toBe(true); // 2
    expect(s.write(2, filled(512, 3)).ok).toBe(true); // 3
    expect(s.poweredOff).toBe(false); // the loss fires on the next write, not after the n-th
    expect(s.write(3, filled(512, 4))).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    expect(s.powerOn().ok).toBe(true);
    const out = new Uint8Array(4 * 512);
    expect(s.read(0, 4, out).ok).toBe(true);
    expect(Array.from({ length: 4 }, (_, i) => out[i * 512])).toEqual([1, 2, 3, 0]);
  });

  test('afterWrites 0: the very next write fails; reads take no steps', () => {
    const s = make();
    expect(s.armPowerLoss(0).ok).toBe(true);
    expect(s.read(0, 1, new Uint8Array(512)).ok).toBe(true);
    expect(s.loadMetadata()).toBeNull();
    expect(s.write(0, filled(512, 1))).toEqual(expect.objectContaining({ reason: 'power-lost' }));
  });

  test('disarm, and powerOn, cancel a loss that has not fired (scsi-device.md §6)', () => {
    const s = make();
    expect(s.armPowerLoss(0).ok).toBe(true);
    s.disarmPowerLoss();
    expect(s.write(0, filled(512, 1)).ok).toBe(true);
    expect(s.armPowerLoss(0).ok).toBe(true);
    expect(s.powerOn().ok).toBe(true);
    expect(s.commitMetadata(record(1)).ok).toBe(true);
  });

  test('armPowerLoss rejects a bad count as a value', () => {
    const s = make();
    for (const n of [-1, 1.5, Number.NaN, Infinity]) {
      expect(s.armPowerLoss(n)).toEqual(expect.objectContaining({ ok: false, reason: 'invalid-argument' }));
    }
  });

  test('sectors written before a power loss persist across power-up; metadata committed before it too', () => {
    const s = make();
    expect(s.write(7, filled(512, 0x77)).ok).toBe(true);
    expect(s.commitMetadata(record(4, 5)).ok).toBe(true);
    expect(s.armPowerLoss(0).ok).toBe(true);
    expect(s.write(8, filled(512, 0x88)).ok).toBe(false);
    expect(s.powerOn().ok).toBe(true);
    const out = new Uint8Array(1024);
    expect(s.read(7, 2, out).ok).toBe(true);
    expect(out[0]).toBe(0x77);
    expect(out[512]).toBe(0);
    expect(s.loadMetadata()).toEqual(record(4, 5));
  });

  test('a closed store answers io-error', () => {
    const s = make();
    expect(s.close()).toEqual({ ok: true });
    expect(s.close()).toEqual({ ok: true });
    expect(s.read(0, 1, new Uint8Array(512))).toEqual(expect.objectContaining({ reason: 'io-error' }));
    expect(s.write(0, new Uint8Array(512))).toEqual(expect.objectContaining({ reason: 'io-error' }));
    expect(s.commitMetadata(record(1))).toEqual(expect.objectContaining({ reason: 'io-error' }));
    expect(s.powerOn()).toEqual(expect.objectContaining({ ok: false, reason: 'io-error' }));
  });
});

describe('memory store only', () => {
  test('2^40 sectors of 4096 bytes: the last LBA works sparse', () => {
    const s = FACTORIES[0]!.create({ sectorSize: 4096, sectors: 2 ** 40 });
    const last = 2 ** 40 - 1;
    expect(s.write(last, filled(4096, 3))).toEqual({ ok: true });
    const out = new Uint8Array(4096);
    expect(s.read(last, 1, out)).toEqual({ ok: true });
    expect(out).toEqual(filled(4096, 3));
    expect(s.read(last - 2 ** 30, 1, out)).toEqual({ ok: true });
    expect(out).toEqual(filled(4096, 0));
    s.close();
  });
});
