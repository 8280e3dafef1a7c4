// scenario-format.md is a public interface: every op, field, default and error, with its line number.
import fc from 'fast-check';
import { parseScenario, type Scenario, type ScenarioError, type Step } from '../../src/scenario/parse';
import { specText } from '../support/spec';

function ok(text: string): Scenario {
  const r = parseScenario(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
function errors(text: string): readonly ScenarioError[] {
  const r = parseScenario(text);
  if (r.ok) throw new Error('expected scenario errors');
  return r.errors;
}
const one = (text: string): ScenarioError => errors(text)[0]!;
const OPEN = '{"op":"open","handle":"h"}';
const step = (text: string, i = 1): Step => ok(text).steps[i]!;
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('lines', () => {
  test('blank lines and # or // comments are skipped; line numbers count every line', () => {
    const s = ok(`\n# comment\n   // another\n\n${OPEN}\n  \n{"op":"close","handle":"h"}`);
    expect(s.steps.map((x) => [x.op, x.line])).toEqual([['open', 5], ['close', 7]]);
  });

  test('CRLF line ends are accepted', () => {
    expect(ok(`${OPEN}\r\n{"op":"reboot"}\r\n`).steps.map((x) => x.line)).toEqual([1, 2]);
  });

  test('a line that is not JSON, or not an object, is an error with its line', () => {
    expect(one(`${OPEN}\n{"op":`).line).toBe(2);
    expect(one(`${OPEN}\n[1]`)).toMatchObject({ line: 2 });
  });

  test('every object needs op; an unknown op is named', () => {
    expect(one('{"handle":"h"}')).toMatchObject({ line: 1, field: 'op' });
    expect(one('{"op":"format"}')).toMatchObject({ line: 1, field: 'op' });
    expect(one('{"op":"format"}').message).toMatch(/format/);
  });

  test('unknown fields are errors naming the field, for every op', () => {
    const ops = ['{"op":"disk"', OPEN.slice(0, -1), '{"op":"ioctl","handle":"h","code":1', '{"op":"read","handle":"h","lba":0,"sectors":1',
      '{"op":"write","handle":"h","lba":0,"data":""', '{"op":"close","handle":"h"', '{"op":"exit","process":"p0"', '{"op":"power-cycle"',
      '{"op":"reboot"', '{"op":"inject","fault":"power-loss","afterWrites":0'];
    for (const o of ops) {
      expect(one(`${OPEN}\n${o},"bogus":1}`)).toMatchObject({ line: 2, field: 'bogus' });
    }
  });

  test('every bad line is reported, not only the first', () => {
    expect(errors('{"op":"x"}\n{"op":"y"}').map((e) => e.line)).toEqual([1, 2]);
  });

  test('the error message names the line and the field', () => {
    expect(one(`${OPEN}\n{"op":"read","handle":"h","lba":-1,"sectors":1}`).message).toMatch(/^line 2, field lba: /);
  });

  test('never throws, whatever the lines; every error points at a line of the file', () => {
    const OPS = ['disk', 'open', 'ioctl', 'read', 'write', 'close', 'exit', 'power-cycle', 'reboot', 'inject'];
    const FIELDS = ['handle', 'process', 'initiator', 'access', 'code', 'input', 'outputLength', 'lba', 'sectors', 'data', 'fill',
      'fault', 'afterWrites', 'band', 'expect', 'sectorSize', 'security'];
    const small = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant('h'), fc.integer({ min: -2, max: 70000 }), fc.constantFrom('00ff', 'zz', '0x10'));
    const opLine = fc.record({ op: fc.constantFrom(...OPS), fields: fc.dictionary(fc.constantFrom(...FIELDS), small, { maxKeys: 4 }) })
      .map(({ op, fields }) => JSON.stringify({ op, ...fields }));
    const line = fc.oneof(opLine, fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)));
    fc.assert(fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
      const r = parseScenario(lines.join('\n'));
      if (!r.ok) for (const e of r.errors) expect(e.line >= 1 && e.line <= lines.length).toBe(true);
    }));
  });
});

