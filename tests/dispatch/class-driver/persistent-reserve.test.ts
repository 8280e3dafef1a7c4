// class-driver.md §8: PERSISTENT_RESERVE_IN / _OUT checks in order, the CDBs, results, the §8.4 quirk.
import fc from 'fast-check';
import {
  IOCTL_STORAGE_PERSISTENT_RESERVE_IN as PR_IN, IOCTL_STORAGE_PERSISTENT_RESERVE_OUT as PR_OUT,
} from '../../../src/codecs/ioctl-codes';
import { name, setup, state, summary } from '../helpers/setup';
import { checkCondition } from '../helpers/fake-disk';

/** PERSISTENT_RESERVE_COMMAND (layouts.md §1) + optional tail, little-endian header */
function prCommand(o: { size?: number; sa?: number; type?: number; scope?: number; alloc?: number; length?: number }): Uint8Array {
  const b = new Uint8Array(o.length ?? 36);
  const v = new DataView(b.buffer);
  if (b.length >= 8) v.setUint32(4, o.size ?? b.length, true);
  if (b.length >= 9) b[8] = o.sa ?? 0;
  if (b.length >= 10) b[9] = ((o.scope ?? 0) << 4) | (o.type ?? 0);
  if (b.length >= 12 && o.alloc !== undefined) v.setUint16(10, o.alloc, true);
  for (let i = 10 + (o.alloc !== undefined ? 2 : 0); i < b.length; i++) b[i] = i; // parameter-list bytes
  return b;
}

describe('PERSISTENT_RESERVE common checks (§8.1 steps 1-2)', () => {
  test.each([PR_IN, PR_OUT])('input length 0..11 → STATUS_INFO_LENGTH_MISMATCH (code %i)', (code) => {
    const { host, disk } = setup();
    const h = host.open();
    for (let n = 0; n < 12; n++) {
      expect(name(host.deviceIoControl(h, code, new Uint8Array(n), 256))).toBe('STATUS_INFO_LENGTH_MISMATCH');
    }
    expect(disk.log).toEqual([]);
  });

  test.each([PR_IN, PR_OUT])('Size < 12 → STATUS_INFO_LENGTH_MISMATCH (code %i)', (code) => {
    const { host } = setup();
    const h = host.open();
    for (const size of [0, 1, 11]) {
      expect(name(host.deviceIoControl(h, code, prCommand({ size, alloc: 8 }), 256))).toBe('STATUS_INFO_LENGTH_MISMATCH');
    }
  });
});

