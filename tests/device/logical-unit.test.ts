// scsi-device.md §2 (order of checks), §3 (each command), §7 (every condition), LBA edge cases, and the
// fuzz property: random CDBs never throw, results are well-formed, a failure changes nothing but the
// unit attention it reported.
import fc from 'fast-check';
import { MAXIMUM_TRANSFER_BYTES } from '../../src/device/commands/read-write';
import type { ScsiResult } from '../../src/device/scsi';
import { A, B, cdb, disk, outcome, prList, run } from './scsi-helpers';

const sector = (fill: number, size = 512): Uint8Array => new Uint8Array(size).fill(fill);

describe('order of checks (scsi-device.md §2)', () => {
  test('1. a pending unit attention is reported before an unsupported opcode, and cleared', () => {
    const d = disk();
    d.powerCycle();
    expect(run(d, A, Uint8Array.of(0xff, 0, 0, 0, 0, 0))).toBe('6/29h/00h');
    expect(run(d, A, Uint8Array.of(0xff, 0, 0, 0, 0, 0))).toBe('5/20h/00h');
  });

  test('1. INQUIRY neither reports nor clears a unit attention', () => {
    const d = disk();
    d.powerCycle();
    expect(run(d, A, cdb.inquiry())).toBe('GOOD');
    expect(run(d, A, cdb.tur())).toBe('6/29h/00h');
    expect(run(d, A, cdb.tur())).toBe('GOOD');
  });

  test('1. unit attention before a reservation conflict', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    d.powerCycle();
    run(d, A, cdb.tur()); // A consumes its 29h
    run(d, A, cdb.reserve6());
    expect(run(d, B, cdb.tur())).toBe('6/29h/00h');
    expect(run(d, B, cdb.tur())).toBe('RC');
  });

  test('3. a reservation conflict comes before the command\'s own checks (CDB fields, medium)', () => {
    const d = disk({ medium: 'absent' });
    run(d, A, cdb.reserve6());
    expect(run(d, B, cdb.rw10(0x28, 0, 1, 1))).toBe('RC'); // RDPROTECT set
    expect(run(d, B, cdb.tur())).toBe('RC'); // no medium
  });

  test('4. CDB fields (24h) before medium (3Ah) before range (21h)', () => {
    const d = disk({ medium: 'absent' });
    expect(run(d, A, cdb.rw10(0x28, 99999, 1, 1))).toBe('5/24h/00h');
    expect(run(d, A, cdb.read10(99999, 1))).toBe('2/3Ah/00h');
    expect(run(d, A, cdb.readCapacity10(5, 0))).toBe('5/24h/00h');
    expect(run(d, A, cdb.readCapacity16(32, 0x11))).toBe('5/24h/00h');
  });

  test('reports fixed-format sense: 70h, 18 bytes, ADDITIONAL SENSE LENGTH 10, zero elsewhere (§1)', () => {
    const r = disk().execute(A, { cdb: Uint8Array.of(0xff) });
    expect(r).toEqual({
      kind: 'status', status: 2,
      sense: Uint8Array.of(0x70, 0, 5, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0),
    });
  });

  test('RESERVATION CONFLICT carries no sense data', () => {
    const d = disk();
    run(d, A, cdb.reserve6());
    expect(d.execute(B, { cdb: cdb.tur() })).toEqual({ kind: 'status', status: 0x18 });
  });

  test('a CDB shorter than its opcode\'s length reads as zero-padded (transport CDB field)', () => {
    const d = disk();
    expect(run(d, A, Uint8Array.of(0x1e, 0, 0, 0, 1))).toBe('GOOD'); // PREVENT, CONTROL missing
    expect(d.media.removalPrevented).toBe(true);
    expect(run(d, A, new Uint8Array(0))).toBe('GOOD'); // all-zero CDB field = TEST UNIT READY
  });
});