describe('disk', () => {
  test('without a disk line every default applies ({}); with one its options are kept', () => {
    expect(ok(OPEN).disk).toEqual({});
    const s = ok('{"op":"disk","sectorSize":4096,"sectors":16,"removable":false,"medium":"present","persistentReservations":false,'
      + '"security":"active","maxBands":4,"minKeyLength":2,"maxKeyLength":16,"bandMetadataSize":64,"tryLimit":3,'
      + '"eraseKey":"0102","psid":"aabbcc","seed":9}');
    expect(s.disk).toEqual({ sectorSize: 4096, sectors: 16, removable: false, medium: 'present', persistentReservations: false,
      security: 'active', maxBands: 4, minKeyLength: 2, maxKeyLength: 16, bandMetadataSize: 64, tryLimit: 3,
      eraseKey: '0102', psid: 'aabbcc', seed: 9 });
    expect(s.steps[0]).toMatchObject({ op: 'disk', line: 1 });
  });

  test('disk is allowed only before every other op, and once', () => {
    expect(one(`${OPEN}\n{"op":"disk"}`)).toMatchObject({ line: 2, field: 'op' });
    expect(one('{"op":"disk"}\n{"op":"disk"}')).toMatchObject({ line: 2 });
    expect(ok('# first\n{"op":"disk"}\n' + OPEN).steps.length).toBe(2);
  });

  test('a bad option value is named (the spec table: 512 or 4096, present/absent, none/inactive/active)', () => {
    expect(one('{"op":"disk","sectorSize":1024}')).toMatchObject({ line: 1, field: 'sectorSize' });
    expect(one('{"op":"disk","medium":"gone"}')).toMatchObject({ field: 'medium' });
    expect(one('{"op":"disk","security":"on"}')).toMatchObject({ field: 'security' });
    expect(one('{"op":"disk","eraseKey":"xyz"}')).toMatchObject({ field: 'eraseKey' });
  });

  test('library-only options (store, sidKey) are unknown fields in a scenario', () => {
    expect(one('{"op":"disk","sidKey":"01"}')).toMatchObject({ field: 'sidKey' });
  });
});

describe('open', () => {
  test('defaults: process p0, initiator host0, access GENERIC_READ|GENERIC_WRITE', () => {
    expect(step(OPEN, 0)).toEqual({ op: 'open', line: 1, handle: 'h', process: 'p0', initiator: 'host0', access: 0xc0000000 });
  });

  test('access as a number or an array of right names', () => {
    expect(step('{"op":"open","handle":"h","access":0}', 0)).toMatchObject({ access: 0 });
    expect(step('{"op":"open","handle":"h","access":["FILE_READ_DATA","SYNCHRONIZE"]}', 0)).toMatchObject({ access: 0x00100001 });
    for (const name of ['FILE_READ_DATA', 'FILE_WRITE_DATA', 'FILE_READ_ATTRIBUTES', 'FILE_WRITE_ATTRIBUTES', 'SYNCHRONIZE', 'GENERIC_READ', 'GENERIC_WRITE', 'GENERIC_ALL']) {
      expect(parseScenario(`{"op":"open","handle":"h","access":["${name}"]}`).ok).toBe(true);
    }
  });

  test('bad handle, process, initiator and access are named', () => {
    expect(one('{"op":"open"}')).toMatchObject({ field: 'handle' });
    expect(one('{"op":"open","handle":3}')).toMatchObject({ field: 'handle' });
    expect(one('{"op":"open","handle":"h","process":""}')).toMatchObject({ field: 'process' });
    expect(one('{"op":"open","handle":"h","initiator":7}')).toMatchObject({ field: 'initiator' });
    expect(one('{"op":"open","handle":"h","access":["READ_IT_ALL"]}')).toMatchObject({ field: 'access' });
    expect(one('{"op":"open","handle":"h","access":-1}')).toMatchObject({ field: 'access' });
  });
});

