// io-manager.md §2 (handle → access check → dispatcher), §4 (what the caller gets), §5, §6.
import fc from 'fast-check';
import {
  IOCTL_STORAGE_MEDIA_REMOVAL as MR, IOCTL_STORAGE_CHECK_VERIFY as CV, IOCTL_STORAGE_PERSISTENT_RESERVE_IN as PR_IN,
  IOCTL_STORAGE_EJECTION_CONTROL as EC, IOCTL_CODES,
} from '../../src/codecs/ioctl-codes';
import {
  FILE_ALL_ACCESS, FILE_READ_ATTRIBUTES, FILE_READ_DATA, FILE_WRITE_DATA, GENERIC_READ, MAXIMUM_ALLOWED, SYNCHRONIZE,
} from '../../src/codecs/access-rights';
import { INVALID_HANDLE_VALUE } from '../../src/host';
import { name, setup, state, summary } from './helpers/setup';

describe('handles (io-manager.md §1-§2)', () => {
  test('granted access = requested after generic mapping; MAXIMUM_ALLOWED → FILE_ALL_ACCESS', () => {
    const { host } = setup();
    host.open({ access: GENERIC_READ });
    host.open({ access: MAXIMUM_ALLOWED });
    host.open({ access: 0 });
    host.open({ access: ['FILE_READ_DATA', 'SYNCHRONIZE'] });
    expect(host.snapshot().handles.map((h) => h.access)).toEqual([0x00120089, FILE_ALL_ACCESS, 0, FILE_READ_DATA | SYNCHRONIZE]);
  });

  test('malformed open arguments give INVALID_HANDLE_VALUE, which every call rejects', () => {
    const { host } = setup();
    expect(host.open({ access: -1 })).toBe(INVALID_HANDLE_VALUE);
    expect(host.open({ access: ['NOPE'] as never })).toBe(INVALID_HANDLE_VALUE);
    expect(host.open({ process: 7 as never })).toBe(INVALID_HANDLE_VALUE);
    expect(name(host.deviceIoControl(INVALID_HANDLE_VALUE, MR, Uint8Array.of(1)))).toBe('STATUS_INVALID_HANDLE');
    expect(host.snapshot()).toEqual({ handles: [], paths: [] });
  });

  test('closed, never-opened and non-number handles → STATUS_INVALID_HANDLE for every call', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.close(h);
    for (const bad of [h, 999, NaN, '1' as never]) {
      const r = host.deviceIoControl(bad, MR, Uint8Array.of(1));
      expect([name(r), r.information, r.win32]).toEqual(['STATUS_INVALID_HANDLE', 0, 6]);
      expect(name(host.read(bad, 0, 1))).toBe('STATUS_INVALID_HANDLE');
      expect(name(host.write(bad, 0, new Uint8Array(512)))).toBe('STATUS_INVALID_HANDLE');
      expect(name(host.close(bad))).toBe('STATUS_INVALID_HANDLE');
    }
    expect(disk.log).toEqual([]);
  });
});