describe('§7: every condition the device reports', () => {
  const cases: [string, (d: ReturnType<typeof disk>) => ScsiResult, string][] = [
    ['GOOD', (d) => d.execute(A, { cdb: cdb.tur() }), 'GOOD'],
    ['RESERVATION CONFLICT', (d) => { run(d, B, cdb.reserve6()); return d.execute(A, { cdb: cdb.tur() }); }, 'RC'],
    ['MEDIUM NOT PRESENT', (d) => { run(d, A, cdb.eject()); return d.execute(A, { cdb: cdb.tur() }); }, '2/3Ah/00h'],
    ['INVALID COMMAND OPERATION CODE', (d) => d.execute(A, { cdb: Uint8Array.of(0x03, 0, 0, 0, 0, 0) }), '5/20h/00h'],
    ['INVALID FIELD IN CDB', (d) => d.execute(A, { cdb: cdb.prevent(2) }), '5/24h/00h'],
    ['LOGICAL BLOCK ADDRESS OUT OF RANGE', (d) => d.execute(A, { cdb: cdb.read10(2048, 1) }), '5/21h/00h'],
    ['MEDIUM REMOVAL PREVENTED', (d) => { run(d, B, cdb.prevent()); return d.execute(A, { cdb: cdb.eject() }); }, '5/53h/02h'],
    ['PARAMETER LIST LENGTH ERROR', (d) => d.execute(A, { cdb: cdb.prOut(0, 0, 8), dataOut: new Uint8Array(8) }), '5/1Ah/00h'],
    ['INVALID FIELD IN PARAMETER LIST', (d) => { const l = prList(0n, 1n); l[20] = 0x08; return d.execute(A, { cdb: cdb.prOut(0), dataOut: l }); }, '5/26h/00h'],
    ['INVALID RELEASE OF PERSISTENT RESERVATION', (d) => {
      run(d, A, cdb.prOut(0), prList(0n, 7n));
      run(d, A, cdb.prOut(1, 1), prList(7n, 0n));
      return d.execute(A, { cdb: cdb.prOut(2, 3), dataOut: prList(7n, 0n) });
    }, '5/26h/04h'],
    ['UNIT ATTENTION 29h/00h', (d) => { d.powerCycle(); return d.execute(A, { cdb: cdb.tur() }); }, '6/29h/00h'],
    ['UNIT ATTENTION 28h/00h', (d) => { run(d, A, cdb.eject()); run(d, A, cdb.load()); return d.execute(B, { cdb: cdb.tur() }); }, '6/28h/00h'],
    ['UNIT ATTENTION 2Ah/03h', (d) => {
      run(d, A, cdb.prOut(0), prList(0n, 1n));
      run(d, B, cdb.prOut(0), prList(0n, 2n));
      run(d, A, cdb.prOut(3), prList(1n, 0n)); // CLEAR
      return d.execute(B, { cdb: cdb.tur() });
    }, '6/2Ah/03h'],
    ['UNIT ATTENTION 2Ah/04h', (d) => {
      run(d, A, cdb.prOut(0), prList(0n, 1n));
      run(d, B, cdb.prOut(0), prList(0n, 2n));
      run(d, A, cdb.prOut(1, 5), prList(1n, 0n)); // RESERVE WE_RO
      run(d, A, cdb.prOut(2, 5), prList(1n, 0n)); // RELEASE
      return d.execute(B, { cdb: cdb.tur() });
    }, '6/2Ah/04h'],
    ['UNIT ATTENTION 2Ah/05h', (d) => {
      run(d, A, cdb.prOut(0), prList(0n, 1n));
      run(d, B, cdb.prOut(0), prList(0n, 2n));
      run(d, A, cdb.prOut(4, 1), prList(1n, 2n)); // PREEMPT B
      return d.execute(B, { cdb: cdb.tur() });
    }, '6/2Ah/05h'],
    ['no answer while off', (d) => {
      d.injectPowerLoss(0);
      run(d, A, cdb.write10(0, 1), sector(1));
      return d.execute(A, { cdb: cdb.inquiry() });
    }, 'TIMEOUT'],
  ];
  test.each(cases)('%s', (_name, act, expected) => {
    expect(outcome(act(disk()))).toBe(expected);
  });

  test('DATA PROTECT 20h/02h for a locked band is what the sector access answers, and nothing moves', () => {
    const d = disk({ security: 'none' });
    const locked = { key: 7, asc: 0x20, ascq: 0x02 };
    (d.sectorAccess as { check: unknown }).check = () => locked;
    expect(run(d, A, cdb.write10(0, 1), sector(3))).toBe('7/20h/02h');
    expect(run(d, A, cdb.read10(0, 1))).toBe('7/20h/02h');
    expect(d.store.sectorWrites).toBe(0);
  });
});

