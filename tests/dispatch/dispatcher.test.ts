// ioctl-codes.md §4-§5 and STYLE.md's dispatch table: aliases, unknown codes, registration.
import fc from 'fast-check';
import codes from '../../../shared/spec/data/ioctl-codes.json';
import { CLASS_DRIVER_IOCTLS, ioctlTable, lookupCode, registerIoctls } from '../../src/dispatch/dispatcher';
import { IOCTL_CODES, codeByName, requiredAccess, storageAlias } from '../../src/codecs/ioctl-codes';
import { name, setup, state } from './helpers/setup';

describe('the dispatch table', () => {
  test('the class driver\'s rows are exactly the "class" codes of ioctl-codes.md §3', () => {
    const classNames = (codes as Array<{ name: string }>).map((c) => c.name)
      .filter((n) => codeByName(n)?.handler === 'class');
    expect(Object.keys(CLASS_DRIVER_IOCTLS).sort()).toEqual(classNames.sort());
  });

  test('every row\'s access comes from its code bits: (code >> 14) & 3 equals requiredAccess()', () => {
    for (const c of IOCTL_CODES) expect((c.value >>> 14) & 3).toBe(requiredAccess(c.value));
  });

  test('alias rule: any function of a DISK/TAPE/CDROM-base code is remapped, but only onto class-driver codes', () => {
    expect(lookupCode(0x00074804)).toBe(0x002d4804); // IOCTL_DISK_MEDIA_REMOVAL
    expect(lookupCode(0x0007d01c)).toBe(0x002dd01c); // PR OUT via DISK base
    expect(lookupCode(0x00075018)).toBe(0x002d5018); // PR IN function, DISK base (§8.4)
    expect(lookupCode(0x001f0940)).toBe(0x002d0940); // TAPE-base EJECTION_CONTROL (no header name)
    setup(); // a Host registers the band silo's rows
    expect(lookupCode(0x002dd4a8)).toBe(0x002dd4a8); // ERASE_BAND itself is a row …
    expect(lookupCode(0x0007d4a8)).toBeUndefined(); // … but its DISK-base alias is not (§4)
    expect(lookupCode(0x00334804)).toBeUndefined(); // DVD base is not remapped
    expect(lookupCode(0x00044804)).toBeUndefined(); // controller/SCSI base is not remapped
    expect(lookupCode(0x002d5014)).toBeUndefined(); // BREAK_RESERVATION: "none"
    expect(lookupCode(0x002d0804)).toBeUndefined(); // MEDIA_REMOVAL with other access bits
    expect(lookupCode(0x002d4805)).toBeUndefined(); // other method bits
  });

  test('property: a code is known iff it is a row, or its alias is a class-driver row', () => {
    const classValues = new Set(Object.keys(CLASS_DRIVER_IOCTLS).map((n) => codeByName(n)!.value));
    const rowValues = new Set([...ioctlTable().keys()].map((n) => codeByName(n)!.value));
    fc.assert(fc.property(fc.oneof(fc.nat({ max: 0xffffffff }), fc.constantFrom(...IOCTL_CODES.map((c) => c.value))), (code) => {
      const a = storageAlias(code);
      const expected = rowValues.has(code) ? code : a !== undefined && classValues.has(a) ? a : undefined;
      expect(lookupCode(code)).toBe(expected);
    }));
  });

  test('registerIoctls refuses non-band names, unknown names and class codes, all-or-nothing', () => {
    const handler = () => ({ status: 0, information: 0 });
    const before = ioctlTable().size;
    expect(registerIoctls({ IOCTL_STORAGE_RESERVE: { handler } }).ok).toBe(false);
    expect(registerIoctls({ IOCTL_EHSTOR_BANDMGMT_SET_SID: { handler } }).ok).toBe(false);
    expect(registerIoctls({ IOCTL_EHSTOR_BANDMGMT_ERASE_BAND: { handler }, IOCTL_DISK_RESERVE: { handler } }).ok).toBe(false);
    expect(registerIoctls({ NOT_A_CODE: { handler } } as never).ok).toBe(false);
    expect(ioctlTable().size).toBe(before);
  });
});

describe('unknown codes (ioctl-codes.md §5)', () => {
  test.each([
    ['0x0007D4A8 (DISK-base ERASE_BAND function)', 0x0007d4a8],
    ['IOCTL_STORAGE_BREAK_RESERVATION', 0x002d5014],
    ['IOCTL_EHSTOR_BANDMGMT_SET_SID', 0x002dd4ac],
    ['a DVD-base MEDIA_REMOVAL', 0x00334804],
    ['MEDIA_REMOVAL with FILE_ANY_ACCESS', 0x002d0804],
    ['zero', 0],
  ])('%s → STATUS_INVALID_DEVICE_REQUEST, information 0, nothing sent, nothing changed', (_n, code) => {
    const { host, disk } = setup();
    const h = host.open({ access: ['GENERIC_ALL'] });
    const before = state(host, disk);
    const r = host.deviceIoControl(h, code, Uint8Array.of(1), 16);
    expect([name(r), r.information, r.output.length, r.win32]).toEqual(['STATUS_INVALID_DEVICE_REQUEST', 0, 0, 1]);
    expect(disk.log).toEqual([]);
    expect(state(host, disk)).toEqual(before);
  });

  test('an unknown code whose access bits the handle lacks gets STATUS_ACCESS_DENIED first', () => {
    const { host } = setup();
    const h = host.open({ access: ['GENERIC_READ'] });
    expect(name(host.deviceIoControl(h, 0x0007d4a8, new Uint8Array(0)))).toBe('STATUS_ACCESS_DENIED');
  });
});
