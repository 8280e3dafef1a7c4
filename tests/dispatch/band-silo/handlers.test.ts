// Every band IOCTL through the Host on a real VirtualDisk: each check of D2 in order, the size-query
// protocol, and "an error changes nothing" (D3 allows only a counted failed authentication).
import {
  activateInput, assemble, authKey, bench, createInput, deleteInput, enumerateInput, eraseInput, getMetadataInput,
  header, hex, key, locationInfo, NPU, PL, PU, SECTOR, securityInfo, setLocationInput, setMetadataInput, setSecurityInput,
} from './build';
import { BAND_STATUSES } from '../../../src/dispatch/band-silo';

const CAPS = 'BANDMGMT_QUERY_CAPABILITIES';

describe('D2 step 2: no band management, relinquished silo', () => {
  test('a device with security "none" answers every band IOCTL with INVALID_DEVICE_REQUEST', () => {
    const b = bench({ security: 'none' });
    for (const code of Object.keys(BAND_STATUSES)) {
      expect(b.status(code.replace('IOCTL_EHSTOR_', ''), new Uint8Array(64), 64)).toBe('STATUS_INVALID_DEVICE_REQUEST');
    }
  });

  test('RELINQUISH_SILO: every band IOCTL on that path → INVALID_DEVICE_REQUEST until reboot; other paths unaffected', () => {
    const b = bench();
    const other = b.host.open({ initiator: 'host1' });
    expect(b.status('TCGDRV_RELINQUISH_SILO')).toBe('STATUS_SUCCESS');
    expect(b.status('TCGDRV_RELINQUISH_SILO')).toBe('STATUS_INVALID_DEVICE_REQUEST');
    expect(b.status(CAPS, undefined, 40)).toBe('STATUS_INVALID_DEVICE_REQUEST');
    expect(b.status(CAPS, undefined, 40, other)).toBe('STATUS_SUCCESS');
    b.host.powerCycle();
    expect(b.status(CAPS, undefined, 40)).toBe('STATUS_INVALID_DEVICE_REQUEST');
    b.host.reboot();
    const h = b.host.open();
    expect(b.status(CAPS, undefined, 40, h)).toBe('STATUS_SUCCESS');
  });

  test('access check first: a read-only handle gets ACCESS_DENIED for ACTIVATE (access 3)', () => {
    const b = bench({ security: 'inactive' });
    const ro = b.host.open({ access: ['GENERIC_READ'] });
    expect(b.status('BANDMGMT_ACTIVATE', new Uint8Array(0), 0, ro)).toBe('STATUS_ACCESS_DENIED');
    expect(b.status(CAPS, undefined, 40, ro)).toBe('STATUS_SUCCESS');
  });
});

describe('QUERY_CAPABILITIES and the size query (D2 step 10)', () => {
  test('0 → BUFFER_OVERFLOW with Information 40; 1..39 → BUFFER_TOO_SMALL; 40+ → the structure', () => {
    const b = bench({ security: 'inactive', maxBands: 4, minKeyLength: 2, maxKeyLength: 64, bandMetadataSize: 128 });
    const r0 = b.ioctl(CAPS, undefined, 0);
    expect([r0.status >>> 0, r0.information]).toEqual([0x80000005, 40]);
    for (const n of [1, 39]) expect(b.status(CAPS, undefined, n)).toBe('STATUS_BUFFER_TOO_SMALL');
    const r = b.ioctl(CAPS, undefined, 1000);
    expect(r.information).toBe(40);
    expect(hex(r.output)).toBe('28000000' + '02000000' + '0000000000000000' + '02000000' + '40000000' + '04000000' + '00000000' + '80000000' + '00000000');
  });

  test('answers while the device is off (§3 rules); its input buffer is ignored', () => {
    const b = bench();
    b.disk.store.armPowerLoss(0);
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR })); // fires the loss
    expect(b.status(CAPS, new Uint8Array(7), 40)).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput(), 200)).toBe('STATUS_IO_DEVICE_ERROR');
  });
});

