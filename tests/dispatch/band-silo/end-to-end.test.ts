// Issue 5 end to end through Host + VirtualDisk, the key cache across power cycles (D10), atomic commits
// under power loss through the real metadata registry, and the secrets test.
import v8 from 'node:v8';
import {
  activateInput, bench, createInput, deleteInput, enumerateInput, eraseInput, hex, key, NPU, PL, PU, SECTOR,
  setSecurityInput, setLocationInput, setMetadataInput,
} from './build';
import { statusName } from '../../../src/codecs/ntstatus';
import { siloOf } from '../../../src/dispatch/band-silo';

const fill = (n: number, v: number): Uint8Array => new Uint8Array(n * 512).fill(v);
const contains = (hay: Uint8Array, needle: Uint8Array): boolean =>
  Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle)) >= 0;

describe('issue 5: activate, two bands, lock, unlock, crypto-erase, ERASE_ALL with a failing band', () => {
  test('the whole story', () => {
    const b = bench({ security: 'inactive' });
    const { host, h } = b;
    const k1 = key(16, 0x31);
    const k2 = key(24, 0x32);
    expect(b.status('BANDMGMT_ACTIVATE', activateInput())).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 64n * SECTOR, key: k1 }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 64n * SECTOR, size: 64n * SECTOR, key: k2 }))).toBe('STATUS_SUCCESS');
    expect(statusName(host.write(h, 0, fill(4, 0xa1)).status)).toBe('STATUS_SUCCESS');
    expect(statusName(host.write(h, 64, fill(4, 0xb2)).status)).toBe('STATUS_SUCCESS');
    // encrypted at rest: the plaintext is not what the store holds
    const raw = new Uint8Array(512);
    b.disk.store.read(0, 1, raw);
    expect(hex(raw)).not.toBe(hex(fill(1, 0xa1)));
    // lock band 1 for reading and writing
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k1, read: PL, write: PL }))).toBe('STATUS_SUCCESS');
    expect(statusName(host.read(h, 0, 1).status)).toBe('STATUS_ACCESS_DENIED');
    expect(statusName(host.write(h, 0, fill(1, 0xff)).status)).toBe('STATUS_MEDIA_WRITE_PROTECTED');
    // a request crossing from band 2 into the locked band fails whole, nothing written (D9)
    expect(statusName(host.write(h, 63, fill(2, 0xee)).status)).toBe('STATUS_MEDIA_WRITE_PROTECTED');
    expect(hex(host.read(h, 64, 1).output)).toBe(hex(fill(1, 0xb2)));
    // unlock and read back
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k1, read: PU, write: PU }))).toBe('STATUS_SUCCESS');
    expect(hex(host.read(h, 0, 4).output)).toBe(hex(fill(4, 0xa1)));
    expect(hex(host.read(h, 63, 1).output)).toBe(hex(fill(1, 0)));
    // crypto-erase band 1: its old plaintext is gone; band 2 intact
    expect(b.status('BANDMGMT_ERASE_BAND', eraseInput({ bandId: 1 }))).toBe('STATUS_SUCCESS');
    const after = host.read(h, 0, 4);
    expect(statusName(after.status)).toBe('STATUS_SUCCESS');
    expect(hex(after.output)).not.toBe(hex(fill(4, 0xa1)));
    expect(contains(after.output, fill(1, 0xa1).subarray(0, 32))).toBe(false);
    expect(hex(host.read(h, 64, 4).output)).toBe(hex(fill(4, 0xb2)));
    // ERASE_ALL with band 2 failing: band 2's status, band 1 and band 3 erased anyway
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 256n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_SUCCESS');
    host.write(h, 256, fill(1, 0xc3));
    host.write(h, 0, fill(1, 0xd4));
    b.disk.injectBandFailure(2);
    expect(b.status('BANDMGMT_ERASE_ALL_BANDS')).toBe('STATUS_IO_DEVICE_ERROR');
    expect(hex(host.read(h, 64, 4).output)).toBe(hex(fill(4, 0xb2))); // the failing band kept its key
    expect(hex(host.read(h, 0, 1).output)).not.toBe(hex(fill(1, 0xd4)));
    expect(hex(host.read(h, 256, 1).output)).not.toBe(hex(fill(1, 0xc3)));
  });

  test('DELETE without erase keeps the media key: re-creating the band over the same range brings the data back (D11)', () => {
    const b = bench();
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 8n * SECTOR, size: 8n * SECTOR }));
    b.host.write(b.h, 8, fill(1, 0x44));
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 1 }))).toBe('STATUS_SUCCESS');
    expect(hex(b.host.read(b.h, 8, 1).output)).not.toBe(hex(fill(1, 0x44))); // now under the global key
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 8n * SECTOR, size: 8n * SECTOR }));
    expect(hex(b.host.read(b.h, 8, 1).output)).toBe(hex(fill(1, 0x44)));
  });

  test('unwritten sectors read as zeros; data written before ACTIVATE stays readable (§3.2)', () => {
    const b = bench({ security: 'inactive' });
    b.host.write(b.h, 5, fill(1, 0x66));
    expect(hex(b.host.read(b.h, 4, 1).output)).toBe(hex(fill(1, 0)));
    b.ioctl('BANDMGMT_ACTIVATE', activateInput());
    expect(hex(b.host.read(b.h, 5, 1).output)).toBe(hex(fill(1, 0x66)));
  });
});

