// The Host on the real VirtualDisk: the scenarios of io-manager.md §5-§7 and class-driver.md §9-§11 end to end.
import { Host } from '../../src/host';
import { VirtualDisk } from '../../src/device/virtual-disk';
import {
  IOCTL_STORAGE_MEDIA_REMOVAL as MR, IOCTL_STORAGE_EJECTION_CONTROL as EC, IOCTL_STORAGE_EJECT_MEDIA as EJECT,
  IOCTL_STORAGE_RESERVE as RESERVE, IOCTL_STORAGE_RELEASE as RELEASE, IOCTL_STORAGE_CHECK_VERIFY as CV,
  IOCTL_STORAGE_LOAD_MEDIA as LOAD,
} from '../../src/codecs/ioctl-codes';
import { statusName } from '../../src/codecs/ntstatus';
import type { IoResult } from '../../src/dispatch/io-manager';

const NONE = new Uint8Array(0);
const name = (r: IoResult): string => statusName(r.status);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function make(options: ConstructorParameters<typeof VirtualDisk>[0] = {}): { host: Host; disk: VirtualDisk } {
  const disk = new VirtualDisk(options);
  return { host: new Host(disk), disk };
}
const both = (host: Host, disk: VirtualDisk): unknown => JSON.parse(JSON.stringify({ h: host.snapshot(), d: disk.snapshot() }));

describe('ReadFile / WriteFile (io-manager.md §5, class-driver.md §9)', () => {
  test('write then read returns the data; information = bytes', () => {
    const { host } = make();
    const h = host.open();
    const data = new Uint8Array(1024).map((_, i) => i & 0xff);
    const w = host.write(h, 10, data);
    expect([name(w), w.information]).toEqual(['STATUS_SUCCESS', 1024]);
    const r = host.read(h, 10, 2);
    expect([name(r), r.information, hex(r.output)]).toEqual(['STATUS_SUCCESS', 1024, hex(data)]);
  });

  test('access: read needs FILE_READ_DATA, write FILE_WRITE_DATA, checked first', () => {
    const { host, disk } = make();
    const ro = host.open({ access: ['GENERIC_READ'] });
    const wo = host.open({ access: ['FILE_WRITE_DATA'] });
    const before = both(host, disk);
    expect(name(host.write(ro, 0, new Uint8Array(3)))).toBe('STATUS_ACCESS_DENIED');
    expect(name(host.read(wo, -1, 1))).toBe('STATUS_ACCESS_DENIED');
    expect(both(host, disk)).toEqual(before);
  });

  test('§9.1 misaligned length or negative/invalid offset → STATUS_INVALID_PARAMETER; §9.3 zero length succeeds, nothing sent', () => {
    const { host, disk } = make();
    const h = host.open();
    const before = both(host, disk);
    expect(name(host.write(h, 0, new Uint8Array(511)))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.read(h, -1, 1))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.read(h, 0.5, 1))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.read(h, 0, NaN))).toBe('STATUS_INVALID_PARAMETER');
    expect(name(host.read(h, -1n, 0))).toBe('STATUS_INVALID_PARAMETER');
    expect([name(host.read(h, 5000, 0)), host.read(h, 0, 0).information]).toEqual(['STATUS_SUCCESS', 0]);
    expect(name(host.write(h, 2048, NONE))).toBe('STATUS_SUCCESS');
    expect(both(host, disk)).toEqual(before);
  });

  test('§9.2 beyond the end is sent and fails STATUS_NONEXISTENT_SECTOR; READ(16) for big LBAs', () => {
    const { host } = make();
    const h = host.open();
    expect(name(host.read(h, 2047, 2))).toBe('STATUS_NONEXISTENT_SECTOR');
    expect(name(host.read(h, 2 ** 32, 1))).toBe('STATUS_NONEXISTENT_SECTOR');
    expect(name(host.read(h, 2047, 1))).toBe('STATUS_SUCCESS');
  });

  test('a SCSI-2 reservation conflicts reads and writes from another initiator (STATUS_DEVICE_BUSY), not the holder\'s', () => {
    const { host, disk } = make();
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    expect(name(host.deviceIoControl(a, RESERVE, NONE))).toBe('STATUS_SUCCESS');
    const before = both(host, disk);
    const r = host.read(b, 0, 1);
    expect([name(r), r.information, r.output.length, r.win32]).toEqual(['STATUS_DEVICE_BUSY', 0, 0, 170]);
    expect(name(host.write(b, 0, new Uint8Array(512).fill(7)))).toBe('STATUS_DEVICE_BUSY');
    expect(both(host, disk)).toEqual(before);
    expect(name(host.write(a, 0, new Uint8Array(512).fill(7)))).toBe('STATUS_SUCCESS');
    expect(name(host.deviceIoControl(a, RELEASE, NONE))).toBe('STATUS_SUCCESS');
    expect(hex(host.read(b, 0, 1).output)).toBe('07'.repeat(512));
  });

  test('medium absent → STATUS_NO_MEDIA_IN_DEVICE', () => {
    const { host } = make({ medium: 'absent' });
    expect(name(host.read(host.open(), 0, 1))).toBe('STATUS_NO_MEDIA_IN_DEVICE');
  });
});