describe('ACTIVATE / REVERT (D5) and the activation gate (step 6)', () => {
  test('before ACTIVATE only QUERY_CAPABILITIES succeeds; ACTIVATE twice → INVALID_DEVICE_STATE', () => {
    const b = bench({ security: 'inactive' });
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput(), 200)).toBe('STATUS_INVALID_DEVICE_STATE');
    expect(b.status('BANDMGMT_ERASE_ALL_BANDS')).toBe('STATUS_INVALID_DEVICE_STATE');
    expect(b.status('BANDMGMT_ACTIVATE', activateInput())).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_ACTIVATE', activateInput())).toBe('STATUS_INVALID_DEVICE_STATE');
  });

  test('steps 3, 4, 5 come before step 6', () => {
    const b = bench(); // already active: ACTIVATE would be INVALID_DEVICE_STATE at step 6
    expect(b.status('BANDMGMT_ACTIVATE', new Uint8Array(11))).toBe('STATUS_INVALID_BUFFER_SIZE');
    expect(b.status('BANDMGMT_ACTIVATE', header(12, [[0, 'u32', 13]]))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_ACTIVATE', header(12, [[0, 'u32', 12], [4, 'u32', 4]]))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_ACTIVATE', header(12, [[0, 'u32', 12], [8, 'u32', 12]]))).toBe('STATUS_INVALID_BUFFER_SIZE');
    expect(b.status('BANDMGMT_ACTIVATE', header(16, [[0, 'u32', 12], [8, 'u32', 4]]))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_REVERT', header(12, [[0, 'u32', 12], [4, 'u32', 2]]))).toBe('STATUS_INVALID_PARAMETER'); // 0x2 is ACTIVATE-only
    expect(b.status('BANDMGMT_ACTIVATE', activateInput())).toBe('STATUS_INVALID_DEVICE_STATE');
  });

  test('a wrong SID key → ACCESS_DENIED; the default key supplied explicitly also authenticates', () => {
    const b = bench({ security: 'inactive' });
    expect(b.status('BANDMGMT_ACTIVATE', activateInput(key(8)))).toBe('STATUS_ACCESS_DENIED');
    expect(b.status('BANDMGMT_ACTIVATE', activateInput(b.disk.security.defaultKeyBytes()))).toBe('STATUS_SUCCESS');
  });

  test('REVERT deletes every band and deactivates; the PSID works with REVERT_PSID_AUTHKEY', () => {
    const psid = 'ab'.repeat(16);
    const b = bench({ psid });
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: key(8) }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_REVERT', activateInput(key(16, 0xac), 1))).toBe('STATUS_ACCESS_DENIED');
    expect(b.status('BANDMGMT_REVERT', activateInput(Buffer.from(psid, 'hex'), 1))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput(), 200)).toBe('STATUS_INVALID_DEVICE_STATE');
  });
});

