// scsi-device.md §6 (power cycle), io-manager.md §6-§7 (creation, reboot, device off),
// persistent-reservations.md §8 (APTPL across power), the metadata registry.
import { MetadataRegistry } from '../../src/device/metadata';
import { createMemoryStore } from '../../src/device/store';
import { VirtualDisk } from '../../src/device/virtual-disk';
import { A, B, cdb, disk, prList, run } from './scsi-helpers';

const sector = (fill: number): Uint8Array => new Uint8Array(512).fill(fill);

describe('creation', () => {
  test('create() returns an error value naming the option; new VirtualDisk throws only then', () => {
    const r = VirtualDisk.create({ sectorSize: 1000 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.option).toBe('sectorSize');
    expect(() => new VirtualDisk({ sectors: 0 })).toThrow(/sectors/);
    expect(VirtualDisk.create().ok).toBe(true);
  });

  test('no unit attention is pending after creation (io-manager.md §6)', () => {
    const d = disk();
    expect(run(d, A, cdb.tur())).toBe('GOOD');
    expect(run(d, 'anyone', cdb.tur())).toBe('GOOD');
  });
});

describe('power cycle (scsi-device.md §6)', () => {
  test('clears SCSI-2 reservation and prevention; 29h/00h replaces all UAs for every initiator', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    run(d, B, cdb.prevent());
    run(d, B, cdb.eject()); // refused: B's own prevention
    run(d, A, cdb.release6());
    run(d, A, cdb.eject());
    run(d, A, cdb.load()); // 28h/00h pending for everyone
    run(d, A, cdb.reserve6());
    expect(d.powerCycle().ok).toBe(true);
    const s = d.snapshot();
    expect(s.scsi2Holder).toBeNull();
    expect(s.medium.preventedBy).toEqual([]);
    expect(d.unitAttentions.pending(A)).toEqual([{ key: 6, asc: 0x29, ascq: 0 }]);
    expect(d.unitAttentions.pending('new')).toEqual([{ key: 6, asc: 0x29, ascq: 0 }]);
  });

  test('keeps the medium\'s presence and the sectors', () => {
    const d = disk();
    run(d, A, cdb.write10(3, 1), sector(4));
    run(d, A, cdb.eject());
    d.powerCycle();
    run(d, A, cdb.tur());
    expect(d.media.present).toBe(false);
    run(d, A, cdb.load());
    run(d, A, cdb.tur());
    const r = d.execute(A, { cdb: cdb.read10(3, 1) });
    expect(r.kind === 'status' && r.dataIn).toEqual(sector(4));
  });

  test('PR state is gone without APTPL and kept with it; PRgeneration restarts at 0', () => {
    const d = disk();
    run(d, A, cdb.prOut(0), prList(0n, 1n));
    d.powerCycle();
    expect(d.snapshot().persistentReservations).toMatchObject({ registrations: [], generation: 0 });
    run(d, A, cdb.tur());
    expect(run(d, A, cdb.prOut(0), prList(0n, 1n, true))).toBe('GOOD'); // APTPL: committed before GOOD
    expect(d.snapshot().store.metadataGeneration).toBe(1);
    d.powerCycle();
    expect(d.snapshot().persistentReservations).toMatchObject({ aptpl: true, generation: 0, registrations: [{ initiator: A, key: '0000000000000001' }] });
  });

  test('reboot half: powerUp({consumeUnitAttentions:true}) leaves nothing pending', () => {
    const d = disk();
    run(d, A, cdb.prevent());
    d.powerUp({ consumeUnitAttentions: true });
    expect(run(d, A, cdb.tur())).toBe('GOOD');
    expect(d.media.removalPrevented).toBe(false);
  });
});

describe('injected power loss (scenario-format.md inject, io-manager.md §7)', () => {
  test('afterWrites n: n sectors land, the request in flight gets no answer, the device stays off', () => {
    const d = disk();
    d.injectPowerLoss(2);
    expect(run(d, A, cdb.write10(0, 4), new Uint8Array(2048).fill(6))).toBe('TIMEOUT');
    expect(d.isOff).toBe(true);
    expect(run(d, A, cdb.inquiry())).toBe('TIMEOUT');
    d.powerCycle();
    run(d, A, cdb.tur());
    const r = d.execute(A, { cdb: cdb.read10(0, 4) });
    expect(r.kind === 'status' && r.dataIn).toEqual(Uint8Array.from([...new Uint8Array(1024).fill(6), ...new Uint8Array(1024)]));
  });

  test('a power cycle disarms a loss that has not fired', () => {
    const d = disk();
    d.injectPowerLoss(0);
    d.powerCycle();
    run(d, A, cdb.tur());
    expect(run(d, A, cdb.write10(0, 1), sector(1))).toBe('GOOD');
  });

  test('a loss during the APTPL commit: no answer, and the old PR state after power-up', () => {
    const d = disk();
    d.injectPowerLoss(1);
    expect(run(d, A, cdb.prOut(0), prList(0n, 5n, true))).toBe('TIMEOUT');
    d.powerCycle();
    expect(d.snapshot().persistentReservations).toMatchObject({ aptpl: false, registrations: [] });
  });
});

describe('metadata registry and creation from an existing store', () => {
  test('records round-trip and undecodable records are refused', () => {
    const reg = new MetadataRegistry();
    reg.register('x', { serialize: () => Uint8Array.of(1, 2, 3), restore: () => true });
    reg.register('empty', { serialize: () => undefined, restore: () => true });
    const decoded = MetadataRegistry.decode(reg.encode());
    expect(decoded.ok && [...decoded.sections]).toEqual([['x', Uint8Array.of(1, 2, 3)]]);
    const bad = reg.encode().slice(0, -1);
    expect(MetadataRegistry.decode(bad).ok).toBe(false);
    expect(MetadataRegistry.decode(new Uint8Array(3)).ok).toBe(false);
  });

  test('a disk created over a store restores PR (APTPL) and medium sections; an explicit medium option wins', () => {
    const made = createMemoryStore({ sectorSize: 512, sectors: 2048 });
    if (!made.ok) throw new Error(made.error.message);
    const d1 = new VirtualDisk({ store: made.store });
    run(d1, A, cdb.eject());
    run(d1, A, cdb.prOut(0), prList(0n, 9n, true));
    const d2 = new VirtualDisk({ store: made.store });
    expect(d2.media.present).toBe(false);
    expect(d2.snapshot().persistentReservations).toMatchObject({ aptpl: true, registrations: [{ initiator: A }] });
    expect(new VirtualDisk({ store: made.store, medium: 'present' }).media.present).toBe(true);
  });
});

describe('snapshot', () => {
  test('is JSON-comparable and deep: later changes do not alter an earlier snapshot', () => {
    const d = disk();
    const s = d.snapshot();
    const json = JSON.stringify(s);
    run(d, A, cdb.prevent());
    run(d, A, cdb.write10(0, 1), sector(1));
    expect(JSON.stringify(s)).toBe(json);
    expect(d.snapshot()).not.toEqual(s);
  });

  test('band failures injected are recorded until the next power-up', () => {
    const d = disk();
    d.injectBandFailure(1);
    expect(d.snapshot().bandFailures).toEqual([1]);
    d.powerCycle();
    expect(d.snapshot().bandFailures).toEqual([]);
  });
});
