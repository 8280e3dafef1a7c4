// vdisk codes and vdisk image, against spec/data/ioctl-codes.json and the store's image format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vdisk } from './helpers';
import { specJson } from '../support/spec';

interface SpecCode { name: string; hex: string }

test('codes lists every code of ioctl-codes.md §3 with its value', async () => {
  const r = await vdisk(['codes']);
  expect(r.code).toBe(0);
  for (const c of specJson<SpecCode[]>('ioctl-codes')) {
    expect(r.stdout).toMatch(new RegExp(`^${c.name} +${c.hex}`, 'mi'));
  }
});

test('codes NAME decomposes the code and names the structures it takes', async () => {
  const r = await vdisk(['codes', 'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT']);
  expect(r.stdout).toMatch(/code +0x002DD01C \(3002396\)/);
  expect(r.stdout).toMatch(/device type +0x002D FILE_DEVICE_MASS_STORAGE/);
  expect(r.stdout).toMatch(/function +0x407/);
  expect(r.stdout).toMatch(/method +0 METHOD_BUFFERED/);
  expect(r.stdout).toMatch(/access +3 FILE_READ_ACCESS \| FILE_WRITE_ACCESS/);
  expect(r.stdout).toMatch(/handler +class driver/);
  expect(r.stdout).toMatch(/PERSISTENT_RESERVE_COMMAND[\s\S]*PRO_PARAMETER_LIST/);
});

test('codes VALUE: a legacy alias shows the STORAGE code it maps to; a band code on the DISK base stays unknown', async () => {
  const alias = await vdisk(['codes', '0x00074804']);
  expect(alias.stdout).toMatch(/name +IOCTL_DISK_MEDIA_REMOVAL/);
  expect(alias.stdout).toMatch(/alias of +0x002D4804 IOCTL_STORAGE_MEDIA_REMOVAL/);
  expect(alias.stdout).toMatch(/PREVENT_MEDIA_REMOVAL/);
  const notBand = await vdisk(['codes', '0x0007D4A8']);
  expect(notBand.stdout).toMatch(/not a class-driver code/);
  expect((await vdisk(['codes', '3003536'])).stdout).toMatch(/CREATE_BAND_PARAMETERS[\s\S]*BAND_LOCATION_INFO[\s\S]*AUTH_KEY/);
});

describe('image', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-cli-image-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('create then info: geometry, no live slot before any commit, no warnings', async () => {
    const img = path.join(tmp, 'a.img');
    const c = await vdisk(['image', 'create', img, '--sectors', '128', '--sector-size', '4096']);
    expect(c.code).toBe(0);
    const i = await vdisk(['image', 'info', img]);
    expect(i.code).toBe(0);
    expect(i.stdout).toMatch(/geometry +128 sectors × 4096 bytes/);
    expect(i.stdout).toMatch(/live slot +none/);
    expect(i.stdout).toMatch(/generation +0/);
    expect(i.stdout).toMatch(/warnings +none/);
  });

  test('after a run that commits metadata, info shows the live slot and generation', async () => {
    const img = path.join(tmp, 'b.img');
    const scenario = path.join(tmp, 'pr.jsonl');
    fs.writeFileSync(scenario, '{"op":"disk","sectors":64}\n{"op":"open","handle":"h"}\n'
      + '{"op":"ioctl","handle":"h","code":"IOCTL_STORAGE_PERSISTENT_RESERVE_OUT","input":["0c00000024000000 0000",{"layout":"PRO_PARAMETER_LIST","value":{"ServiceActionReservationKey":5,"ActivatePersistThroughPowerLoss":1}},"0000"],"expect":{"status":"STATUS_SUCCESS"}}\n');
    expect((await vdisk(['run', scenario, '--image', img])).code).toBe(0);
    const i = await vdisk(['image', 'info', img]);
    expect(i.stdout).toMatch(/live slot +slot [01]/);
    expect(i.stdout).toMatch(/generation +[1-9]/);
  });

  test('create never overwrites; a damaged image is reported by info (exit 1)', async () => {
    const img = path.join(tmp, 'c.img');
    fs.writeFileSync(img, 'not an image');
    expect((await vdisk(['image', 'create', img, '--sectors', '8'])).code).toBe(2);
    const i = await vdisk(['image', 'info', img]);
    expect(i.code).toBe(1);
    expect(i.stderr).toMatch(/truncated/);
    fs.writeFileSync(img, Buffer.alloc(8192, 1));
    expect((await vdisk(['image', 'info', img])).stderr).toMatch(/bad-magic/);
  });

  test('create rejects a sector size other than 512 or 4096 (exit 2)', async () => {
    expect((await vdisk(['image', 'create', path.join(tmp, 'd.img'), '--sectors', '8', '--sector-size', '1024'])).code).toBe(2);
  });
});
