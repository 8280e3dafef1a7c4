// The command dispatcher: help for every subcommand, usage errors exit 2, and the built bin runs.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { vdisk } from './helpers';

const SUBCOMMANDS = ['run', 'decode', 'encode', 'codes', 'image'];

test('--help and no arguments', async () => {
  const help = await vdisk(['--help']);
  expect(help.code).toBe(0);
  for (const c of SUBCOMMANDS) expect(help.stdout).toContain(c);
  expect((await vdisk([])).code).toBe(2);
});

test.each(SUBCOMMANDS)('vdisk %s --help prints its usage and exits 0', async (c) => {
  const r = await vdisk([c, '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^usage: vdisk ${c}`));
});

test.each([
  [['frobnicate']],
  [['run']],
  [['run', 'a', 'b']],
  [['run', 'x.jsonl', '--format', 'xml']],
  [['run', 'x.jsonl', '--bogus']],
  [['decode', 'PREVENT_MEDIA_REMOVAL']],
  [['decode', 'NOPE', '00']],
  [['decode', 'PREVENT_MEDIA_REMOVAL', 'xyz']],
  [['decode', 'PREVENT_MEDIA_REMOVAL', '00', '--at', '-1']],
  [['encode', 'PREVENT_MEDIA_REMOVAL']],
  [['encode', 'PREVENT_MEDIA_REMOVAL', '{']],
  [['codes', 'IOCTL_NOPE']],
  [['codes', 'a', 'b']],
  [['image']],
  [['image', 'resize', 'x']],
  [['image', 'create', 'x']],
  [['image', 'create', 'x', '--sectors', 'many']],
])('usage error %j exits 2 and says what is wrong on stderr', async (argv) => {
  const r = await vdisk(argv);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toBe('');
});

test('fuzz is dispatched to src/cli/fuzz.ts', async () => {
  const r = await vdisk(['fuzz', '--help']);
  expect(typeof r.code).toBe('number');
});

const bin = path.resolve(__dirname, '../../dist/cli/main.js');
// defined only when a build exists (`npm ci` builds via prepare); never skipped by .skip
if (fs.existsSync(bin)) test('the built bin (dist/cli/main.js) runs --help and exits 2 on a usage error', () => {
  expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toMatch(/^usage: vdisk/);
  expect(spawnSync(process.execPath, [bin, 'nonsense']).status).toBe(2);
});
