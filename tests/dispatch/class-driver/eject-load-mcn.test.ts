// class-driver.md §4 (EJECT/LOAD/LOAD2), §6 (MCN_CONTROL, FIND_NEW_DEVICES).
import {
  IOCTL_STORAGE_EJECT_MEDIA as EJECT, IOCTL_STORAGE_LOAD_MEDIA as LOAD, IOCTL_STORAGE_LOAD_MEDIA2 as LOAD2,
  IOCTL_STORAGE_EJECTION_CONTROL as EC, IOCTL_STORAGE_MCN_CONTROL as MCN, IOCTL_STORAGE_FIND_NEW_DEVICES as FIND,
  IOCTL_TAPE_FIND_NEW_DEVICES,
} from '../../../src/codecs/ioctl-codes';
import { name, setup, state } from '../helpers/setup';

const NONE = new Uint8Array(0);

describe('EJECT_MEDIA / LOAD_MEDIA / LOAD_MEDIA2 (class-driver.md §4)', () => {
  test('START STOP UNIT bytes: eject LOEJ 1 START 0, load LOEJ 1 START 1', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, EJECT, NONE))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, LOAD, NONE))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, LOAD2, NONE))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual(['1b0000000200', '1b0000000300', '1b0000000300']);
  });

  test.each([EJECT, LOAD, LOAD2])('a secure lock (even the caller\'s own) → STATUS_DEVICE_BUSY, nothing sent (code %i)', (code) => {
    const { host, disk } = setup();
    const h = host.open();
    host.deviceIoControl(h, EC, Uint8Array.of(1));
    const before = state(host, disk);
    const sent = disk.log.length;
    expect(name(host.deviceIoControl(h, code, NONE))).toBe('STATUS_DEVICE_BUSY');
    expect(disk.log.length).toBe(sent);
    expect(state(host, disk)).toEqual(before);
  });

  test('a fixed disk refuses LOEJ → STATUS_INVALID_DEVICE_REQUEST', () => {
    const { host } = setup({ removable: false, sectorSize: 512 });
    expect(name(host.deviceIoControl(host.open(), EJECT, NONE))).toBe('STATUS_INVALID_DEVICE_REQUEST');
  });

  test('LOAD_MEDIA2 needs no access right, LOAD_MEDIA needs read', () => {
    const { host } = setup();
    const h = host.open({ access: ['SYNCHRONIZE'] });
    expect(name(host.deviceIoControl(h, LOAD2, NONE))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, LOAD, NONE))).toBe('STATUS_ACCESS_DENIED');
  });
});

describe('MCN_CONTROL (class-driver.md §6)', () => {
  const mcn = (host: ReturnType<typeof setup>['host']) => host.snapshot().handles.map((h) => h.mcnDisableCount);

  test('length 0 → STATUS_INFO_LENGTH_MISMATCH; enable without disable → STATUS_INVALID_DEVICE_STATE; no SCSI', () => {
    const { host, disk } = setup();
    const h = host.open({ access: 0 });
    expect(name(host.deviceIoControl(h, MCN, NONE))).toBe('STATUS_INFO_LENGTH_MISMATCH');
    expect(name(host.deviceIoControl(h, MCN, Uint8Array.of(0)))).toBe('STATUS_INVALID_DEVICE_STATE');
    expect(name(host.deviceIoControl(h, MCN, Uint8Array.of(7)))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MCN, Uint8Array.of(1)))).toBe('STATUS_SUCCESS');
    expect(mcn(host)).toEqual([2]);
    expect(name(host.deviceIoControl(h, MCN, Uint8Array.of(0)))).toBe('STATUS_SUCCESS');
    expect(mcn(host)).toEqual([1]);
    expect(disk.log).toEqual([]);
  });

  test('the count is per handle', () => {
    const { host } = setup();
    const a = host.open();
    const b = host.open();
    host.deviceIoControl(a, MCN, Uint8Array.of(1));
    expect(name(host.deviceIoControl(b, MCN, Uint8Array.of(0)))).toBe('STATUS_INVALID_DEVICE_STATE');
    expect(mcn(host)).toEqual([1, 0]);
  });

  test('works while the device is off (no command needed, io-manager.md §7)', () => {
    const { host, disk } = setup();
    disk.off = true;
    expect(name(host.deviceIoControl(host.open(), MCN, Uint8Array.of(1)))).toBe('STATUS_SUCCESS');
  });
});

describe('FIND_NEW_DEVICES (class-driver.md §6)', () => {
  test.each([FIND, IOCTL_TAPE_FIND_NEW_DEVICES])('success, information 0, nothing sent, buffers ignored (code %i)', (code) => {
    const { host, disk } = setup();
    disk.off = true;
    const r = host.deviceIoControl(host.open(), code, Uint8Array.of(1, 2), 64);
    expect([name(r), r.information, r.output.length]).toEqual(['STATUS_SUCCESS', 0, 0]);
    expect(disk.log).toEqual([]);
  });
});