describe('ENUMERATE_BANDS (§3.3)', () => {
  test('size protocol, layout and selection', () => {
    const b = bench();
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 16n * SECTOR, size: 8n * SECTOR, read: NPU, write: PL, md: 0xee }))).toBe('STATUS_SUCCESS');
    const all = enumerateInput({ flags: 1 });
    const r0 = b.ioctl('BANDMGMT_ENUMERATE_BANDS', all, 0);
    expect([r0.status >>> 0, r0.information]).toEqual([0x80000005, 16 + 2 * 120]);
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', all, 16 + 2 * 120 - 1)).toBe('STATUS_BUFFER_TOO_SMALL');
    const r = b.ioctl('BANDMGMT_ENUMERATE_BANDS', all, 4096);
    expect(r.information).toBe(256);
    const o = Buffer.from(r.output);
    expect([o.readUInt32LE(0), o.readUInt32LE(4), o.readUInt32LE(8), o.readUInt32LE(12)]).toEqual([16, 16, 2, 120]);
    expect(o.readBigInt64LE(16 + 24)).toBe(2048n * SECTOR); // the global band's size is the capacity
    const e1 = 16 + 120;
    expect([o.readUInt32LE(e1), o.readBigInt64LE(e1 + 16), o.readBigInt64LE(e1 + 24), o.readUInt32LE(e1 + 68), o.readUInt32LE(e1 + 72)])
      .toEqual([1, 16n * SECTOR, 8n * SECTOR, NPU, PL]);
    expect(o[e1 + 32]).toBe(0xee);
    // with the crypto algorithm: stride 144 and the AES256-XTS OID after each entry
    const c = Buffer.from(b.ioctl('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ flags: 3 }), 4096).output);
    expect([c.readUInt32LE(12), c.readUInt32LE(16 + 76), c.readUInt32LE(16 + 80), c.readUInt32LE(16 + 84)]).toEqual([144, 1, 56, 21]);
    expect(c.subarray(16 + 120, 16 + 141).toString('latin1')).toBe('1.3.111.2.1619.0.1.2\0');
    // selection (D1)
    const one = (sel: Parameters<typeof enumerateInput>[0]) => b.ioctl('BANDMGMT_ENUMERATE_BANDS', enumerateInput(sel), 4096);
    expect(Buffer.from(one({ bandId: 0xffffffff, bandStart: 1n * SECTOR }).output).readUInt32LE(16)).toBe(1);
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ bandId: 0xffffffff, bandStart: 1n * SECTOR, bandSize: SECTOR }), 4096)).toBe('STATUS_NOT_FOUND');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ bandId: 0xffffffff, bandStart: 100n }), 4096)).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ bandId: 0xffffffff, bandStart: 0n, bandSize: -512n }), 4096)).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ bandId: 8 }), 4096)).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ bandId: 2 }), 4096)).toBe('STATUS_NOT_FOUND');
    expect(b.status('BANDMGMT_ENUMERATE_BANDS', enumerateInput({ flags: 4 }), 4096)).toBe('STATUS_INVALID_PARAMETER');
  });
});

describe('CREATE_BAND (§3.4)', () => {
  test('checks in D2 order and the band-id output', () => {
    const b = bench({ maxBands: 2 });
    const ok = createInput({ start: 0n, size: 8n * SECTOR, key: key(8) });
    expect(b.status('BANDMGMT_CREATE_BAND', ok.subarray(0, 19))).toBe('STATUS_INVALID_BUFFER_SIZE');
    const noLoc = assemble(header(20, [[0, 'u32', 20]]), []);
    expect(b.status('BANDMGMT_CREATE_BAND', noLoc)).toBe('STATUS_INVALID_PARAMETER'); // required part missing
    const badKey = assemble(header(20, [[0, 'u32', 20]]), [
      { field: 8, bytes: locationInfo(0n, 512n) }, { field: 16, bytes: authKey(key(33)) }]);
    expect(b.status('BANDMGMT_CREATE_BAND', badKey)).toBe('STATUS_INVALID_PARAMETER'); // KeySize > max
    const badLock = assemble(header(20, [[0, 'u32', 20]]), [
      { field: 8, bytes: locationInfo(0n, 512n) }, { field: 12, bytes: securityInfo(0, 1) }]);
    expect(b.status('BANDMGMT_CREATE_BAND', badLock)).toBe('STATUS_INVALID_PARAMETER');
    for (const n of [1, 2, 3]) expect(b.status('BANDMGMT_CREATE_BAND', ok, n)).toBe('STATUS_INVALID_BUFFER_SIZE');
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 0n }))).toBe('STATUS_INVALID_PARAMETER');
    const r = b.ioctl('BANDMGMT_CREATE_BAND', ok, 4);
    expect([r.information, hex(r.output)]).toEqual([4, '01000000']);
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 4n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_CONFLICTING_ADDRESSES');
    expect(b.status('BANDMGMT_CREATE_BAND', createInput({ start: 100n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_INSUFFICIENT_RESOURCES');
  });

  test('an error changes nothing on the device or the host', () => {
    const b = bench();
    const before = b.state();
    for (const input of [
      createInput({ start: 0n, size: 7n }),
      createInput({ start: 2047n * SECTOR, size: 2n * SECTOR }),
      createInput({ start: -512n, size: 512n }),
    ]) expect(b.status('BANDMGMT_CREATE_BAND', input)).toBe('STATUS_INVALID_PARAMETER');
    expect(b.state()).toEqual(before);
  });
});

