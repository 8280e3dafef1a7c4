// Pins src/codecs/ntstatus.ts to spec/ntstatus.md and spec/data/ntstatus.json, read at test time: no number
// of the spec is retyped here.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as nt from '../../src/codecs/ntstatus';
import { specDir } from '../support/spec';
import {
  NTSTATUS_TABLE, statusName, statusByName, statusInfo, parseStatus, severity, ntSuccess, ntError, ntWarning,
  ntInformation, hexStatus, win32Error, ERROR_MR_MID_NOT_FOUND, type Severity,
} from '../../src/codecs/ntstatus';


interface SpecStatus {
  name: string;
  value: number;
  hex: string;
  win32Name: string;
  win32: number;
}

const SPEC_STATUSES: SpecStatus[] = JSON.parse(
  fs.readFileSync(path.join(specDir(), 'data', 'ntstatus.json'), 'utf8'),
) as SpecStatus[];

const SPEC_MD = fs.readFileSync(path.join(specDir(), 'ntstatus.md'), 'utf8');

/** The severity column of the §2 table (the JSON copy has none). */
const SPEC_SEVERITY: Map<string, string> = new Map(
  SPEC_MD.slice(SPEC_MD.indexOf('\n## 2.'), SPEC_MD.indexOf('\n## 3.')).split('\n')
    .filter((line) => line.startsWith('| STATUS_'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => [cells[1] as string, cells[3] as string]),
);

/** ERROR_MR_MID_NOT_FOUND's number as §1 quotes it. */
const SPEC_MR_MID_NOT_FOUND = Number(/ERROR_MR_MID_NOT_FOUND \((\d+)\)/.exec(SPEC_MD)?.[1]);

const u32 = fc.nat({ max: 0xffffffff });
const KNOWN = new Set(SPEC_STATUSES.map((s) => s.value));

describe('the status table matches ntstatus.md §2', () => {
  test('the table holds exactly the spec statuses, in the spec order', () => {
    expect(NTSTATUS_TABLE.map((s) => s.name)).toEqual(SPEC_STATUSES.map((s) => s.name));
  });

  test.each(SPEC_STATUSES.map((s) => [s.name, s] as const))('%s has the spec value and Win32 error', (_n, s) => {
    expect(statusByName(s.name)).toEqual({ name: s.name, value: s.value, win32Name: s.win32Name, win32: s.win32 });
    expect((nt as Record<string, unknown>)[s.name]).toBe(s.value);
    expect(statusName(s.value)).toBe(s.name);
    expect(statusInfo(s.value)?.name).toBe(s.name);
    expect(hexStatus(s.value)).toBe(s.hex);
    expect(win32Error(s.value)).toBe(s.win32);
  });

  test('every status has the severity the §2 table names', () => {
    expect(SPEC_SEVERITY.size).toBe(SPEC_STATUSES.length);
    for (const s of SPEC_STATUSES) expect([s.name, severity(s.value)]).toEqual([s.name, SPEC_SEVERITY.get(s.name)]);
  });

  test('every value is a non-negative unsigned 32-bit number', () => {
    for (const s of NTSTATUS_TABLE) {
      expect(Number.isInteger(s.value) && s.value >= 0 && s.value <= 0xffffffff).toBe(true);
    }
  });

  test('values are unique, so statusName is well-defined', () => {
    expect(KNOWN.size).toBe(SPEC_STATUSES.length);
  });

  test('ERROR_MR_MID_NOT_FOUND is the value §1 quotes', () => {
    expect(ERROR_MR_MID_NOT_FOUND).toBe(SPEC_MR_MID_NOT_FOUND);
  });
});

describe('names and hex text', () => {
  test('statusName of an unnamed status is its 0xXXXXXXXX text', () => {
    fc.assert(fc.property(u32.filter((v) => !KNOWN.has(v)), (v) => {
      expect(statusName(v)).toBe(hexStatus(v));
      expect(statusName(v)).toMatch(/^0x[0-9A-F]{8}$/);
    }));
  });

  test('hexStatus is lower-case 0x and eight upper-case digits, and reads back as the value', () => {
    fc.assert(fc.property(u32, (v) => {
      const h = hexStatus(v);
      expect(h).toMatch(/^0x[0-9A-F]{8}$/);
      expect(Number.parseInt(h.slice(2), 16)).toBe(v);
    }));
  });

  test('hexStatus of a negative (signed) reading prints the unsigned status', () => {
    const denied = statusByName('STATUS_ACCESS_DENIED');
    expect(hexStatus((denied?.value ?? 0) | 0)).toBe(hexStatus(denied?.value ?? 0));
  });

  test('statusByName is exact and ignores prototype keys', () => {
    expect(statusByName('status_success')).toBeUndefined();
    expect(statusByName('constructor')).toBeUndefined();
  });

  test('parseStatus accepts names and hex text, and rejects anything else', () => {
    for (const s of SPEC_STATUSES) {
      expect(parseStatus(s.name)).toBe(s.value);
      expect(parseStatus(s.hex)).toBe(s.value);
      expect(parseStatus(s.hex.toLowerCase())).toBe(s.value);
      expect(parseStatus(s.value)).toBe(s.value);
    }
    for (const bad of ['', 'STATUS_NOPE', '0x', '0x123456789', '0xC000002G', '-1']) expect(parseStatus(bad)).toBeUndefined();
    for (const bad of [-1, 0.5, NaN, 2 ** 32]) expect(parseStatus(bad)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (s) => {
      const v = parseStatus(s);
      expect(v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff)).toBe(true);
    }));
  });
});

