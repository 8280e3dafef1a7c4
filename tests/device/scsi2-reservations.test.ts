// scsi-device.md §4 (SPC-2 RESERVE/RELEASE) and persistent-reservations.md §6 (CRH), several initiators.
import { A, B, C, cdb, disk, prList, run } from './scsi-helpers';

const SECTOR = new Uint8Array(512);

describe('SCSI-2 RESERVE / RELEASE (scsi-device.md §4)', () => {
  test.each([
    ['RESERVE(6) bytes 1-4 non-zero', Uint8Array.of(0x16, 0, 1, 0, 0, 0)],
    ['RESERVE(6) byte 4 non-zero', Uint8Array.of(0x16, 0, 0, 0, 1, 0)],
    ['RELEASE(6) bytes 1-4 non-zero', Uint8Array.of(0x17, 1, 0, 0, 0, 0)],
    ['RESERVE(10) THIRDPTY', cdb.reserve10(0x10)],
    ['RESERVE(10) LONGID', cdb.reserve10(0x02)],
    ['RESERVE(10) THIRD-PARTY DEVICE ID', Uint8Array.of(0x56, 0, 0, 7, 0, 0, 0, 0, 0, 0)],
    ['RESERVE(10) PARAMETER LIST LENGTH', Uint8Array.of(0x56, 0, 0, 0, 0, 0, 0, 0, 8, 0)],
    ['RELEASE(10) THIRDPTY', cdb.release10(0x10)],
  ])('%s → 5/24h/00h, nothing reserved', (_name, c) => {
    const d = disk();
    expect(run(d, A, c)).toBe('5/24h/00h');
    expect(d.scsi2.holder).toBeUndefined();
  });

  test('reserved or obsolete bits the spec does not name are ignored (CONTROL, RESERVE(10) byte 2)', () => {
    expect(run(disk(), A, Uint8Array.of(0x16, 0, 0, 0, 0, 0xff))).toBe('GOOD');
    expect(run(disk(), A, Uint8Array.of(0x56, 0x01, 0xff, 0, 0, 0, 0, 0, 0, 0))).toBe('GOOD');
  });

  test('RESERVE on an unreserved LU makes the initiator the holder; again by the holder: GOOD, no change', () => {
    const d = disk();
    expect(run(d, A, cdb.reserve6())).toBe('GOOD');
    expect(run(d, A, cdb.reserve10())).toBe('GOOD');
    expect(d.scsi2.holder).toBe(A);
  });

  test('RESERVE by another initiator → RC', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    expect(run(d, B, cdb.reserve6())).toBe('RC');
    expect(run(d, B, cdb.reserve10())).toBe('RC');
    expect(d.scsi2.holder).toBe(A);
  });

  test('RELEASE by the holder releases; by a non-holder or when not reserved: GOOD, no change', () => {
    const d = disk();
    expect(run(d, B, cdb.release6())).toBe('GOOD');
    run(d, A, cdb.reserve6());
    expect(run(d, B, cdb.release6())).toBe('GOOD');
    expect(run(d, B, cdb.release10())).toBe('GOOD');
    expect(d.scsi2.holder).toBe(A);
    expect(run(d, A, cdb.release10())).toBe('GOOD');
    expect(d.scsi2.holder).toBeUndefined();
    expect(run(d, B, cdb.reserve6())).toBe('GOOD');
  });

  test('every other command from a non-holder conflicts; INQUIRY and RELEASE do not', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    expect(run(d, B, cdb.tur())).toBe('RC');
    expect(run(d, B, cdb.readCapacity10())).toBe('RC');
    expect(run(d, B, cdb.readCapacity16())).toBe('RC');
    expect(run(d, B, cdb.read10(0, 1))).toBe('RC');
    expect(run(d, B, cdb.read16(0n, 1))).toBe('RC');
    expect(run(d, B, cdb.write10(0, 1), SECTOR)).toBe('RC');
    expect(run(d, B, cdb.write16(0n, 1), SECTOR)).toBe('RC');
    expect(run(d, B, cdb.eject())).toBe('RC');
    expect(run(d, B, cdb.prevent())).toBe('RC');
    expect(run(d, B, cdb.reserve6())).toBe('RC');
    expect(run(d, B, cdb.inquiry())).toBe('GOOD');
    expect(run(d, B, cdb.release6())).toBe('GOOD');
    expect(run(d, B, cdb.release10())).toBe('GOOD');
    // the holder is not blocked
    expect(run(d, A, cdb.tur())).toBe('GOOD');
    expect(run(d, A, cdb.write10(0, 1), SECTOR)).toBe('GOOD');
    expect(d.store.sectorWrites).toBe(1);
  });

  test('a conflicting WRITE writes nothing', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    run(d, B, cdb.write10(0, 1), new Uint8Array(512).fill(9));
    expect(d.store.sectorWrites).toBe(0);
  });

  test('PR IN and PR OUT conflict for every initiator, the holder included, while SCSI-2 reserved', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    expect(run(d, A, cdb.prIn(0))).toBe('RC');
    expect(run(d, B, cdb.prIn(0))).toBe('RC');
    expect(run(d, A, cdb.prOut(0), prList(0n, 1n))).toBe('RC');
    expect(run(d, B, cdb.prOut(0), prList(0n, 1n))).toBe('RC');
  });

  test('an unsupported opcode is 20h/00h before any reservation check (§2 step 2 before step 3)', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    expect(run(d, B, Uint8Array.of(0xff, 0, 0, 0, 0, 0))).toBe('5/20h/00h');
  });

  test('a SCSI-2 reservation is gone after a power cycle (§6)', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    d.powerCycle();
    expect(run(d, B, cdb.tur())).toBe('6/29h/00h');
    expect(run(d, B, cdb.tur())).toBe('GOOD');
    expect(d.scsi2.holder).toBeUndefined();
  });
});

