// class-driver.md §5: MEDIA_REMOVAL simple locks, EJECTION_CONTROL secure per-handle locks, §5.3's send
// table, §5.4 rollback, §5.5 close processing.
import {
  IOCTL_STORAGE_MEDIA_REMOVAL as MR, IOCTL_STORAGE_EJECTION_CONTROL as EC, IOCTL_STORAGE_EJECT_MEDIA,
  IOCTL_DISK_MEDIA_REMOVAL, IOCTL_TAPE_MEDIA_REMOVAL, IOCTL_CDROM_MEDIA_REMOVAL,
} from '../../../src/codecs/ioctl-codes';
import { name, setup, state } from '../helpers/setup';

const LOCK = Uint8Array.of(1);
const UNLOCK = Uint8Array.of(0);
const PREVENT = '1e0000000100';
const ALLOW = '1e0000000000';

const paths = (host: ReturnType<typeof setup>['host']) => host.snapshot().paths[0]!;

describe('IOCTL_STORAGE_MEDIA_REMOVAL / EJECTION_CONTROL (class-driver.md §5)', () => {
  test.each([MR, EC])('§5.1.1 input length 0 → STATUS_INFO_LENGTH_MISMATCH, nothing sent (code %i)', (code) => {
    const { host, disk } = setup();
    const h = host.open();
    const before = state(host, disk);
    expect(name(host.deviceIoControl(h, code, new Uint8Array(0)))).toBe('STATUS_INFO_LENGTH_MISMATCH');
    expect(disk.log).toEqual([]);
    expect(state(host, disk)).toEqual(before);
  });

  test('simple lock: every lock sends PREVENT; unlocks send ALLOW only when the count reaches 0', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, MR, LOCK))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, LOCK))).toBe('STATUS_SUCCESS');
    expect(paths(host).lockCount).toBe(2);
    expect(name(host.deviceIoControl(h, MR, UNLOCK))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, UNLOCK))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([PREVENT, PREVENT, ALLOW]);
    expect(paths(host).lockCount).toBe(0);
  });

  test('§5.3 a simple unlock at count 0 is no error and re-sends ALLOW', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, MR, UNLOCK))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([ALLOW]);
    expect(paths(host).lockCount).toBe(0);
  });

  test('§5.2.6 p = byte & 1: lock byte 02 counts but sends ALLOW; FF sends PREVENT; extra input ignored', () => {
    const { host, disk } = setup();
    const h = host.open();
    expect(name(host.deviceIoControl(h, MR, Uint8Array.of(2)))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, Uint8Array.of(0xff, 0, 0), 16))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([ALLOW, PREVENT]);
    expect(paths(host).lockCount).toBe(2);
  });

  test('the simple count has no owner: another handle (another process) undoes it', () => {
    const { host, disk } = setup();
    const a = host.open({ process: 'pa' });
    const b = host.open({ process: 'pb' });
    host.deviceIoControl(a, MR, LOCK);
    expect(name(host.deviceIoControl(b, MR, UNLOCK))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([PREVENT, ALLOW]);
  });

  test.each([IOCTL_DISK_MEDIA_REMOVAL, IOCTL_TAPE_MEDIA_REMOVAL, IOCTL_CDROM_MEDIA_REMOVAL])(
    'legacy alias %i is a simple lock', (code) => {
      const { host, disk } = setup();
      const h = host.open();
      expect(name(host.deviceIoControl(h, code, LOCK))).toBe('STATUS_SUCCESS');
      expect(paths(host).lockCount).toBe(1);
      expect(paths(host).protectedLockCount).toBe(0);
      expect(disk.cdbs()).toEqual([PREVENT]);
    });

  test('§5.4 rollback: PREVENT meets a reservation conflict → STATUS_DEVICE_BUSY and the count is back to 0', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.reservedBy = 'other';
    const before = state(host, disk);
    const r = host.deviceIoControl(h, MR, LOCK);
    expect([name(r), r.information]).toEqual(['STATUS_DEVICE_BUSY', 0]);
    expect(state(host, disk)).toEqual(before);
  });

  test('§5.2.7 rollback of an unlock: ALLOW fails → the count stays', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.deviceIoControl(h, MR, LOCK);
    disk.reservedBy = 'other';
    expect(name(host.deviceIoControl(h, MR, UNLOCK))).toBe('STATUS_DEVICE_BUSY');
    expect(paths(host).lockCount).toBe(1);
  });

  test('secure rollback restores the handle count and ProtectedLockCount', () => {
    const { host, disk } = setup();
    const h = host.open();
    disk.off = true;
    const before = state(host, disk);
    expect(name(host.deviceIoControl(h, EC, LOCK))).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(state(host, disk)).toEqual(before);
  });

  test('§5.2.4 secure unlock by a handle holding none → STATUS_INVALID_DEVICE_STATE, nothing sent, nothing changed', () => {
    const { host, disk } = setup();
    const a = host.open();
    const b = host.open();
    host.deviceIoControl(a, EC, LOCK);
    const before = state(host, disk);
    const sent = disk.log.length;
    expect(name(host.deviceIoControl(b, EC, UNLOCK))).toBe('STATUS_INVALID_DEVICE_STATE');
    expect(disk.log.length).toBe(sent);
    expect(state(host, disk)).toEqual(before);
  });

  test('an unlock leaving another count > 0 sends nothing', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.deviceIoControl(h, MR, LOCK);
    host.deviceIoControl(h, EC, LOCK);
    host.deviceIoControl(h, EC, UNLOCK);
    expect(disk.cdbs()).toEqual([PREVENT, PREVENT]);
    expect(paths(host)).toMatchObject({ lockCount: 1, protectedLockCount: 0 });
  });

  test('§5.2.5 fixed disk: counts change, nothing is sent', () => {
    const { host, disk } = setup({ removable: false, sectorSize: 512 });
    const h = host.open();
    expect(name(host.deviceIoControl(h, MR, LOCK))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, EC, LOCK))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, UNLOCK))).toBe('STATUS_SUCCESS');
    expect(disk.log).toEqual([]);
    expect(paths(host)).toMatchObject({ lockCount: 0, protectedLockCount: 1 });
  });

  test('EJECTION_CONTROL needs no access right; MEDIA_REMOVAL needs read access, checked before anything', () => {
    const { host, disk } = setup();
    const h = host.open({ access: 0 });
    expect(name(host.deviceIoControl(h, EC, LOCK))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(h, MR, new Uint8Array(0)))).toBe('STATUS_ACCESS_DENIED');
    expect(disk.cdbs()).toEqual([PREVENT]);
  });
});

