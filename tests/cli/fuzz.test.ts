// `vdisk fuzz` (issue 7): exit 0 when no invariant broke, 1 with the failure shrunk and saved as a scenario
// that `vdisk run` replays, 2 for usage errors. Runs in-process (--workers 0) so the test controls the device.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vdisk } from './helpers';
import { VirtualDisk } from '../../src/device/virtual-disk';

test('a clean campaign prints the per-IOCTL summary and exits 0', async () => {
  const r = await vdisk(['fuzz', '--runs', '400', '--seed', '7', '--workers', '0', '--ioctl', 'IOCTL_STORAGE_MEDIA_REMOVAL']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^IOCTL_STORAGE_MEDIA_REMOVAL\s+\d+\s+0\s/m);
  expect(r.stdout).toMatch(/total: \d+ cases in \d+ sequences, .* 0 distinct failures/);
});

test('a broken invariant exits 1 and writes the shrunk case as a scenario that vdisk run replays', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-fuzz-'));
  // a device whose state "changes" on every look: every failing request then breaks the state invariant
  let n = 0;
  const spy = jest.spyOn(VirtualDisk.prototype, 'snapshot').mockImplementation(() => ({ changing: n++ }) as never);
  let r;
  try {
    r = await vdisk(['fuzz', '--runs', '200', '--seed', '3', '--workers', '0', '--ioctl', 'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT', '--out', out]);
  } finally {
    spy.mockRestore();
  }
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAILURE \S+\|state\|/);
  expect(r.stdout).toMatch(/replay: vdisk fuzz --seed \d+ --path [\d:]+ --ioctl IOCTL_STORAGE_PERSISTENT_RESERVE_OUT/);
  const files = fs.readdirSync(out).filter((f) => f.endsWith('.jsonl'));
  expect(files.length).toBeGreaterThan(0);
  const replay = await vdisk(['run', path.join(out, files[0]!), '--format', 'json']);
  expect(replay.code).toBe(0); // the scenario parses and replays (it carries no expectations)
  expect(replay.stdout).toContain('"op":"ioctl"');
});

test.each([
  [['fuzz', '--ioctl', 'IOCTL_NOPE'], /unknown IOCTL IOCTL_NOPE/],
  [['fuzz', '--runs', '10', '--time', '1s'], /exclude each other/],
  [['fuzz', '--runs', '0'], /not a positive count/],
  [['fuzz', '--time', 'soon'], /not a duration/],
  [['fuzz', 'extra'], /unexpected argument/],
])('usage error %j exits 2', async (argv, message) => {
  const r = await vdisk(argv);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});
