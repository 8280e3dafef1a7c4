// The runner replays scenarios through the public Host API and reports results as scenario-format.md
// "Results" prints them; expectations mark mismatches with the expected values beside the result.
import { parseScenario } from '../../src/scenario/parse';
import { runScenario, runScenarioText, type StepResult } from '../../src/scenario/run';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createImage, createMemoryStore, type BlockStore } from '../../src/device/store';

function results(text: string): readonly StepResult[] {
  const r = runScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.results;
}

test('one result per op, in order, shaped like the spec example (line, op, code, status, ntstatus, win32, information, output)', () => {
  const rs = results([
    '{"op":"open","handle":"a","initiator":"i1"}',
    '{"op":"open","handle":"b","initiator":"i2"}',
    '{"op":"ioctl","handle":"a","code":"IOCTL_STORAGE_RESERVE"}',
    '# a SCSI-2 reservation makes PERSISTENT RESERVE OUT conflict',
    '{"op":"ioctl","handle":"b","code":"IOCTL_STORAGE_PERSISTENT_RESERVE_OUT","input":"0c00000024000000 0000 0000000000000000 0000000000000001 00000000 00 00 0000 0000"}',
  ].join('\n'));
  expect(rs.length).toBe(4);
  expect(Object.keys(rs[3]!)).toEqual(['line', 'op', 'code', 'status', 'ntstatus', 'win32', 'information', 'output']);
  expect(rs[3]).toEqual({
    line: 5, op: 'ioctl', code: 'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT', status: 'STATUS_DEVICE_BUSY',
    ntstatus: '0x80000011', win32: 170, information: 0, output: '',
  });
  expect(rs[0]).toEqual({ line: 1, op: 'open', status: 'STATUS_SUCCESS', ntstatus: '0x00000000', win32: 0, information: 0, output: '' });
});

test('read output is the data; ops other than ioctl/read/write report STATUS_SUCCESS', () => {
  const rs = results([
    '{"op":"disk","sectors":64}', '{"op":"open","handle":"h"}', '{"op":"write","handle":"h","lba":1,"data":"' + 'ab'.repeat(512) + '"}',
    '{"op":"read","handle":"h","lba":1,"sectors":1}', '{"op":"close","handle":"h"}', '{"op":"exit","process":"p0"}',
    '{"op":"power-cycle"}', '{"op":"reboot"}',
  ].join('\n'));
  expect(rs[2]).toMatchObject({ status: 'STATUS_SUCCESS', information: 512 });
  expect(rs[3]).toMatchObject({ information: 512, output: 'ab'.repeat(512) });
  for (const r of [rs[0], ...rs.slice(4)]) expect(r).toMatchObject({ status: 'STATUS_SUCCESS', information: 0, output: '' });
});

test('an unknown code is reported by its hex and answered STATUS_INVALID_DEVICE_REQUEST', () => {
  const rs = results('{"op":"open","handle":"h"}\n{"op":"ioctl","handle":"h","code":"0x00331234"}');
  expect(rs[1]).toMatchObject({ code: '0x00331234', status: 'STATUS_INVALID_DEVICE_REQUEST', ntstatus: '0xC0000010' });
});

test('a closed handle and a handle lost in a reboot are STATUS_INVALID_HANDLE (a device result, not a scenario error)', () => {
  const rs = results('{"op":"open","handle":"h"}\n{"op":"close","handle":"h"}\n{"op":"read","handle":"h","lba":0,"sectors":1}\n'
    + '{"op":"open","handle":"g"}\n{"op":"reboot"}\n{"op":"ioctl","handle":"g","code":"IOCTL_STORAGE_CHECK_VERIFY2"}');
  expect(rs[2]!.status).toBe('STATUS_INVALID_HANDLE');
  expect(rs[5]!.status).toBe('STATUS_INVALID_HANDLE');
});

test('expectations: a met one adds nothing; a missed one is ok:false with the expected values beside it', () => {
  const r = runScenarioText('{"op":"open","handle":"h","expect":{"status":"STATUS_SUCCESS"}}\n'
    + '{"op":"read","handle":"h","lba":0,"sectors":1,"expect":{"status":"0xC0000022","information":512,"output":"00"}}\n'
    + '{"op":"read","handle":"h","lba":0,"sectors":0,"expect":{"information":0}}');
  if (!r.ok) throw new Error('run failed');
  expect(r.failed).toBe(1);
  expect(r.results[0]!.ok).toBeUndefined();
  expect(r.results[1]).toMatchObject({
    ok: false, status: 'STATUS_SUCCESS', expected: { status: 'STATUS_ACCESS_DENIED', information: 512, output: '00' },
  });
  expect(r.results[2]!.ok).toBeUndefined();
});