describe('selection, authentication and the try limit (D1, D3)', () => {
  test('BandId ≥ MaxBandCount → INVALID_PARAMETER, unconfigured → NOT_FOUND, BandId −1 by BandStart', () => {
    const b = bench();
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 64n * SECTOR, size: 8n * SECTOR, key: key(8) }));
    const gm = (bandId: number, bandStart = 0n) =>
      b.status('BANDMGMT_GET_BAND_METADATA', header(24, [[0, 'u32', 24], [4, 'u32', bandId], [8, 'i64', bandStart], [20, 'u32', 1]]), 1);
    expect(gm(8)).toBe('STATUS_INVALID_PARAMETER');
    expect(gm(0xfffffffe)).toBe('STATUS_INVALID_PARAMETER');
    expect(gm(2)).toBe('STATUS_NOT_FOUND');
    expect(gm(0xffffffff, 1n)).toBe('STATUS_INVALID_PARAMETER');
    expect(gm(0xffffffff, -2n * SECTOR)).toBe('STATUS_INVALID_PARAMETER');
    expect(gm(0xffffffff, -1n)).toBe('STATUS_SUCCESS');
    expect(gm(0xffffffff, 64n * SECTOR)).toBe('STATUS_SUCCESS');
    expect(gm(0xffffffff, 65n * SECTOR)).toBe('STATUS_NOT_FOUND');
  });

  test('wrong keys count; at tryLimit even the right key is refused until a power cycle', () => {
    const b = bench({ tryLimit: 2 });
    const good = key(8, 1);
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: good }));
    const meta = (k: Uint8Array) => b.status('BANDMGMT_SET_BAND_METADATA', setMetadataInput({ bandId: 1, offset: 0, data: key(4), key: k }));
    expect(meta(key(8, 2))).toBe('STATUS_ACCESS_DENIED');
    expect(meta(key(8, 2))).toBe('STATUS_ACCESS_DENIED');
    expect(meta(good)).toBe('STATUS_ACCESS_DENIED');
    b.host.powerCycle();
    expect(meta(good)).toBe('STATUS_SUCCESS');
  });
});

