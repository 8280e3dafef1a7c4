// vdisk decode / vdisk encode: the value as JSON, the annotated hex dump, errors naming field and byte.
import { vdisk } from './helpers';
import { specJson } from '../support/spec';

interface SpecLayout { name: string; size: number; fields: { name: string; offset: number; size: number }[] }

test('decode prints the value (bigint as 0x hex) and a dump naming each field row, padding and bytes past the end', async () => {
  // PRO_PARAMETER_LIST, layouts.md §1: keys big-endian at 0 and 8
  const r = await vdisk(['decode', 'PRO_PARAMETER_LIST', `0102030405060708 ${'00'.repeat(8)} 00000000 01 00 0000 ff`]);
  expect(r.code).toBe(0);
  const json = r.stdout.slice(0, r.stdout.indexOf('\n\n'));
  expect(JSON.parse(json)).toMatchObject({ ReservationKey: '0x102030405060708', ScopeSpecificAddress: '00000000', ActivatePersistThroughPowerLoss: 1 });
  expect(r.stdout).toMatch(/^0000 {4}01 02 03 04 05 06 07 08 +ReservationKey = "0x102030405060708"$/m);
  expect(r.stdout).toMatch(/^0018 {4}ff +\(unreachable: past the end of PRO_PARAMETER_LIST\)$/m);
});

test('decode marks padding (layouts.json padding rows) and honours --at', async () => {
  const spec = specJson<SpecLayout[]>('layouts').find((l) => l.name === 'ERASE_BAND_PARAMETERS')!;
  const r = await vdisk(['decode', 'ERASE_BAND_PARAMETERS', `aa ${'00'.repeat(spec.size)}`, '--at', '1']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^0000 {4}aa +\(before --at/m);
  expect(r.stdout).toMatch(/^001d {4}00 00 00 00 +\(padding\)$/m); // bytes 28-31 of the structure, shifted by 1
  for (const f of spec.fields) expect(r.stdout).toContain(f.name);
});

test('a decode error names the field and the byte and marks the row (exit 1)', async () => {
  const r = await vdisk(['decode', 'AUTH_KEY', '05000000 01020304']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/AUTH_KEY\.Key: short: needs 9 bytes, buffer has 8 \(field AUTH_KEY\.Key, byte 4\)/);
  expect(r.stdout).toMatch(/^0004 {4}01 02 03 04 +Key \(incomplete\) +<-- short: Key$/m);
  expect(r.stdout).toMatch(/\(missing: 1 byte\)/);
  const short = await vdisk(['decode', 'PERSISTENT_RESERVE_COMMAND', '0c000000 0c00']);
  expect(short.code).toBe(1);
  expect(short.stderr).toMatch(/PERSISTENT_RESERVE_COMMAND\.Size: short/);
});

test('encode prints hex; omitted fields zero; errors name the field (exit 2)', async () => {
  expect((await vdisk(['encode', 'PREVENT_MEDIA_REMOVAL', '{"PreventMediaRemoval":1}'])).stdout).toBe('01\n');
  const erase = await vdisk(['encode', 'ERASE_BAND_PARAMETERS', '{"StructSize":32,"BandId":1,"NewAuthKeyOffset":32}']);
  expect(erase.stdout).toBe(`20000000 00000000 00000000 01000000 ${'00'.repeat(8)} 20000000 00000000\n`.replace(/ /g, ''));
  const bad = await vdisk(['encode', 'ERASE_BAND_PARAMETERS', '{"BandId":4294967296}']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/ERASE_BAND_PARAMETERS\.BandId/);
  expect((await vdisk(['encode', 'ERASE_BAND_PARAMETERS', '{"Bogus":1}'])).stderr).toMatch(/ERASE_BAND_PARAMETERS\.Bogus: unknown field/);
});

test('encode then decode gives the value back', async () => {
  const hex = (await vdisk(['encode', 'BAND_LOCATION_INFO', '{"StructSize":56,"BandStart":"0x80000","BandSize":32768,"Metadata":"ab"}'])).stdout.trim();
  const r = await vdisk(['decode', 'BAND_LOCATION_INFO', hex]);
  expect(JSON.parse(r.stdout.slice(0, r.stdout.indexOf('\n\n')))).toEqual({
    StructSize: 56, Reserved: 0, BandStart: '0x80000', BandSize: '0x8000', Metadata: `ab${'00'.repeat(31)}`,
  });
});