describe('PERSISTENT_RESERVE_IN (§8.1 IN-4, IN-5; §8.2; §8.3)', () => {
  test('IN-4: OutputBufferLength < AllocationLength → STATUS_INVALID_PARAMETER', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, PR_IN, prCommand({ length: 12, alloc: 100 }), 99))).toBe('STATUS_INVALID_PARAMETER');
    expect(disk.log).toEqual([]);
  });

  test.each([
    [0, 7, 'STATUS_INVALID_PARAMETER'], [1, 7, 'STATUS_INVALID_PARAMETER'], [0, 8, 'STATUS_SUCCESS'],
    [1, 8, 'STATUS_SUCCESS'], [2, 64, 'STATUS_INVALID_PARAMETER'], [3, 64, 'STATUS_INVALID_PARAMETER'],
    [0x1f, 64, 'STATUS_INVALID_PARAMETER'],
  ])('IN-5: service action %i, AllocationLength %i → %s', (sa, alloc, status) => {
    const { host } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, PR_IN, prCommand({ length: 12, sa, alloc }), 256))).toBe(status);
  });

  test('Reserved1 bits of byte 8 are ignored; Version never checked', () => {
    const { host, disk } = setup();
    const h = host.open();
    const cmd = prCommand({ length: 12, sa: 0xe1, alloc: 8 });
    cmd[0] = 0xff;
    expect(name(host.deviceIoControl(h, PR_IN, cmd, 8))).toBe('STATUS_SUCCESS');
    expect(disk.log[0]!.cdb).toBe('5e010000000000000800');
  });

  test('CDB 5E sa .. hi lo 00, data-in length = OutputBufferLength; Information = bytes returned', () => {
    const { host, disk } = setup();
    const h = host.open();
    const r = host.deviceIoControl(h, PR_IN, prCommand({ length: 12, sa: 0, alloc: 256 }), 300);
    expect(disk.log[0]).toMatchObject({ cdb: '5e000000000000010000', dataInLength: 300 });
    expect(summary(r)).toEqual(['STATUS_SUCCESS', 24, Buffer.from(disk.prInResponse).toString('hex')]);
  });

  test('a short allocation length returns the truncated data (device min(alloc, response))', () => {
    const { host } = setup();
    const h = host.open();
    const r = host.deviceIoControl(h, PR_IN, prCommand({ length: 12, sa: 0, alloc: 8 }), 8);
    expect(summary(r)).toEqual(['STATUS_SUCCESS', 8, '0000000000000010']);
  });

  test('ILLEGAL REQUEST 1Ah (STATUS_DATA_OVERRUN) → STATUS_SUCCESS for PR IN', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.script = () => checkCondition(5, 0x1a, 0);
    expect(name(host.deviceIoControl(h, PR_IN, prCommand({ length: 12, alloc: 8 }), 8))).toBe('STATUS_SUCCESS');
  });

  test('a reservation conflict → STATUS_DEVICE_BUSY (a warning: information 0, no output)', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.reservedBy = 'other';
    expect(summary(host.deviceIoControl(h, PR_IN, prCommand({ length: 12, alloc: 8 }), 8))).toEqual(['STATUS_DEVICE_BUSY', 0, '']);
  });

  test('no persistent reservations (20h/00h) → STATUS_INVALID_DEVICE_REQUEST', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.script = (_i, cdb) => (cdb[0] === 0x5e || cdb[0] === 0x5f ? checkCondition(5, 0x20, 0) : undefined);
    expect(name(host.deviceIoControl(h, PR_IN, prCommand({ length: 12, alloc: 8 }), 8))).toBe('STATUS_INVALID_DEVICE_REQUEST');
  });
});