describe('next to persistent reservations (persistent-reservations.md §6, CRH)', () => {
  const register = (d: ReturnType<typeof disk>, i: string, key: bigint): string => run(d, i, cdb.prOut(0), prList(0n, key));

  test('with a registration, RESERVE/RELEASE from an unregistered initiator → RC', () => {
    const d = disk();
    expect(register(d, A, 0xan)).toBe('GOOD');
    expect(run(d, B, cdb.reserve6())).toBe('RC');
    expect(run(d, B, cdb.release10())).toBe('RC');
    expect(d.scsi2.holder).toBeUndefined();
  });

  test('RESERVE from the PR holder → GOOD, nothing happens (no SCSI-2 reservation)', () => {
    const d = disk();
    register(d, A, 0xan);
    expect(run(d, A, cdb.prOut(1, 1), prList(0xan, 0n))).toBe('GOOD'); // RESERVE, Write Exclusive
    expect(run(d, A, cdb.reserve6())).toBe('GOOD');
    expect(d.scsi2.holder).toBeUndefined();
    expect(run(d, C, cdb.reserve6())).toBe('RC');
  });

  test('with persistentReservations: false, 5Eh/5Fh are unsupported and SCSI-2 is plain SPC-2', () => {
    const d = disk({ persistentReservations: false });
    expect(run(d, A, cdb.prIn(0))).toBe('5/20h/00h');
    expect(run(d, A, cdb.prOut(0), prList(0n, 1n))).toBe('5/20h/00h');
    expect(run(d, A, cdb.reserve6())).toBe('GOOD');
    expect(d.scsi2.holder).toBe(A);
  });

  test('under a Write Exclusive PR, a non-holder may read but not write (§5 table, through the LU)', () => {
    const d = disk();
    register(d, A, 0xan);
    run(d, A, cdb.prOut(1, 1), prList(0xan, 0n));
    expect(run(d, B, cdb.read10(0, 1))).toBe('GOOD');
    expect(run(d, B, cdb.write10(0, 1), SECTOR)).toBe('RC');
    expect(run(d, B, cdb.tur())).toBe('GOOD');
    expect(run(d, B, cdb.prevent())).toBe('RC');
  });
});
