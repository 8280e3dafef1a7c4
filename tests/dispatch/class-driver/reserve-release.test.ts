// class-driver.md §3: RESERVE/RELEASE, no checks, the 6 → 10-byte fallback and FDO_HACK_NO_RESERVE6.
import {
  IOCTL_STORAGE_RESERVE as RESERVE, IOCTL_STORAGE_RELEASE as RELEASE, IOCTL_DISK_RESERVE, IOCTL_CDROM_RELEASE,
} from '../../../src/codecs/ioctl-codes';
import { name, setup } from '../helpers/setup';
import { checkCondition } from '../helpers/fake-disk';

describe('IOCTL_STORAGE_RESERVE / RELEASE (class-driver.md §3)', () => {
  test('RESERVE(6) / RELEASE(6); buffers ignored', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, RESERVE, Uint8Array.of(9, 9, 9), 77))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, RELEASE, new Uint8Array(0), 0))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual(['160000000000', '170000000000']);
  });

  test('another initiator\'s reservation → STATUS_DEVICE_BUSY', () => {
    const { host } = setup();
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    expect(name(host.deviceIoControl(a, RESERVE, new Uint8Array(0)))).toBe('STATUS_SUCCESS');
    const r = host.deviceIoControl(b, RESERVE, new Uint8Array(0));
    expect([name(r), r.information, r.win32]).toEqual(['STATUS_DEVICE_BUSY', 0, 170]);
  });

  test('6-byte form rejected → flag set for this path only, 10-byte re-sent, and used from then on', () => {
    const { host, disk } = setup();
    disk.script = (_i, cdb) => (cdb[0] === 0x16 || cdb[0] === 0x17 ? checkCondition(5, 0x20, 0) : undefined);
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    expect(name(host.deviceIoControl(a, RESERVE, new Uint8Array(0)))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(a, RELEASE, new Uint8Array(0)))).toBe('STATUS_SUCCESS');
    expect(host.snapshot().paths.map((p) => [p.initiator, p.noReserve6])).toEqual([['a', true], ['b', false]]);
    expect(disk.cdbs()).toEqual(['160000000000', '56000000000000000000', '57000000000000000000']);
    host.deviceIoControl(b, RELEASE, new Uint8Array(0));
    expect(disk.cdbs().slice(3)).toEqual(['170000000000', '57000000000000000000']); // b tries the 6-byte form first
  });

  test('10-byte form rejected too → STATUS_INVALID_DEVICE_REQUEST (the flag stays set)', () => {
    const { host, disk } = setup();
    disk.script = () => checkCondition(5, 0x20, 0);
    const h = host.open();
    expect(name(host.deviceIoControl(h, RESERVE, new Uint8Array(0)))).toBe('STATUS_INVALID_DEVICE_REQUEST');
    expect(disk.cdbs()).toEqual(['160000000000', '56000000000000000000']);
    expect(host.snapshot().paths[0]!.noReserve6).toBe(true);
  });

  test('other errors do not fall back', () => {
    const { host, disk } = setup();
    disk.off = true;
    const h = host.open();
    expect(name(host.deviceIoControl(h, RESERVE, new Uint8Array(0)))).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(host.snapshot().paths[0]!.noReserve6).toBe(false);
  });

  test('reboot clears the flag', () => {
    const { host, disk } = setup();
    disk.script = () => checkCondition(5, 0x20, 0);
    host.deviceIoControl(host.open(), RESERVE, new Uint8Array(0));
    host.reboot();
    disk.script = undefined;
    host.deviceIoControl(host.open(), RESERVE, new Uint8Array(0));
    expect(disk.cdbs().at(-1)).toBe('160000000000');
  });

  test.each([IOCTL_DISK_RESERVE, IOCTL_CDROM_RELEASE])('legacy alias %i', (code) => {
    const { host, disk } = setup();
    expect(name(host.deviceIoControl(host.open(), code, new Uint8Array(0)))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()[0]).toBe(code === IOCTL_DISK_RESERVE ? '160000000000' : '170000000000');
  });
});