describe('PERSISTENT_RESERVE_OUT (§8.1 OUT-4, OUT-5; §8.2; §8.3)', () => {
  // OUT-4 matrix: every service action 0..31 × scope 0..15 × type 0..15.
  test('OUT-4 matrix: service action × scope × type', () => {
    const { host, disk } = setup();
    const h = host.open();
    for (let sa = 0; sa < 32; sa++) {
      for (let scope = 0; scope < 16; scope++) {
        for (let type = 0; type < 16; type++) {
          const checked = sa === 1 || sa === 2 || sa === 4 || sa === 5;
          const ok = sa <= 6 && (!checked || ((scope === 0 || scope === 2) && [1, 3, 5, 6].includes(type)));
          const n = disk.log.length;
          const r = host.deviceIoControl(h, PR_OUT, prCommand({ sa, scope, type }), 0);
          expect([sa, scope, type, name(r)]).toEqual([sa, scope, type, ok ? 'STATUS_SUCCESS' : 'STATUS_INVALID_PARAMETER']);
          expect(disk.log.length).toBe(ok ? n + 1 : n);
        }
      }
    }
  });

  test('OUT-5: InputBufferLength < 36 or Size < InputBufferLength → STATUS_INVALID_PARAMETER', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 35, sa: 0 })))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 12, sa: 0 })))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 40, size: 39, sa: 0 })))).toBe('STATUS_INVALID_PARAMETER');
    expect(disk.log).toEqual([]);
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 40, size: 40, sa: 0 })))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 36, size: 0xffffffff, sa: 0 })))).toBe('STATUS_SUCCESS');
  });

  test('OUT-4 precedes OUT-5', () => {
    const { host } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ length: 12, sa: 1, type: 2 })))).toBe('STATUS_INVALID_PARAMETER');
  });

  test('CDB 5F sa tt 00 00 00 00 00 18 00 with the 24 input bytes at offsets 10-33 as data-out', () => {
    const { host, disk } = setup();
    const h = host.open();
    const cmd = prCommand({ sa: 1, type: 1, scope: 0 });
    const r = host.deviceIoControl(h, PR_OUT, cmd, 64);
    expect(summary(r)).toEqual(['STATUS_SUCCESS', 0, '']);
    expect(disk.log[0]).toMatchObject({ cdb: '5f010100000000001800', dataOut: Buffer.from(cmd.subarray(10, 34)).toString('hex') });
  });

  test('REGISTER copies unchecked scope and type into the CDB', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.deviceIoControl(h, PR_OUT, prCommand({ sa: 0, type: 0xf, scope: 0xf }));
    expect(disk.log[0]!.cdb).toBe('5f00ff00000000001800');
  });

  test.each([
    [0x1a, 0x00, 'STATUS_SUCCESS'],
    [0x26, 0x04, 'STATUS_INVALID_OFFSET_ALIGNMENT'],
    [0x26, 0x00, 'STATUS_INVALID_DEVICE_REQUEST'],
    [0x24, 0x00, 'STATUS_INVALID_DEVICE_REQUEST'],
  ])('ILLEGAL REQUEST %i/%i → %s', (asc, ascq, status) => {
    const { host, disk } = setup();
    const h = host.open();
    disk.script = () => checkCondition(5, asc, ascq);
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ sa: 2, type: 1 })))).toBe(status);
  });

  test('PR OUT needs a read AND write handle', () => {
    const { host, disk } = setup();
    const h = host.open({ access: ['GENERIC_READ'] });
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ sa: 0 })))).toBe('STATUS_ACCESS_DENIED');
    expect(disk.log).toEqual([]);
  });

  test('every failing validation leaves host and device state unchanged (property)', () => {
    const { host, disk } = setup();
    const h = host.open();
    fc.assert(fc.property(
      fc.constantFrom(PR_IN, PR_OUT, 0x00075018, 0x0007d01c),
      fc.uint8Array({ maxLength: 48, size: 'max' }),
      fc.nat({ max: 600 }),
      (code, input, outLen) => {
        const before = state(host, disk);
        const sent = disk.log.length;
        const r = host.deviceIoControl(h, code, input, outLen);
        expect(r.output.length).toBeLessThanOrEqual(outLen);
        if (disk.log.length === sent) expect(state(host, disk)).toEqual(before);
        if (r.status >>> 30 === 3) expect(r.information).toBe(0);
      }));
  });
});

describe('§8.4 legacy-base codes', () => {
  test('0x00075018 (DISK base, function 0x406, read access) is validated and sent as PR OUT', () => {
    const { host, disk } = setup();
    const h = host.open({ access: ['GENERIC_READ'] });
    // an IN-shaped 12-byte command fails OUT-5, not IN-4/IN-5
    expect(name(host.deviceIoControl(h, 0x00075018, prCommand({ length: 12, sa: 0, alloc: 8 }), 8))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.deviceIoControl(h, 0x00075018, prCommand({ sa: 1, type: 3 })))).toBe('STATUS_SUCCESS');
    expect(disk.log.map((l) => l.cdb)).toEqual(['5f010300000000001800']);
  });

  test('DATA_OVERRUN is not converted for an alias code', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.script = () => checkCondition(5, 0x1a, 0);
    expect(name(host.deviceIoControl(h, 0x00075018, prCommand({ sa: 0 })))).toBe('STATUS_DATA_OVERRUN');
    expect(name(host.deviceIoControl(h, 0x0007d01c, prCommand({ sa: 0 })))).toBe('STATUS_DATA_OVERRUN');
    expect(name(host.deviceIoControl(h, PR_OUT, prCommand({ sa: 0 })))).toBe('STATUS_SUCCESS');
  });

  test('0x0007D01C behaves as PR OUT (needs read and write access)', () => {
    const { host, disk } = setup();
    const ro = host.open({ access: ['GENERIC_READ'] });
    const rw = host.open();
    expect(name(host.deviceIoControl(ro, 0x0007d01c, prCommand({ sa: 0 })))).toBe('STATUS_ACCESS_DENIED');
    expect(name(host.deviceIoControl(rw, 0x0007d01c, prCommand({ sa: 0 })))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual(['5f000000000000001800']);
  });
});