describe('INQUIRY (scsi-device.md §3.1)', () => {
  const data = (removable: boolean, alloc = 36): Uint8Array | undefined => {
    const r = disk({ removable }).execute(A, { cdb: cdb.inquiry(alloc) });
    return r.kind === 'status' ? r.dataIn : undefined;
  };

  test('standard data: 36 bytes, device type 0, VERSION 6, format 2, ADDITIONAL LENGTH 31, CMDQUE, IDs', () => {
    const b = data(false)!;
    expect(b.length).toBe(36);
    expect([...b.subarray(0, 8)]).toEqual([0, 0, 6, 2, 31, 0, 0, 2]);
    expect(Buffer.from(b.subarray(8)).toString('latin1')).toBe('VDISK   VIRTUAL DISK    0001');
  });

  test('RMB follows `removable`', () => {
    expect(data(true)![1]).toBe(0x80);
    expect(data(false)![1]).toBe(0);
  });

  test('truncated to ALLOCATION LENGTH; 0 returns nothing, GOOD', () => {
    expect(data(true, 5)!.length).toBe(5);
    expect(data(true, 0)).toBeUndefined();
    expect(data(true, 1000)!.length).toBe(36);
  });

  test('truncated to the initiator\'s data-in buffer too', () => {
    const r = disk().execute(A, { cdb: cdb.inquiry(36), dataInLength: 4 });
    expect(r.kind === 'status' && r.dataIn?.length).toBe(4);
  });

  test('EVPD 0 with PAGE CODE ≠ 0 → 24h/00h; EVPD page 00h → 00 00 00 01 00; other pages → 24h/00h', () => {
    const d = disk();
    expect(run(d, A, cdb.inquiry(36, 0, 0x80))).toBe('5/24h/00h');
    const r = d.execute(A, { cdb: cdb.inquiry(255, 1, 0) });
    expect(r.kind === 'status' && [...r.dataIn!]).toEqual([0, 0, 0, 1, 0]);
    expect(run(d, A, cdb.inquiry(255, 1, 0x83))).toBe('5/24h/00h');
  });
});

describe('READ CAPACITY (scsi-device.md §3.4)', () => {
  test('(10): last LBA and block length', () => {
    const r = disk({ sectors: 2048, sectorSize: 4096 }).execute(A, { cdb: cdb.readCapacity10() });
    expect(r.kind === 'status' && [...r.dataIn!]).toEqual([0, 0, 0x07, 0xff, 0, 0, 0x10, 0]);
  });

  test('(10): FFFFFFFFh when the last LBA exceeds FFFFFFFEh', () => {
    const r = disk({ sectors: 2 ** 32 + 5 }).execute(A, { cdb: cdb.readCapacity10() });
    expect(r.kind === 'status' && [...r.dataIn!.subarray(0, 4)]).toEqual([0xff, 0xff, 0xff, 0xff]);
    const r2 = disk({ sectors: 0xffffffff }).execute(A, { cdb: cdb.readCapacity10() });
    expect(r2.kind === 'status' && [...r2.dataIn!.subarray(0, 4)]).toEqual([0xff, 0xff, 0xff, 0xfe]);
  });

  test('(10): PMI 0 with an LBA → 24h/00h; PMI 1 with an LBA is accepted', () => {
    expect(run(disk(), A, cdb.readCapacity10(1, 0))).toBe('5/24h/00h');
    expect(run(disk(), A, cdb.readCapacity10(1, 1))).toBe('GOOD');
  });

  test('(16): 64-bit last LBA, block length, zeros elsewhere; truncated to ALLOCATION LENGTH', () => {
    const d = disk({ sectors: 2 ** 40 });
    const r = d.execute(A, { cdb: cdb.readCapacity16(32) });
    const expected = new Uint8Array(32);
    new DataView(expected.buffer).setBigUint64(0, 2n ** 40n - 1n);
    new DataView(expected.buffer).setUint32(8, 512);
    expect(r.kind === 'status' && r.dataIn).toEqual(expected);
    const r12 = d.execute(A, { cdb: cdb.readCapacity16(12) });
    expect(r12.kind === 'status' && r12.dataIn).toEqual(expected.subarray(0, 12));
    expect(outcome(d.execute(A, { cdb: cdb.readCapacity16(0) }))).toBe('GOOD');
  });

  test('SERVICE ACTION IN(16) with another service action → 24h/00h', () => {
    expect(run(disk(), A, cdb.readCapacity16(32, 0x12))).toBe('5/24h/00h');
  });
});

