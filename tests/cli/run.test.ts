// vdisk run: JSON Lines off a terminal, a table on one; exit 0 / 1 / 2; every example self-checks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vdisk } from './helpers';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-cli-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
}

const examples = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.jsonl'));

test('the examples directory holds the five documented scenarios', () => {
  expect(examples.sort()).toEqual(['bands-crypto-erase.jsonl', 'cluster-fencing.jsonl', 'demo.jsonl', 'media-locks.jsonl', 'scsi2-reservations.jsonl']);
});

test.each(examples)('examples/%s: every step carries an expectation and vdisk run exits 0', async (name) => {
  const text = fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
  const ops = text.split('\n').filter((l) => l.trim().startsWith('{'));
  for (const l of ops) {
    const o = JSON.parse(l) as { op: string; expect?: unknown };
    if (o.op !== 'disk' && o.op !== 'open' && o.op !== 'power-cycle' && o.op !== 'reboot') expect([l, o.expect !== undefined]).toEqual([l, true]);
  }
  const r = await vdisk(['run', path.join(EXAMPLES, name)]);
  const failed = r.stdout.split('\n').filter((l) => l.includes('"ok":false'));
  expect(failed).toEqual([]);
  expect(r.code).toBe(0);
});

test('JSON Lines when stdout is not a terminal: one object per op', async () => {
  const p = file('two.jsonl', '{"op":"open","handle":"h"}\n{"op":"ioctl","handle":"h","code":"IOCTL_STORAGE_CHECK_VERIFY","outputLength":4}\n');
  const r = await vdisk(['run', p]);
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines[1]).toEqual({ line: 2, op: 'ioctl', code: 'IOCTL_STORAGE_CHECK_VERIFY', status: 'STATUS_SUCCESS', ntstatus: '0x00000000', win32: 0, information: 4, output: '00000000' });
});

test('a table on a terminal (or --format table); --format json overrides the terminal', async () => {
  const p = file('one.jsonl', '{"op":"open","handle":"h"}\n');
  const t = await vdisk(['run', p], true);
  expect(t.stdout).toMatch(/^line\s+op\s+code\s+status/);
  expect((await vdisk(['run', p, '--format', 'table'])).stdout).toMatch(/^line/);
  expect(JSON.parse((await vdisk(['run', p, '--format', 'json'], true)).stdout)).toMatchObject({ op: 'open' });
});

test('a wrong expectation: every step still runs, the result says ok:false, exit 1 after the last step', async () => {
  const p = file('wrong.jsonl', '{"op":"open","handle":"h"}\n{"op":"read","handle":"h","lba":0,"sectors":1,"expect":{"status":"STATUS_ACCESS_DENIED"}}\n{"op":"close","handle":"h"}\n');
  const r = await vdisk(['run', p]);
  expect(r.code).toBe(1);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.length).toBe(3);
  expect(lines[1]).toMatchObject({ ok: false, status: 'STATUS_SUCCESS', expected: { status: 'STATUS_ACCESS_DENIED' } });
  expect(r.stderr).toMatch(/1 of 1 expectations failed/);
  const table = await vdisk(['run', p], true);
  expect(table.stdout).toMatch(/✗ STATUS_SUCCESS[\s\S]*expected status STATUS_ACCESS_DENIED/);
});

test('a scenario error exits 2 and names file, line and field; nothing runs', async () => {
  const p = file('bad.jsonl', '{"op":"open","handle":"h"}\n# fine\n{"op":"read","handle":"nope","lba":0,"sectors":1}\n');
  const r = await vdisk(['run', p]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`${p}:3: line 3, field handle:`);
});

test('a missing file exits 2', async () => {
  expect((await vdisk(['run', path.join(tmp, 'absent.jsonl')])).code).toBe(2);
});

describe('--image', () => {
  const scenario = (lines: string[]): string => file(`img-${Math.random().toString(16).slice(2)}.jsonl`, `${lines.join('\n')}\n`);

  test('an absent image is created with the scenario geometry; data persists into the next run', async () => {
    const img = path.join(tmp, 'disk1.img');
    const w = scenario(['{"op":"disk","sectors":64}', '{"op":"open","handle":"h"}', '{"op":"write","handle":"h","lba":3,"sectors":1,"fill":7,"expect":{"status":"STATUS_SUCCESS"}}']);
    expect((await vdisk(['run', w, '--image', img])).code).toBe(0);
    expect(fs.existsSync(img)).toBe(true);
    const r = scenario(['{"op":"open","handle":"h"}', `{"op":"read","handle":"h","lba":3,"sectors":1,"expect":{"output":"${'07'.repeat(512)}"}}`,
      '{"op":"read","handle":"h","lba":64,"sectors":1,"expect":{"status":"STATUS_NONEXISTENT_SECTOR"}}']);
    const again = await vdisk(['run', r, '--image', img]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
  });

  test('a disk line whose geometry differs from the image is refused (exit 2)', async () => {
    const img = path.join(tmp, 'disk2.img');
    expect((await vdisk(['run', scenario(['{"op":"disk","sectors":32}']), '--image', img])).code).toBe(0);
    const r = await vdisk(['run', scenario(['{"op":"disk","sectors":64}']), '--image', img]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sectors/);
  });

  test('an image with a bad header is refused with a clear error and left untouched', async () => {
    const img = path.join(tmp, 'garbage.img');
    const junk = Buffer.alloc(8192, 0x41);
    fs.writeFileSync(img, junk);
    const r = await vdisk(['run', scenario(['{"op":"open","handle":"h"}']), '--image', img]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refused \(bad-magic\)/);
    expect(fs.readFileSync(img).equals(junk)).toBe(true);
  });
});