describe('SET_BAND_LOCATION, SET_BAND_SECURITY, METADATA, DELETE, ERASE', () => {
  test('SET_BAND_LOCATION moves a band; the global band only takes (0, −1); overlap conflicts', () => {
    const b = bench();
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR }));
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 8n * SECTOR, size: 8n * SECTOR }));
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 1, start: 4n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_CONFLICTING_ADDRESSES');
    // §3 step 9 order: a global-band location over a configured band conflicts first; elsewhere it is invalid
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 0, start: 0n, size: 8n }))).toBe('STATUS_CONFLICTING_ADDRESSES');
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 0, start: 64n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 0, start: 0n, size: -1n }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 1, start: 100n * SECTOR, size: 8n * SECTOR }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_SET_BAND_LOCATION', setLocationInput({ bandId: 1, key: key(8), start: 0n, size: SECTOR }))).toBe('STATUS_ACCESS_DENIED');
  });

  test('SET_BAND_SECURITY: NewAuthKeyOffset == CurrentAuthKeyOffset is the notify case; KeySize 0 resets to the default key', () => {
    const b = bench();
    const k = key(8, 7);
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, key: k }));
    const shared = assemble(header(40, [[0, 'u32', 40], [12, 'u32', 1]]), [{ field: 24, bytes: authKey(k) }]);
    Buffer.from(shared.buffer, shared.byteOffset).writeUInt32LE(40, 28); // NewAuthKeyOffset = CurrentAuthKeyOffset
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', shared)).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k, next: new Uint8Array(0) }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, current: k, read: PL, write: PL }))).toBe('STATUS_ACCESS_DENIED');
    expect(b.status('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, read: PL, write: PL }))).toBe('STATUS_SUCCESS');
  });

  test('GET/SET_BAND_METADATA: output size, store range, round trip', () => {
    const b = bench({ bandMetadataSize: 64 });
    expect(b.status('BANDMGMT_SET_BAND_METADATA', setMetadataInput({ bandId: 0, offset: 60, data: key(8, 3) }))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_SET_BAND_METADATA', setMetadataInput({ bandId: 0, offset: 56, data: key(8, 3) }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_GET_BAND_METADATA', getMetadataInput({ bandId: 0, offset: 56, size: 8 }), 7)).toBe('STATUS_INVALID_BUFFER_SIZE');
    expect(b.status('BANDMGMT_GET_BAND_METADATA', getMetadataInput({ bandId: 0, offset: 0xffffffff, size: 8 }), 8)).toBe('STATUS_INVALID_PARAMETER');
    const r = b.ioctl('BANDMGMT_GET_BAND_METADATA', getMetadataInput({ bandId: 0, offset: 54, size: 10 }), 10);
    expect([r.information, hex(r.output)]).toEqual([10, '00000303030303030303']);
    const none = b.ioctl('BANDMGMT_GET_BAND_METADATA', getMetadataInput({ bandId: 0, offset: 0, size: 0 }), 0);
    expect([none.status, none.information]).toEqual([0, 0]);
    // MetadataSize > 0 with BufferOffset 0 → the required part is missing
    expect(b.status('BANDMGMT_SET_BAND_METADATA', header(32, [[0, 'u32', 32], [20, 'u32', 4]]))).toBe('STATUS_INVALID_PARAMETER');
    // MetadataSize 0xFFFFFFFF: the bytes run past the buffer
    expect(b.status('BANDMGMT_SET_BAND_METADATA', header(40, [[0, 'u32', 32], [20, 'u32', 0xffffffff], [24, 'u32', 32]]))).toBe('STATUS_INVALID_BUFFER_SIZE');
  });

  test('DELETE: global band, write-locked band, ERASE_BEFORE_DELETE with a key offset', () => {
    const b = bench();
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR, read: PU, write: PL }));
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 0 }))).toBe('STATUS_INVALID_PARAMETER');
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 1 }))).toBe('STATUS_ACCESS_DENIED');
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 1, key: key(4), flags: 1 }))).toBe('STATUS_INVALID_PARAMETER');
    b.ioctl('BANDMGMT_SET_BAND_SECURITY', setSecurityInput({ bandId: 1, read: PU, write: PU }));
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 1, flags: 1 }))).toBe('STATUS_SUCCESS');
    expect(b.status('BANDMGMT_DELETE_BAND', deleteInput({ bandId: 1 }))).toBe('STATUS_NOT_FOUND');
  });

  test('ERASE_BAND with an eraseKey option → ACCESS_DENIED (D7)', () => {
    const b = bench({ eraseKey: '11'.repeat(8) });
    b.ioctl('BANDMGMT_CREATE_BAND', createInput({ start: 0n, size: 8n * SECTOR }));
    expect(b.status('BANDMGMT_ERASE_BAND', eraseInput({ bandId: 1 }))).toBe('STATUS_ACCESS_DENIED');
    expect(b.status('BANDMGMT_ERASE_ALL_BANDS')).toBe('STATUS_ACCESS_DENIED');
  });
});
