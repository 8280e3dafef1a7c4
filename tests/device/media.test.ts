// scsi-device.md §3.2 (START STOP UNIT load/eject), §3.3 (PREVENT ALLOW per initiator), §1 (fixed disk).
import { Media } from '../../src/device/media';
import { A, B, cdb, disk, run } from './scsi-helpers';

describe('Media', () => {
  test('a fixed disk always has its medium', () => {
    const m = new Media(false, false);
    expect(m.present).toBe(true);
    m.eject();
    expect(m.present).toBe(true);
  });

  test('prevention is per initiator, not a counter (§3.3)', () => {
    const m = new Media(true, true);
    m.setPrevent('a', true);
    m.setPrevent('a', true);
    m.setPrevent('b', true);
    m.setPrevent('a', false);
    expect(m.removalPrevented).toBe(true); // b still prevents
    m.setPrevent('b', false);
    expect(m.removalPrevented).toBe(false);
  });

  test('power-on ends prevention and keeps presence (§6)', () => {
    const m = new Media(true, false);
    m.setPrevent('a', true);
    m.powerOn();
    expect(m.snapshot()).toEqual({ removable: true, present: false, preventedBy: [] });
  });
});

describe('START STOP UNIT (scsi-device.md §3.2) and PREVENT ALLOW (§3.3)', () => {
  test('step 1: POWER CONDITION ≠ 0 → GOOD and nothing happens, even with LOEJ set', () => {
    const d = disk();
    expect(run(d, A, cdb.startStop(0, 1, 1))).toBe('GOOD');
    expect(d.media.present).toBe(true);
  });

  test('step 2: LOEJ 0 → GOOD, no effect', () => {
    const d = disk();
    expect(run(d, A, cdb.startStop(0, 0))).toBe('GOOD');
    expect(d.media.present).toBe(true);
  });

  test('step 3: LOEJ on a fixed disk → 5/24h/00h', () => {
    const d = disk({ removable: false });
    expect(run(d, A, cdb.eject())).toBe('5/24h/00h');
    expect(run(d, A, cdb.load())).toBe('5/24h/00h');
  });

  test('step 4: eject while any initiator prevents → 5/53h/02h MEDIUM REMOVAL PREVENTED, medium stays', () => {
    const d = disk();
    expect(run(d, B, cdb.prevent())).toBe('GOOD');
    expect(run(d, A, cdb.eject())).toBe('5/53h/02h');
    expect(d.media.present).toBe(true);
    expect(run(d, B, cdb.allow())).toBe('GOOD');
    expect(run(d, A, cdb.eject())).toBe('GOOD');
    expect(d.media.present).toBe(false);
  });

  test('step 4: ejecting an absent medium is GOOD, no change, no unit attention', () => {
    const d = disk({ medium: 'absent' });
    expect(run(d, A, cdb.eject())).toBe('GOOD');
    expect(run(d, B, cdb.tur())).toBe('2/3Ah/00h');
  });

  test('step 5: load of an absent medium → GOOD and 28h/00h for every initiator, the issuer included', () => {
    const d = disk({ medium: 'absent' });
    expect(run(d, A, cdb.prevent())).toBe('GOOD'); // prevention does not block a load
    expect(run(d, A, cdb.load())).toBe('GOOD');
    expect(run(d, A, cdb.tur())).toBe('6/28h/00h');
    expect(run(d, B, cdb.tur())).toBe('6/28h/00h');
    expect(run(d, B, cdb.tur())).toBe('GOOD');
  });

  test('step 5: loading a present medium is GOOD with no unit attention', () => {
    const d = disk();
    expect(run(d, A, cdb.load())).toBe('GOOD');
    expect(run(d, B, cdb.tur())).toBe('GOOD');
  });

  test('PREVENT 10b / 11b are obsolete → 5/24h/00h; 00b/01b work without a medium and on a fixed disk', () => {
    const d = disk({ medium: 'absent' });
    expect(run(d, A, cdb.prevent(2))).toBe('5/24h/00h');
    expect(run(d, A, cdb.prevent(3))).toBe('5/24h/00h');
    expect(run(d, A, cdb.prevent(1))).toBe('GOOD');
    expect(run(disk({ removable: false }), A, cdb.prevent(1))).toBe('GOOD');
  });

  test('two PREVENTs from one initiator are undone by one ALLOW', () => {
    const d = disk();
    run(d, A, cdb.prevent());
    run(d, A, cdb.prevent());
    run(d, A, cdb.allow());
    expect(run(d, A, cdb.eject())).toBe('GOOD');
  });

  test('medium absent → NOT READY 3Ah/00h for TUR, READ CAPACITY, READ, WRITE; INQUIRY still works', () => {
    const d = disk({ medium: 'absent' });
    expect(run(d, A, cdb.tur())).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.readCapacity10())).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.readCapacity16())).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.read10(0, 1))).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.write10(0, 1), new Uint8Array(512))).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.inquiry())).toBe('GOOD');
  });
});