describe('severity and the NT_* macros (ntstatus.md §1)', () => {
  const ORDER: Severity[] = ['success', 'informational', 'warning', 'error'];

  test('severity is bits 30-31 of the status', () => {
    fc.assert(fc.property(u32, (v) => {
      expect(severity(v)).toBe(ORDER[Math.floor(v / 2 ** 30)]);
    }));
  });

  test('NT_SUCCESS holds for success and informational only; a warning is not a success', () => {
    fc.assert(fc.property(u32, (v) => {
      const sev = severity(v);
      expect(ntSuccess(v)).toBe(sev === 'success' || sev === 'informational');
      expect(ntInformation(v)).toBe(sev === 'informational');
      expect(ntWarning(v)).toBe(sev === 'warning');
      expect(ntError(v)).toBe(sev === 'error');
    }));
  });

  test('the macros agree whether the status is read signed or unsigned', () => {
    fc.assert(fc.property(u32, (v) => {
      const s = v | 0;
      expect([severity(s), ntSuccess(s), ntInformation(s), ntWarning(s), ntError(s)])
        .toEqual([severity(v), ntSuccess(v), ntInformation(v), ntWarning(v), ntError(v)]);
    }));
  });

  test('the spec warnings are not NT_SUCCESS', () => {
    for (const s of SPEC_STATUSES.filter((x) => SPEC_SEVERITY.get(x.name) === 'warning')) {
      expect([s.name, ntSuccess(s.value), ntWarning(s.value)]).toEqual([s.name, false, true]);
    }
  });
});

describe('win32Error follows Wine RtlNtStatusToDosError generic rules (ntstatus.md §1)', () => {
  const CUSTOMER = 0x20000000;

  test('0 maps to 0', () => {
    expect(win32Error(0)).toBe(0);
  });

  test('any status with the customer bit maps to itself', () => {
    fc.assert(fc.property(u32, (v) => {
      const c = (v | CUSTOMER) >>> 0;
      expect(win32Error(c)).toBe(c);
    }));
  });

  test('0xDxxxxxxx maps as the 0xCxxxxxxx status with the same low bits', () => {
    for (const s of SPEC_STATUSES.filter((x) => x.value >>> 28 === 0xc)) {
      const d = (s.value | 0x10000000) >>> 0;
      expect([hexStatus(d), win32Error(d)]).toEqual([hexStatus(d), s.win32]);
    }
    fc.assert(fc.property(fc.nat({ max: 0x0fffffff }), (low) => {
      expect(win32Error((0xd0000000 | low) >>> 0)).toBe(win32Error((0xc0000000 | low) >>> 0));
    }));
  });

  test('0xC001xxxx, 0xD001xxxx and 0x8007xxxx map to their low 16 bits', () => {
    fc.assert(fc.property(fc.constantFrom(0xc001, 0xd001, 0x8007), fc.nat({ max: 0xffff }), (hi, low) => {
      expect(win32Error(((hi << 16) | low) >>> 0)).toBe(low);
    }));
  });

  test('a status the table does not map gives ERROR_MR_MID_NOT_FOUND', () => {
    const generic = (v: number) => v === 0 || (v & CUSTOMER) !== 0 || [0xc001, 0xd001, 0x8007].includes(v >>> 16);
    const mapped = (v: number) => KNOWN.has(v) || (v >>> 28 === 0xd && KNOWN.has((v & ~0x10000000) >>> 0));
    fc.assert(fc.property(u32.filter((v) => !generic(v) && !mapped(v)), (v) => {
      expect(win32Error(v)).toBe(SPEC_MR_MID_NOT_FOUND);
    }));
  });

  test('win32Error is total and unsigned for any number', () => {
    fc.assert(fc.property(fc.oneof(fc.double(), fc.integer()), (v) => {
      const e = win32Error(v);
      expect(Number.isInteger(e) && e >= 0 && e <= 0xffffffff).toBe(true);
    }));
  });
});