describe('locks, eject and power (class-driver.md §4, §5, §11; io-manager.md §6)', () => {
  test('eject with another process\'s secure lock → STATUS_DEVICE_BUSY, succeeds after that process exits', () => {
    const { host, disk } = make();
    const locker = host.open({ process: 'locker' });
    const other = host.open({ process: 'other' });
    expect(name(host.deviceIoControl(locker, EC, Uint8Array.of(1)))).toBe('STATUS_SUCCESS');
    const before = both(host, disk);
    expect(name(host.deviceIoControl(other, EJECT, NONE))).toBe('STATUS_DEVICE_BUSY');
    expect(both(host, disk)).toEqual(before);
    host.exitProcess('locker');
    expect(name(host.deviceIoControl(other, EJECT, NONE))).toBe('STATUS_SUCCESS');
    expect(name(host.read(other, 0, 1))).toBe('STATUS_NO_MEDIA_IN_DEVICE');
  });

  test('a simple lock makes the device refuse the eject; after a power cycle the eject succeeds (§11)', () => {
    const { host } = make();
    const h = host.open();
    host.deviceIoControl(h, MR, Uint8Array.of(1));
    expect(name(host.deviceIoControl(h, EJECT, NONE))).toBe('STATUS_INVALID_DEVICE_REQUEST');
    expect(host.powerCycle().ok).toBe(true);
    expect(name(host.deviceIoControl(h, EJECT, NONE))).toBe('STATUS_SUCCESS');
    expect(host.snapshot().paths[0]).toMatchObject({ lockCount: 1, mediaChangeCount: 1 });
  });

  test('power cycle keeps handles and counts; the power-on UA is consumed and counted (CHECK_VERIFY shows it)', () => {
    const { host } = make();
    const h = host.open();
    expect(hex(host.deviceIoControl(h, CV, NONE, 4).output)).toBe('00000000');
    host.powerCycle();
    expect(hex(host.deviceIoControl(h, CV, NONE, 4).output)).toBe('01000000');
    expect(hex(host.deviceIoControl(h, CV, NONE, 4).output)).toBe('01000000');
  });

  test('a load gives every initiator a 28h/00h UA: each path counts it on its next command', () => {
    const { host } = make();
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    host.deviceIoControl(a, EJECT, NONE);
    host.deviceIoControl(a, LOAD, NONE);
    expect(hex(host.deviceIoControl(b, CV, NONE, 4).output)).toBe('01000000');
    expect(hex(host.deviceIoControl(a, CV, NONE, 4).output)).toBe('01000000');
  });

  test('a failing request may consume a UA and count it, nothing else (class-driver.md §10.1)', () => {
    const { host, disk } = make();
    const a = host.open({ initiator: 'a' });
    const b = host.open({ initiator: 'b' });
    host.deviceIoControl(a, RESERVE, NONE);
    host.powerCycle(); // reservation gone, UAs pending
    host.deviceIoControl(a, RESERVE, NONE);
    expect(name(host.deviceIoControl(b, MR, Uint8Array.of(1)))).toBe('STATUS_DEVICE_BUSY');
    const p = host.snapshot().paths.find((x) => x.initiator === 'b')!;
    expect(p).toMatchObject({ lockCount: 0, mediaChangeCount: 1 });
    void disk;
  });

  test('reboot: handles vanish without close processing, state resets, no UA pending', () => {
    const { host, disk } = make();
    const h = host.open();
    host.deviceIoControl(h, EC, Uint8Array.of(1));
    host.deviceIoControl(h, MR, Uint8Array.of(1));
    expect(host.reboot().ok).toBe(true);
    expect(host.snapshot()).toEqual({ handles: [], paths: [] });
    expect(name(host.deviceIoControl(h, CV, NONE, 4))).toBe('STATUS_INVALID_HANDLE');
    const h2 = host.open();
    expect(h2).not.toBe(h);
    expect(hex(host.deviceIoControl(h2, CV, NONE, 4).output)).toBe('00000000');
    expect(name(host.deviceIoControl(h2, EJECT, NONE))).toBe('STATUS_SUCCESS');
    void disk;
  });

  test('while the device is off: SCSI requests → STATUS_DEVICE_NOT_CONNECTED; host-only ones succeed', () => {
    const { host, disk } = make();
    const h = host.open();
    host.deviceIoControl(h, MR, Uint8Array.of(1));
    host.deviceIoControl(h, MR, Uint8Array.of(1));
    disk.injectPowerLoss(0);
    expect(name(host.write(h, 0, new Uint8Array(512)))).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(name(host.read(h, 0, 1))).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(name(host.deviceIoControl(h, MR, Uint8Array.of(0)))).toBe('STATUS_SUCCESS'); // 2 → 1, nothing sent
    expect(name(host.deviceIoControl(h, MR, Uint8Array.of(0)))).toBe('STATUS_DEVICE_NOT_CONNECTED'); // ALLOW fails, rolled back
    expect(host.snapshot().paths[0]!.lockCount).toBe(1);
    expect(name(host.deviceIoControl(h, 'IOCTL_STORAGE_MCN_CONTROL', Uint8Array.of(1)))).toBe('STATUS_SUCCESS');
  });
});