const POWER_LOSS = [
  '{"op":"open","handle":"h"}', '{"op":"write","handle":"h","lba":0,"sectors":1,"fill":1}',
  '{"op":"inject","fault":"power-loss","afterWrites":0}',
  '{"op":"write","handle":"h","lba":0,"sectors":1,"fill":2}', '{"op":"read","handle":"h","lba":0,"sectors":1}',
  '{"op":"power-cycle"}', '{"op":"read","handle":"h","lba":0,"sectors":1}',
].join('\n');

// issue 6: `inject power-loss` works with both stores — the same scenario on the memory store and on an image
describe.each([
  ['the memory store', (): BlockStore | undefined => undefined],
  ['an image file', (): BlockStore | undefined => {
    const made = createImage(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-inject-')), 'disk.img'), { sectorSize: 512, sectors: 2048 });
    if (!made.ok) throw new Error(made.error.message);
    return made.store;
  }],
])('inject power-loss on %s', (_name, makeStore) => {
  test('the write in flight fails, the device stays off until power-cycle, committed data survives', () => {
    const store = makeStore();
    const r = runScenarioText(POWER_LOSS, store ? { store } : {});
    if (!r.ok) throw new Error(JSON.stringify(r));
    const rs = r.results;
    expect(rs[2]!.status).toBe('STATUS_SUCCESS');
    expect(rs[3]!.status).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(rs[4]!.status).toBe('STATUS_DEVICE_NOT_CONNECTED');
    expect(rs[6]).toMatchObject({ status: 'STATUS_SUCCESS', output: '01'.repeat(512) });
    store?.close();
  });
});

test('inject band-failure reaches the disk: the band IOCTL gets STATUS_IO_DEVICE_ERROR until a power cycle', () => {
  const rs = results([
    '{"op":"disk","security":"active"}', '{"op":"open","handle":"h"}', '{"op":"inject","fault":"band-failure","band":0}',
    '{"op":"ioctl","handle":"h","code":"IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA","input":{"layout":"GET_BAND_METADATA_PARAMETERS","value":{"StructSize":24,"MetadataSize":4}},"outputLength":4}',
    '{"op":"power-cycle"}',
    '{"op":"ioctl","handle":"h","code":"IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA","input":{"layout":"GET_BAND_METADATA_PARAMETERS","value":{"StructSize":24,"MetadataSize":4}},"outputLength":4}',
  ].join('\n'));
  expect(rs[3]!.status).toBe('STATUS_IO_DEVICE_ERROR');
  expect(rs[5]).toMatchObject({ status: 'STATUS_SUCCESS', information: 4, output: '00000000' });
});

test('runs on a given store, and refuses one whose geometry differs from the disk options (an error value)', () => {
  const parsed = parseScenario('{"op":"disk","sectors":16}\n{"op":"open","handle":"h"}\n{"op":"write","handle":"h","lba":15,"sectors":1,"fill":9}');
  if (!parsed.ok) throw new Error('parse');
  const made = createMemoryStore({ sectorSize: 512, sectors: 16 });
  if (!made.ok) throw new Error('store');
  const r = runScenario(parsed.value, { store: made.store });
  expect(r.ok && r.results[2]!.status).toBe('STATUS_SUCCESS');
  const other = createMemoryStore({ sectorSize: 512, sectors: 32 });
  if (!other.ok) throw new Error('store');
  const bad = runScenario(parsed.value, { store: other.store });
  expect(bad).toMatchObject({ ok: false, error: { line: 1, field: 'store' } });
});

test('onResult sees each result as it is produced', () => {
  const parsed = parseScenario('{"op":"reboot"}\n{"op":"power-cycle"}');
  if (!parsed.ok) throw new Error('parse');
  const seen: number[] = [];
  runScenario(parsed.value, { onResult: (r) => seen.push(r.line) });
  expect(seen).toEqual([1, 2]);
});

test('runScenarioText returns the parse errors of a bad file', () => {
  expect(runScenarioText('{"op":"nope"}')).toMatchObject({ ok: false, errors: [{ line: 1, field: 'op' }] });
});
