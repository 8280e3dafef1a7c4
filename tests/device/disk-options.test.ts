// scenario-format.md `disk` options: defaults, and an error value naming the option for bad ones.
import { DEFAULT_DISK_OPTIONS, resolveDiskOptions, type DiskOptions } from '../../src/device/disk-options';

describe('disk options (scenario-format.md)', () => {
  test('defaults are the table\'s', () => {
    const r = resolveDiskOptions();
    expect(r.ok && r.value).toMatchObject({
      sectorSize: 512, sectors: 2048, removable: true, medium: 'present', persistentReservations: true,
      security: 'inactive', maxBands: 8, minKeyLength: 1, maxKeyLength: 32, bandMetadataSize: 256, tryLimit: 5, seed: 1,
    });
    expect(DEFAULT_DISK_OPTIONS.sectors).toBe(2048);
  });

  test.each<[string, Record<string, unknown>]>([
    ['sectorSize', { sectorSize: 1024 }],
    ['sectorSize', { sectorSize: '512' }],
    ['sectors', { sectors: 0 }],
    ['sectors', { sectors: 2 ** 40 + 1 }],
    ['sectors', { sectors: 1.5 }],
    ['removable', { removable: 1 }],
    ['medium', { medium: 'gone' }],
    ['medium', { removable: false, medium: 'absent' }],
    ['persistentReservations', { persistentReservations: 'yes' }],
    ['security', { security: 'on' }],
    ['maxBands', { maxBands: 0 }],
    ['minKeyLength', { minKeyLength: 0 }],
    ['maxKeyLength', { minKeyLength: 8, maxKeyLength: 4 }],
    ['bandMetadataSize', { bandMetadataSize: -1 }],
    ['tryLimit', { tryLimit: 0 }],
    ['eraseKey', { eraseKey: 'xyz' }],
    ['psid', { psid: '' }],
    ['psid', { psid: '00'.repeat(33) }],
    ['seed', { seed: -1 }],
    ['bogus', { bogus: 1 }],
  ])('bad %s is an error naming it', (option, options) => {
    const r = resolveDiskOptions(options as DiskOptions);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.option).toBe(option);
  });

  test('edge values that are valid', () => {
    expect(resolveDiskOptions({ sectors: 1 }).ok).toBe(true);
    expect(resolveDiskOptions({ sectors: 2 ** 40, sectorSize: 4096 }).ok).toBe(true);
    expect(resolveDiskOptions({ removable: false, medium: 'present' }).ok).toBe(true);
    const r = resolveDiskOptions({ eraseKey: 'de ad be ef' });
    expect(r.ok && r.value.eraseKey).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
  });
});