describe('key cache and power cycle (§4, D10)', () => {
  test('a cached NONPERSISTENT_UNLOCK band is re-unlocked after a power cycle; after a reboot it stays locked', () => {
    const b = bench();
    const k = key(8, 9);
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: k, read: NPU, write: NPU, flags: 1 }))).toBe('STATUS_SUCCESS');
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 8n * SECTOR, size: 8n * SECTOR, key: k, read: NPU, write: NPU })); // not cached
    b.host.write(b.h, 0, fill(1, 0x12));
    b.host.powerCycle();
    expect(hex(b.host.read(b.h, 0, 1).output)).toBe(hex(fill(1, 0x12)));
    expect(statusName(b.host.read(b.h, 8, 1).status)).toBe('STATUS_ACCESS_DENIED');
    const en = Buffer.from(b.ioctl('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ flags: 1 }), 4096).output);
    expect([en.readUInt32LE(16 + 120 + 68), en.readUInt32LE(16 + 240 + 68)]).toEqual([NPU, PL]); // relocked reads PERSISTENT_LOCK
    b.host.reboot();
    const h = b.host.open();
    expect(statusName(b.host.read(h, 0, 1).status)).toBe('STATUS_ACCESS_DENIED');
  });

  test('the notify case caches the current key without changing anything on the device', () => {
    const b = bench();
    const k = key(8, 9);
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: k, read: NPU, write: PU }));
    const before = b.disk.snapshot();
    const notify = setSecurityInput({ bandId: 1, current: k, flags: 1 });
    Buffer.from(notify.buffer, notify.byteOffset).writeUInt32LE(40, 28);
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', notify)).toBe('STATUS_SUCCESS');
    expect(JSON.stringify(b.disk.snapshot())).toBe(JSON.stringify(before));
    expect(siloOf(b.host['io']['paths'].get('host0')!).keys.bands()).toEqual([1]);
  });

  test('a stale cached key fails the re-unlock, counts against the try limit, and leaves the band locked', () => {
    const b = bench();
    const k = key(8, 9);
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: k, read: NPU, write: PU, flags: 1 }));
    // another path changes the key: this path's cache is now stale
    const other = b.host.open({ initiator: 'host1' });
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k, next: key(8, 10) }), 0, other)).toBe('STATUS_SUCCESS');
    b.host.powerCycle();
    expect(statusName(b.host.read(b.h, 0, 1).status)).toBe('STATUS_ACCESS_DENIED');
    expect(b.disk.security.tryCount('band:1')).toBe(1);
  });
});