describe('secure locks and close processing (class-driver.md §4, §5.5; io-manager.md §6)', () => {
  test('eject is STATUS_DEVICE_BUSY while another handle holds a secure lock, allowed after its process exits', () => {
    const { host, disk } = setup();
    const locker = host.open({ process: 'locker' });
    const ejector = host.open({ process: 'ejector' });
    host.deviceIoControl(locker, EC, LOCK);
    const before = state(host, disk);
    const r = host.deviceIoControl(ejector, IOCTL_STORAGE_EJECT_MEDIA, new Uint8Array(0));
    expect([name(r), r.information]).toEqual(['STATUS_DEVICE_BUSY', 0]);
    expect(state(host, disk)).toEqual(before);
    expect(name(host.exitProcess('locker'))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(locker, EC, UNLOCK))).toBe('STATUS_INVALID_HANDLE');
    expect(name(host.deviceIoControl(ejector, IOCTL_STORAGE_EJECT_MEDIA, new Uint8Array(0)))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([PREVENT, ALLOW, '1b0000000200']);
    expect(disk.medium).toBe(false);
  });

  test('close releases all the handle\'s secure locks and sends one ALLOW when no lock remains', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.deviceIoControl(h, EC, LOCK);
    host.deviceIoControl(h, EC, LOCK);
    expect(name(host.close(h))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([PREVENT, PREVENT, ALLOW]);
    expect(host.snapshot()).toEqual({ handles: [], paths: [expect.objectContaining({ protectedLockCount: 0 })] });
  });

  test('close sends no ALLOW while a simple lock remains, and simple locks survive process exit', () => {
    const { host, disk } = setup();
    const h = host.open({ process: 'x' });
    host.deviceIoControl(h, MR, LOCK);
    host.deviceIoControl(h, EC, LOCK);
    host.exitProcess('x');
    expect(disk.cdbs()).toEqual([PREVENT, PREVENT]);
    expect(paths(host)).toMatchObject({ lockCount: 1, protectedLockCount: 0 });
  });

  test('close ignores a failing ALLOW and sends it even on a fixed disk', () => {
    const { host, disk } = setup({ removable: false, sectorSize: 512 });
    const h = host.open();
    host.deviceIoControl(h, EC, LOCK);
    disk.reservedBy = 'other';
    expect(name(host.close(h))).toBe('STATUS_SUCCESS');
    expect(disk.cdbs()).toEqual([ALLOW]);
    expect(paths(host).protectedLockCount).toBe(0);
  });

  test('a handle without secure locks sends nothing on close', () => {
    const { host, disk } = setup();
    const h = host.open();
    host.close(h);
    expect(disk.log).toEqual([]);
  });

  test('eject/load check only ProtectedLockCount: with a simple lock the device refuses (53h/02h)', () => {
    const { host } = setup();
    const h = host.open();
    host.deviceIoControl(h, MR, LOCK);
    expect(name(host.deviceIoControl(h, IOCTL_STORAGE_EJECT_MEDIA, new Uint8Array(0)))).toBe('STATUS_INVALID_DEVICE_REQUEST');
  });
});