describe('READ and WRITE (scsi-device.md §3.5)', () => {
  test('RDPROTECT / WRPROTECT ≠ 0 → 24h/00h', () => {
    const d = disk();
    expect(run(d, A, cdb.rw10(0x28, 0, 1, 1))).toBe('5/24h/00h');
    expect(run(d, A, cdb.rw10(0x2a, 0, 1, 7), sector(0))).toBe('5/24h/00h');
    expect(run(d, A, cdb.rw16(0x88, 0n, 1, 2))).toBe('5/24h/00h');
    expect(run(d, A, cdb.rw16(0x8a, 0n, 1, 4), sector(0))).toBe('5/24h/00h');
  });

  test('written sectors read back; never-written sectors read as zeros', () => {
    const d = disk();
    const data = new Uint8Array(1024).map((_, i) => i & 0xff);
    expect(run(d, A, cdb.write10(10, 2), data)).toBe('GOOD');
    const r = d.execute(A, { cdb: cdb.read16(10n, 3) });
    expect(r.kind === 'status' && r.dataIn).toEqual(Uint8Array.from([...data, ...new Uint8Array(512)]));
  });

  const S = 2048;
  test.each([
    ['READ(10) last block', cdb.read10(S - 1, 1), 'GOOD'],
    ['READ(10) at capacity', cdb.read10(S, 1), '5/21h/00h'],
    ['READ(10) ending one past capacity', cdb.read10(S - 1, 2), '5/21h/00h'],
    ['READ(10) zero-length at capacity', cdb.read10(S, 0), 'GOOD'],
    ['READ(10) zero-length past capacity', cdb.read10(S + 1, 0), '5/21h/00h'],
    ['READ(16) last block', cdb.read16(BigInt(S - 1), 1), 'GOOD'],
    ['READ(16) zero-length at capacity', cdb.read16(BigInt(S), 0), 'GOOD'],
    ['READ(16) LBA 2^64−1, length 1 (LBA + length wraps 2^64)', cdb.read16(2n ** 64n - 1n, 1), '5/21h/00h'],
    ['READ(16) LBA 2^64−1, length 2^32−1', cdb.read16(2n ** 64n - 1n, 0xffffffff), '5/21h/00h'],
    ['READ(16) LBA 2^64−2^32, length 2^32 wrapping to exactly 0', cdb.read16(2n ** 64n - 0xffffffffn, 0xffffffff), '5/21h/00h'],
    ['READ(16) LBA 0, length 2^32−1 on a small disk', cdb.read16(0n, 0xffffffff), '5/21h/00h'],
    ['READ(16) zero-length at 2^64−1', cdb.read16(2n ** 64n - 1n, 0), '5/21h/00h'],
  ])('%s → %s', (_name, c, expected) => {
    expect(run(disk({ sectors: S }), A, c)).toBe(expected);
  });

  test('WRITE edge cases: last block GOOD, at capacity 21h, zero-length at capacity GOOD with nothing written', () => {
    const d = disk({ sectors: S });
    expect(run(d, A, cdb.write16(BigInt(S - 1), 1), sector(1))).toBe('GOOD');
    expect(run(d, A, cdb.write16(BigInt(S), 1), sector(1))).toBe('5/21h/00h');
    expect(run(d, A, cdb.write10(S, 0))).toBe('GOOD');
    expect(run(d, A, cdb.write16(2n ** 64n - 1n, 1), sector(1))).toBe('5/21h/00h');
    expect(d.store.sectorWrites).toBe(1);
  });

  test('WRITE whose data-out differs from TRANSFER LENGTH × block size → 24h/00h, nothing written', () => {
    const d = disk();
    expect(run(d, A, cdb.write10(0, 2), sector(1))).toBe('5/24h/00h');
    expect(run(d, A, cdb.write10(0, 0), sector(1))).toBe('5/24h/00h');
    expect(run(d, A, cdb.write10(0, 1))).toBe('5/24h/00h');
    expect(d.store.sectorWrites).toBe(0);
  });

  test('an in-range READ(16) of 2^32−1 blocks on a huge disk is refused, never allocated', () => {
    const d = disk({ sectors: 2 ** 40 });
    expect(run(d, A, cdb.read16(0n, 0xffffffff))).toBe('5/24h/00h');
    expect(run(d, A, cdb.read16(0n, MAXIMUM_TRANSFER_BYTES / 512 + 1))).toBe('5/24h/00h');
  });

  test('READ data-in is cut to the initiator\'s buffer; the rest is not produced', () => {
    const d = disk();
    run(d, A, cdb.write10(0, 2), new Uint8Array(1024).fill(5));
    const r = d.execute(A, { cdb: cdb.read10(0, 2), dataInLength: 700 });
    expect(r.kind === 'status' && r.dataIn).toEqual(new Uint8Array(700).fill(5));
    expect(outcome(d.execute(A, { cdb: cdb.read10(0, 2), dataInLength: 0 }))).toBe('GOOD');
  });

  test('4096-byte sectors', () => {
    const d = disk({ sectorSize: 4096, sectors: 16 });
    expect(run(d, A, cdb.write10(15, 1), sector(9, 4096))).toBe('GOOD');
    const r = d.execute(A, { cdb: cdb.read10(15, 1) });
    expect(r.kind === 'status' && r.dataIn).toEqual(sector(9, 4096));
  });
});