describe('atomic commits through VirtualDisk under power loss (D2 step 11)', () => {
  const K = key(8, 0x21);
  const setup = (b: ReturnType<typeof bench>): void => {
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: K }));
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 8n * SECTOR, size: 8n * SECTOR, key: K }));
  };
  const ops: [string, Uint8Array, string][] = [
    ['create', createInput({ start: 100n * SECTOR, size: 8n * SECTOR, key: key(5) }), 'BANDMGMT_CREATE_BAND'],
    ['set location', setLocationInput({ bandId: 1, key: K, start: 200n * SECTOR, size: 16n * SECTOR }), 'BANDMGMT_SET_BAND_LOCATION'],
    ['set security', setSecurityInput({ bandId: 1, current: K, next: key(9), read: PL, write: PL }), 'BANDMGMT_SET_BAND_SECURITY'],
    ['erase', eraseInput({ bandId: 2, key: key(6) }), 'BANDMGMT_ERASE_BAND'],
    ['delete', deleteInput({ bandId: 2, key: K }), 'BANDMGMT_DELETE_BAND'],
    ['set metadata', setMetadataInput({ bandId: 1, offset: 0, data: key(10, 1), key: K }), 'BANDMGMT_SET_BAND_METADATA'],
  ];
  test.each(ops)('%s: a loss at every write leaves the whole old or the whole new band table', (_n, input, code) => {
    const ref = bench();
    setup(ref);
    ref.host.powerCycle();
    const oldTable = JSON.stringify(ref.disk.snapshot().security);
    expect(ref.status(code, input)).toBe('STATUS_SUCCESS');
    ref.host.powerCycle();
    const newTable = JSON.stringify(ref.disk.snapshot().security);
    expect(newTable).not.toBe(oldTable);
    let sawNew = false;
    for (let n = 0; n < 16 && !sawNew; n++) {
      const b = bench();
      setup(b);
      b.disk.store.armPowerLoss(n);
      const st = b.status(code, input);
      b.host.powerCycle();
      const got = JSON.stringify(b.disk.snapshot().security);
      expect([oldTable, newTable]).toContain(got);
      expect(st).toBe(got === newTable ? 'STATUS_SUCCESS' : 'STATUS_IO_DEVICE_ERROR');
      sawNew = got === newTable;
    }
    expect(sawNew).toBe(true);
  });
});

describe('secrets', () => {
  test('keys never appear in snapshots, committed metadata, sectors, error results or the key cache object', () => {
    const b = bench({ sectors: 512 });
    const secrets = [1, 2, 3].map((s) => new Uint8Array(32).map((_, i) => (i * 29 + s * 71 + 5) & 0xff));
    const [k1, k2, k3] = secrets as [Uint8Array, Uint8Array, Uint8Array];
    const results = [
      b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: k1, flags: 1 })),
      b.ioctl('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k1, next: k2, flags: 1 })),
      b.ioctl('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k3, next: k1 })), // wrong key
      b.ioctl('BANDMGMT_ERASE_BAND', eraseInput({ bandId: 1, key: k3, flags: 1 })),
    ];
    b.host.write(b.h, 0, fill(2, 1));
    const path = b.host['io']['paths'].get('host0')!;
    const images: Uint8Array[] = [
      b.disk.store.loadMetadata() ?? new Uint8Array(0),
      b.disk.security.record(),
      new Uint8Array(v8.serialize(siloOf(path).keys)),
      new Uint8Array(v8.serialize(b.state())),
    ];
    const sectors = new Uint8Array(512 * 512);
    b.disk.store.read(0, 512, sectors);
    images.push(sectors);
    const text = JSON.stringify({ s: b.state(), r: results.map((r) => ({ ...r, output: hex(r.output) })) });
    for (const s of secrets) {
      for (const img of images) expect(contains(img, s)).toBe(false);
      expect(text).not.toContain(hex(s));
    }
    expect(siloOf(path).keys.bands()).toEqual([1]);
  });
});