describe('the IOCTL access check (io-manager.md §2)', () => {
  test('a handle without read access → STATUS_ACCESS_DENIED before anything else, even with empty input', () => {
    const { host, disk } = setup();
    for (const access of [0, FILE_READ_ATTRIBUTES, SYNCHRONIZE, FILE_WRITE_DATA]) {
      const h = host.open({ access });
      const before = state(host, disk);
      const r = host.deviceIoControl(h, MR, new Uint8Array(0), 0);
      expect([name(r), r.information, r.win32]).toEqual(['STATUS_ACCESS_DENIED', 0, 5]);
      expect(state(host, disk)).toEqual(before);
    }
    expect(disk.log).toEqual([]);
  });

  test('property: for every code of §3 and every access mask, denied iff the code\'s bits are not all granted', () => {
    const { host, disk } = setup();
    fc.assert(fc.property(fc.constantFrom(...IOCTL_CODES.map((c) => c.value)), fc.nat({ max: 3 }), (code, rights) => {
      const h = host.open({ access: rights });
      const need = (code >>> 14) & 3;
      const r = host.deviceIoControl(h, code, new Uint8Array(0), 0);
      expect(name(r) === 'STATUS_ACCESS_DENIED').toBe((rights & need) !== need);
      host.close(h);
    }));
    void disk;
  });

  test('malformed code / input / outputLength → STATUS_INVALID_PARAMETER (code checked before, buffers after the access check)', () => {
    const { host } = setup();
    const h = host.open();
    const none = host.open({ access: 0 });
    expect(name(host.deviceIoControl(h, 1.5, Uint8Array.of(1)))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.deviceIoControl(h, 'NOT_A_CODE', Uint8Array.of(1)))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.deviceIoControl(h, 'IOCTL_STORAGE_MEDIA_REMOVAL', Uint8Array.of(0)))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, [1] as never))).toBe('STATUS_INVALID_PARAMETER');
    for (const n of [-1, NaN, 0.5, 2 ** 32, Infinity]) {
      expect(name(host.deviceIoControl(h, MR, Uint8Array.of(1), n))).toBe('STATUS_INVALID_PARAMETER');
      expect(name(host.deviceIoControl(none, MR, Uint8Array.of(1), n))).toBe('STATUS_ACCESS_DENIED');
    }
  });
});

describe('what the caller gets (io-manager.md §4)', () => {
  test('an error copies nothing and reports information 0 (CHECK_VERIFY 1-3 bytes: classpnp says 4)', () => {
    const { host } = setup();
    expect(summary(host.deviceIoControl(host.open(), CV, new Uint8Array(0), 2))).toEqual(['STATUS_BUFFER_TOO_SMALL', 0, '']);
  });

  test('success output is the first min(Information, OutputBufferLength) bytes', () => {
    const { host } = setup();
    const h = host.open();
    const cmd = new Uint8Array(12);
    cmd[4] = 12;
    cmd[10] = 16;
    const r = host.deviceIoControl(h, PR_IN, cmd, 16);
    expect([name(r), r.information, r.output.length]).toEqual(['STATUS_SUCCESS', 16, 16]);
  });

  test('property: output.length ≤ outputLength, errors have information 0, results are deterministic', () => {
    fc.assert(fc.property(
      fc.constantFrom(...IOCTL_CODES.map((c) => c.value), 0x0007d01c, 0x00075018),
      fc.uint8Array({ maxLength: 40, size: 'max' }),
      fc.oneof(fc.nat({ max: 64 }), fc.constant(0xffffffff)),
      (code, input, outLen) => {
        const run = () => {
          const { host } = setup();
          const r = host.deviceIoControl(host.open(), code, input, outLen);
          return summary(r);
        };
        const a = run();
        expect(a).toEqual(run());
        expect(a[2].length / 2).toBeLessThanOrEqual(outLen);
        if (['STATUS_SUCCESS', 'STATUS_DEVICE_BUSY'].indexOf(a[0]) < 0) expect(a[1]).toBe(0);
      }));
  });
});

describe('close and process exit (io-manager.md §6)', () => {
  test('exitProcess closes only that process\'s handles, in open order', () => {
    const { host, disk } = setup();
    const a1 = host.open({ process: 'a' });
    const b = host.open({ process: 'b' });
    const a2 = host.open({ process: 'a' });
    host.deviceIoControl(a1, EC, Uint8Array.of(1));
    host.deviceIoControl(a2, EC, Uint8Array.of(1));
    host.exitProcess('a');
    expect(host.snapshot().handles.map((h) => h.id)).toEqual([b]);
    // a1's close leaves a2's lock: no ALLOW; a2's close sends the one ALLOW
    expect(disk.cdbs()).toEqual(['1e0000000100', '1e0000000100', '1e0000000000']);
    expect(name(host.exitProcess('nobody'))).toBe('STATUS_SUCCESS');
  });
});