describe('property: random CDBs from any initiator (STYLE.md fuzzing invariants)', () => {
  const KNOWN = [0x00, 0x12, 0x16, 0x17, 0x1b, 0x1e, 0x25, 0x28, 0x2a, 0x56, 0x57, 0x5e, 0x5f, 0x88, 0x8a, 0x9e];
  const cdbArb = fc.tuple(
    fc.oneof(fc.constantFrom(...KNOWN), fc.integer({ min: 0, max: 255 })),
    fc.uint8Array({ minLength: 0, maxLength: 17, size: 'max' }),
  ).map(([op, rest]) => Uint8Array.from([op, ...rest]));
  const commandArb = fc.record({
    initiator: fc.constantFrom('i0', 'i1', 'i2'),
    cdb: cdbArb,
    dataOut: fc.option(fc.uint8Array({ maxLength: 1100, size: 'max' }), { nil: undefined }),
    dataInLength: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  });
  const setupArb = fc.array(commandArb, { maxLength: 12 });

  test('never throws, well-formed result, failure changes nothing but the reported unit attention', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<import('../../src/device/disk-options').DiskOptions>(
          {}, { removable: false }, { medium: 'absent' }, { persistentReservations: false }, { security: 'none', sectorSize: 4096, sectors: 64 },
        ),
        fc.boolean(), setupArb, commandArb,
        (options, cycled, setup, cmd) => {
          const d = disk(options);
          if (cycled) d.powerCycle();
          for (const s of setup) d.execute(s.initiator, s);
          const before = d.snapshot();
          const pendingBefore = d.unitAttentions.pending(cmd.initiator);
          const r = d.execute(cmd.initiator, cmd);
          expect(r.kind).toBe('status');
          if (r.kind !== 'status') return;
          expect([0x00, 0x02, 0x18]).toContain(r.status);
          if (r.status === 0x02) {
            expect(r.sense?.length).toBe(18);
            expect(r.sense![0]).toBe(0x70);
            expect(r.dataIn).toBeUndefined();
          } else {
            expect(r.sense).toBeUndefined();
          }
          if (r.dataIn !== undefined && cmd.dataInLength !== undefined) expect(r.dataIn.length).toBeLessThanOrEqual(cmd.dataInLength);
          if (r.status === 0x00) return;
          const after = d.snapshot();
          if (r.status === 0x02 && r.sense![2] === 6) {
            // the oldest pending unit attention was reported and is the only change
            expect(pendingBefore[0]).toEqual({ key: 6, asc: r.sense![12], ascq: r.sense![13] });
            expect(d.unitAttentions.pending(cmd.initiator)).toEqual(pendingBefore.slice(1));
            expect({ ...after, unitAttentions: null }).toEqual({ ...before, unitAttentions: null });
          } else {
            expect(after).toEqual(before);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