describe('ioctl', () => {
  test('code as a name, a number or a hex string; input and outputLength default to empty and 0', () => {
    for (const code of ['"IOCTL_STORAGE_RESERVE"', '2967568', '"0x002D4810"']) {
      expect(step(`${OPEN}\n{"op":"ioctl","handle":"h","code":${code}}`)).toEqual({
        op: 'ioctl', line: 2, handle: 'h', code: 0x002d4810, input: new Uint8Array(0), outputLength: 0,
      });
    }
  });

  test('an unknown code name, a negative or a too-large code is an error; an unknown value is not', () => {
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h","code":"IOCTL_NOPE"}`)).toMatchObject({ line: 2, field: 'code' });
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h","code":4294967296}`)).toMatchObject({ field: 'code' });
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h"}`)).toMatchObject({ field: 'code' });
    expect(step(`${OPEN}\n{"op":"ioctl","handle":"h","code":"0xDEADBEEF"}`)).toMatchObject({ code: 0xdeadbeef });
  });

  test('input as hex, whitespace allowed inside', () => {
    expect(hex((step(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":"0c 00\\t00 00"}`) as { input: Uint8Array }).input)).toBe('0c000000');
  });

  test('bad hex is an error: odd length or non-hex digits', () => {
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":"abc"}`)).toMatchObject({ line: 2, field: 'input' });
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":"zz"}`)).toMatchObject({ field: 'input' });
  });

  test('input as {layout, value}: omitted fields zero, numbers, hex and decimal strings for 64-bit fields, enum names, nested and union objects', () => {
    const get = (input: string): string => hex((step(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":${input}}`) as { input: Uint8Array }).input);
    expect(get('{"layout":"PREVENT_MEDIA_REMOVAL","value":{"PreventMediaRemoval":1}}')).toBe('01');
    expect(get('{"layout":"PREVENT_MEDIA_REMOVAL","value":{}}')).toBe('00');
    expect(get('{"layout":"PRO_PARAMETER_LIST","value":{"ReservationKey":"0x0102030405060708","ServiceActionReservationKey":"18446744073709551615"}}'))
      .toBe(`0102030405060708${'ff'.repeat(8)}${'00'.repeat(8)}`);
    expect(get('{"layout":"PERSISTENT_RESERVE_COMMAND","value":{"Size":12,"PR_OUT":{"ServiceAction":"RESERVATION_ACTION_RESERVE","Type":"RESERVATION_TYPE_WRITE_EXCLUSIVE_REGISTRANTS"}}}'))
      .toBe('000000000c0000000105 0000'.replace(' ', ''));
    expect(get('{"layout":"AUTH_KEY","value":{"Key":"a1a2"}}')).toBe('02000000a1a2');
    expect(get('{"layout":"ERASE_BAND_PARAMETERS","value":{"StructSize":32,"BandStart":"-1","Flags":["ERASEBAND_AUTHKEY_CACHING_ENABLED"]}}'))
      .toBe(`2000000001000000${'00'.repeat(8)}${'ff'.repeat(8)}${'00'.repeat(8)}`);
  });

  test('an array of the two forms is concatenated in order', () => {
    const s = step(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":["0a0b",{"layout":"PREVENT_MEDIA_REMOVAL","value":{"PreventMediaRemoval":2}},"ff"]}`);
    expect(hex((s as { input: Uint8Array }).input)).toBe('0a0b02ff');
  });

  test('layout errors name the field path', () => {
    const e = (input: string): ScenarioError => one(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"input":${input}}`);
    expect(e('{"layout":"NOPE","value":{}}')).toMatchObject({ line: 2, field: 'input.layout' });
    expect(e('{"layout":"PREVENT_MEDIA_REMOVAL","value":{"Prevent":1}}')).toMatchObject({ field: 'input.value.Prevent' });
    expect(e('{"layout":"PREVENT_MEDIA_REMOVAL","value":{"PreventMediaRemoval":300}}')).toMatchObject({ field: 'input.value.PreventMediaRemoval' });
    expect(e('["00",{"layout":"PERSISTENT_RESERVE_COMMAND","value":{"PR_OUT":{"Type":"WRONG"}}}]')).toMatchObject({ field: 'input[1].value.PR_OUT.Type' });
    expect(e('{"layout":"AUTH_KEY","value":{"Key":"xyz"}}')).toMatchObject({ field: 'input.value.Key' });
    expect(e('{"layout":"PRO_PARAMETER_LIST","value":{"ReservationKey":1.5}}')).toMatchObject({ field: 'input.value.ReservationKey' });
    expect(e('{"layout":"PREVENT_MEDIA_REMOVAL","value":{},"extra":1}')).toMatchObject({ field: 'input.extra' });
    expect(e('[["00"]]')).toMatchObject({ field: 'input[0]' });
    expect(e('7')).toMatchObject({ field: 'input' });
  });

  test('outputLength is an integer in 0..0xFFFFFFFF', () => {
    expect(step(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"outputLength":4294967295}`)).toMatchObject({ outputLength: 0xffffffff });
    expect(one(`${OPEN}\n{"op":"ioctl","handle":"h","code":1,"outputLength":-1}`)).toMatchObject({ field: 'outputLength' });
  });
});

describe('read, write, close, exit', () => {
  test('read: handle, lba, sectors', () => {
    expect(step(`${OPEN}\n{"op":"read","handle":"h","lba":5,"sectors":2}`)).toEqual({ op: 'read', line: 2, handle: 'h', lba: 5, sectors: 2 });
    expect(step(`${OPEN}\n{"op":"read","handle":"h","lba":"0xFFFFFFFFFFFFFFFF","sectors":1}`)).toMatchObject({ lba: 0xffffffffffffffffn });
    expect(one(`${OPEN}\n{"op":"read","handle":"h","sectors":1}`)).toMatchObject({ field: 'lba' });
    expect(one(`${OPEN}\n{"op":"read","handle":"h","lba":0}`)).toMatchObject({ field: 'sectors' });
  });

  test('write: data (hex) or sectors + fill, sized by the disk sector size', () => {
    expect(hex((step(`${OPEN}\n{"op":"write","handle":"h","lba":0,"data":"00ff"}`) as { data: Uint8Array }).data)).toBe('00ff');
    const filled = step(`{"op":"disk","sectorSize":4096}\n${OPEN}\n{"op":"write","handle":"h","lba":0,"sectors":2,"fill":171}`, 2) as { data: Uint8Array };
    expect(filled.data.length).toBe(8192);
    expect(filled.data.every((b) => b === 0xab)).toBe(true);
    expect(one(`${OPEN}\n{"op":"write","handle":"h","lba":0,"data":"0"}`)).toMatchObject({ field: 'data' });
    expect(one(`${OPEN}\n{"op":"write","handle":"h","lba":0,"sectors":1}`)).toMatchObject({ field: 'fill' });
    expect(one(`${OPEN}\n{"op":"write","handle":"h","lba":0,"sectors":1,"fill":256}`)).toMatchObject({ field: 'fill' });
    expect(one(`${OPEN}\n{"op":"write","handle":"h","lba":0}`)).toMatchObject({ field: 'data' });
    expect(one(`${OPEN}\n{"op":"write","handle":"h","lba":0,"sectors":4294967295,"fill":0}`)).toMatchObject({ field: 'sectors' });
  });

  test('a reference to an unknown handle is an error, in every op that takes one', () => {
    for (const o of ['{"op":"ioctl","handle":"x","code":1}', '{"op":"read","handle":"x","lba":0,"sectors":1}',
      '{"op":"write","handle":"x","lba":0,"data":""}', '{"op":"close","handle":"x"}']) {
      expect(one(`${OPEN}\n${o}`)).toMatchObject({ line: 2, field: 'handle' });
    }
    // a handle is known from the open that names it onwards, also after close
    expect(one(`{"op":"close","handle":"h"}\n${OPEN}`)).toMatchObject({ line: 1 });
    expect(ok(`${OPEN}\n{"op":"close","handle":"h"}\n{"op":"close","handle":"h"}`).steps.length).toBe(3);
  });

  test('close and exit', () => {
    expect(step(`${OPEN}\n{"op":"close","handle":"h"}`)).toEqual({ op: 'close', line: 2, handle: 'h' });
    expect(step(`${OPEN}\n{"op":"exit","process":"p9"}`)).toEqual({ op: 'exit', line: 2, process: 'p9' });
    expect(one('{"op":"exit"}')).toMatchObject({ field: 'process' });
  });
});

describe('power-cycle, reboot, inject', () => {
  test('power-cycle and reboot take no fields', () => {
    expect(ok('{"op":"power-cycle"}\n{"op":"reboot"}').steps).toEqual([{ op: 'power-cycle', line: 1 }, { op: 'reboot', line: 2 }]);
  });

  test('inject power-loss with afterWrites ≥ 0; band-failure with band', () => {
    expect(step('{"op":"inject","fault":"power-loss","afterWrites":0}', 0)).toEqual({ op: 'inject', line: 1, fault: 'power-loss', afterWrites: 0 });
    expect(step('{"op":"inject","fault":"band-failure","band":3}', 0)).toEqual({ op: 'inject', line: 1, fault: 'band-failure', band: 3 });
    expect(one('{"op":"inject","fault":"power-loss","afterWrites":-1}')).toMatchObject({ field: 'afterWrites' });
    expect(one('{"op":"inject","fault":"power-loss"}')).toMatchObject({ field: 'afterWrites' });
    expect(one('{"op":"inject","fault":"band-failure"}')).toMatchObject({ field: 'band' });
    expect(one('{"op":"inject","fault":"band-failure","band":1,"afterWrites":2}')).toMatchObject({ field: 'afterWrites' });
    expect(one('{"op":"inject","fault":"meteor"}')).toMatchObject({ field: 'fault' });
  });
});

describe('expect', () => {
  test('status as a name or hex, information, output hex (normalised, whitespace allowed)', () => {
    expect(step(`${OPEN}\n{"op":"close","handle":"h","expect":{"status":"STATUS_DEVICE_BUSY","information":0,"output":"AB cd"}}`).expect)
      .toEqual({ status: 0x80000011, information: 0, output: 'abcd' });
    expect(step(`${OPEN}\n{"op":"close","handle":"h","expect":{"status":"0xC0000022"}}`).expect).toEqual({ status: 0xc0000022 });
  });

  test('any op may carry expect', () => {
    expect(ok('{"op":"disk","expect":{"status":"STATUS_SUCCESS"}}\n{"op":"reboot","expect":{}}').steps.every((s) => s.expect !== undefined)).toBe(true);
  });

  test('bad expectations are named', () => {
    expect(one('{"op":"reboot","expect":{"status":"STATUS_FINE"}}')).toMatchObject({ field: 'expect.status' });
    expect(one('{"op":"reboot","expect":{"information":-1}}')).toMatchObject({ field: 'expect.information' });
    expect(one('{"op":"reboot","expect":{"output":"0"}}')).toMatchObject({ field: 'expect.output' });
    expect(one('{"op":"reboot","expect":{"ntstatus":"0x0"}}')).toMatchObject({ field: 'expect.ntstatus' });
    expect(one('{"op":"reboot","expect":"ok"}')).toMatchObject({ field: 'expect' });
  });
});

test('the op table of scenario-format.md is exactly the set the parser accepts', () => {
  const text = specText('scenario-format.md');
  const table = text.slice(text.indexOf('| op | fields | meaning |'), text.indexOf('`power-cycle` and `reboot` disarm'));
  const ops = [...new Set([...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!))];
  expect(new Set(ops)).toEqual(new Set(['disk', 'open', 'ioctl', 'read', 'write', 'close', 'exit', 'power-cycle', 'reboot', 'inject']));
  for (const op of ops) expect(one(`{"op":"${op}","zzz":1}`).field).toBe('zzz');
});
