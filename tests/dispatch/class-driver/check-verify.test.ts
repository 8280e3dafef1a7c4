// class-driver.md §7: CHECK_VERIFY / CHECK_VERIFY2, output 0 / 1-3 / ≥ 4, MediaChangeCount.
import {
  IOCTL_STORAGE_CHECK_VERIFY as CV, IOCTL_STORAGE_CHECK_VERIFY2 as CV2, IOCTL_DISK_CHECK_VERIFY,
} from '../../../src/codecs/ioctl-codes';
import { name, setup, state, summary } from '../helpers/setup';

describe('IOCTL_STORAGE_CHECK_VERIFY (class-driver.md §7)', () => {
  test.each([1, 2, 3])('output length %i → STATUS_BUFFER_TOO_SMALL, information 0 to the caller, nothing sent', (n) => {
    const { host, disk } = setup();
    const h = host.open();
    const before = state(host, disk);
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), n))).toEqual(['STATUS_BUFFER_TOO_SMALL', 0, '']);
    expect(disk.log).toEqual([]);
    expect(state(host, disk)).toEqual(before);
  });

  test.each([CV, CV2, IOCTL_DISK_CHECK_VERIFY])('output 0 → TUR status, information 0 (code %i)', (code) => {
    const { host, disk } = setup();
    const h = host.open();
    expect(summary(host.deviceIoControl(h, code, Uint8Array.of(1, 2, 3), 0))).toEqual(['STATUS_SUCCESS', 0, '']);
    expect(disk.cdbs()).toEqual(['000000000000']);
  });

  test('output ≥ 4 → MediaChangeCount little-endian, information 4', () => {
    const { host } = setup();
    const h = host.open();
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 4))).toEqual(['STATUS_SUCCESS', 4, '00000000']);
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 100))).toEqual(['STATUS_SUCCESS', 4, '00000000']);
  });

  test('a unit attention is retried invisibly and counted first: success with the incremented count', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.addUnitAttention('host0', 0x29, 0);
    disk.addUnitAttention('host0', 0x28, 0);
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 4))).toEqual(['STATUS_SUCCESS', 4, '02000000']);
    expect(disk.cdbs()).toEqual(['000000000000', '000000000000', '000000000000']);
  });

  test('medium absent → STATUS_NO_MEDIA_IN_DEVICE (error: no output even with a buffer)', () => {
    const { host, disk } = setup();
    disk.medium = false;
    const h = host.open();
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 4))).toEqual(['STATUS_NO_MEDIA_IN_DEVICE', 0, '']);
  });

  test('a SCSI-2 reservation of another initiator → STATUS_DEVICE_BUSY, a warning that still returns the count', () => {
    const { host, disk } = setup();
    disk.reservedBy = 'other';
    const h = host.open();
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 4))).toEqual(['STATUS_DEVICE_BUSY', 4, '00000000']);
    expect(summary(host.deviceIoControl(h, CV, new Uint8Array(0), 0))).toEqual(['STATUS_DEVICE_BUSY', 0, '']);
  });

  test('CHECK_VERIFY2 needs no access; CHECK_VERIFY needs read access', () => {
    const { host } = setup();
    const h = host.open({ access: 0 });
    expect(name(host.deviceIoControl(h, CV2, new Uint8Array(0), 1))).toBe('STATUS_BUFFER_TOO_SMALL');
    expect(name(host.deviceIoControl(h, CV, new Uint8Array(0), 1))).toBe('STATUS_ACCESS_DENIED');
  });

  test('device off → STATUS_DEVICE_NOT_CONNECTED; the count is per initiator path', () => {
    const { host, disk } = setup();
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    disk.addUnitAttention('a', 0x29, 0);
    expect(summary(host.deviceIoControl(a, CV, new Uint8Array(0), 4))[2]).toBe('01000000');
    expect(summary(host.deviceIoControl(b, CV, new Uint8Array(0), 4))[2]).toBe('00000000');
    disk.off = true;
    expect(name(host.deviceIoControl(a, CV, new Uint8Array(0), 4))).toBe('STATUS_DEVICE_NOT_CONNECTED');
  });
});
