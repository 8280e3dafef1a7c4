// Pins src/codecs/ioctl-codes.ts to spec/ioctl-codes.md and spec/data/ioctl-codes.json, read at test time:
// no number of the spec is retyped here.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as ioctl from '../../src/codecs/ioctl-codes';
import {
  IOCTL_CODES, ctlCode, decomposeCode, codeByName, codeByValue, codeName, codeNames, storageAlias,
  requiredAccess, parseCode, METHOD_BUFFERED, FILE_READ_ACCESS, FILE_WRITE_ACCESS,
  IOCTL_STORAGE_BASE, IOCTL_DISK_BASE, IOCTL_TAPE_BASE, IOCTL_CDROM_BASE, FILE_DEVICE_DVD,
  FILE_DEVICE_CONTROLLER, FILE_DEVICE_MASS_STORAGE, FILE_DEVICE_EHSTOR,
} from '../../src/codecs/ioctl-codes';
import { FILE_READ_DATA, FILE_WRITE_DATA } from '../../src/codecs/access-rights';
import { specDir } from '../support/spec';


interface SpecCode {
  name: string;
  value: number;
  hex: string;
  deviceType: number;
  function: number;
  method: number;
  access: number;
}

const SPEC_CODES: SpecCode[] = JSON.parse(
  fs.readFileSync(path.join(specDir(), 'data', 'ioctl-codes.json'), 'utf8'),
) as SpecCode[];

const SPEC_MD = fs.readFileSync(path.join(specDir(), 'ioctl-codes.md'), 'utf8');

/** The handler column of the §3 table (the JSON copy has no handler field). */
const SPEC_HANDLERS: Map<string, string> = new Map(
  SPEC_MD.slice(SPEC_MD.indexOf('\n## 3.'), SPEC_MD.indexOf('\n## 4.')).split('\n')
    .filter((line) => line.startsWith('| IOCTL_'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => [cells[1] as string, cells[8] as string]),
);

/** A §2 constant's value as the spec's constants table prints it. */
function specConstant(name: string): number {
  const m = new RegExp(`^\\| ${name} \\| (0x[0-9A-Fa-f]+)`, 'm').exec(SPEC_MD);
  if (m === null) throw new Error(`${name} not in ioctl-codes.md §2`);
  return Number.parseInt(m[1] as string, 16);
}

/** A code the §4 prose gives as an example, found by the sentence around it. */
function specExample(pattern: RegExp): number {
  const m = pattern.exec(SPEC_MD.replace(/\s+/g, ' '));
  if (m === null) throw new Error(`example ${pattern} not in ioctl-codes.md`);
  return Number.parseInt(m[1] as string, 16);
}

function spec(name: string): SpecCode {
  const c = SPEC_CODES.find((x) => x.name === name);
  if (c === undefined) throw new Error(`${name} not in ioctl-codes.json`);
  return c;
}

const LEGACY_DEVICE_TYPES = [IOCTL_DISK_BASE, IOCTL_TAPE_BASE, IOCTL_CDROM_BASE];

describe('the code table matches ioctl-codes.md §3', () => {
  test('the table holds exactly the spec codes, in the spec order', () => {
    expect(IOCTL_CODES.map((c) => c.name)).toEqual(SPEC_CODES.map((c) => c.name));
  });

  test.each(SPEC_CODES.map((c) => [c.name, c] as const))('%s has the spec value and fields', (_name, s) => {
    const c = codeByName(s.name);
    expect(c).toBeDefined();
    expect(c).toMatchObject({
      value: s.value, deviceType: s.deviceType, function: s.function, method: s.method, access: s.access,
    });
    expect(decomposeCode(s.value)).toEqual({
      deviceType: s.deviceType, access: s.access, function: s.function, method: s.method,
    });
    expect(ctlCode(s.deviceType, s.function, s.method, s.access)).toBe(s.value);
    expect(`0x${s.value.toString(16).toUpperCase().padStart(8, '0')}`).toBe(s.hex);
  });

  test.each(SPEC_CODES.map((c) => [c.name] as const))('%s is exported as a named constant', (name) => {
    expect((ioctl as Record<string, unknown>)[name]).toBe(spec(name).value);
  });

  test('every code has the handler the §3 table names', () => {
    expect(SPEC_HANDLERS.size).toBe(SPEC_CODES.length);
    for (const c of IOCTL_CODES) expect([c.name, c.handler]).toEqual([c.name, SPEC_HANDLERS.get(c.name)]);
  });

  test('every code is METHOD_BUFFERED', () => {
    for (const c of IOCTL_CODES) expect(c.method).toBe(METHOD_BUFFERED);
  });

  test('the §2 device-type and base constants have the spec values', () => {
    for (const name of ['FILE_DEVICE_CD_ROM', 'FILE_DEVICE_DISK', 'FILE_DEVICE_TAPE', 'FILE_DEVICE_MASS_STORAGE',
      'FILE_DEVICE_DVD', 'FILE_DEVICE_EHSTOR']) {
      expect([name, (ioctl as Record<string, unknown>)[name]]).toEqual([name, specConstant(name)]);
    }
    expect(IOCTL_STORAGE_BASE).toBe(FILE_DEVICE_MASS_STORAGE);
  });

  test('band codes use the STORAGE device type except RELINQUISH_SILO (note 2)', () => {
    for (const c of IOCTL_CODES.filter((x) => x.handler === 'band')) {
      expect([c.name, c.deviceType]).toEqual([
        c.name, c.name === 'IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO' ? FILE_DEVICE_EHSTOR : IOCTL_STORAGE_BASE,
      ]);
    }
  });
});

describe('lookups by value are well-defined for the shared value', () => {
  const shared = spec('IOCTL_DISK_FIND_NEW_DEVICES').value;

  test('IOCTL_TAPE_FIND_NEW_DEVICES has the same value as IOCTL_DISK_FIND_NEW_DEVICES', () => {
    expect(spec('IOCTL_TAPE_FIND_NEW_DEVICES').value).toBe(shared);
    expect(ioctl.IOCTL_TAPE_FIND_NEW_DEVICES).toBe(ioctl.IOCTL_DISK_FIND_NEW_DEVICES);
  });

  test('codeName of the shared value is the DISK name; codeNames lists both in spec order', () => {
    expect(codeName(shared)).toBe('IOCTL_DISK_FIND_NEW_DEVICES');
    expect(codeByValue(shared)?.name).toBe('IOCTL_DISK_FIND_NEW_DEVICES');
    expect(codeNames(shared)).toEqual(['IOCTL_DISK_FIND_NEW_DEVICES', 'IOCTL_TAPE_FIND_NEW_DEVICES']);
  });

  test('every other code name round-trips through its value', () => {
    for (const s of SPEC_CODES.filter((x) => x.name !== 'IOCTL_TAPE_FIND_NEW_DEVICES')) {
      expect(codeName(s.value)).toBe(s.name);
    }
  });

  test('unknown values and names give undefined', () => {
    const known = new Set(SPEC_CODES.map((c) => c.value));
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }).filter((v) => !known.has(v)), (v) => {
      expect(codeName(v)).toBeUndefined();
      expect(codeNames(v)).toEqual([]);
    }));
    expect(codeByName('ioctl_storage_reserve')).toBeUndefined();
    expect(codeByName('toString')).toBeUndefined();
  });
});

describe('CTL_CODE (ioctl-codes.md §1)', () => {
  const u32 = fc.nat({ max: 0xffffffff });

  test('decomposing then recomposing any 32-bit code gives it back', () => {
    fc.assert(fc.property(u32, (code) => {
      const p = decomposeCode(code);
      expect(ctlCode(p.deviceType, p.function, p.method, p.access)).toBe(code);
    }));
  });

  test('composing in-range fields then decomposing gives the fields back', () => {
    fc.assert(fc.property(
      fc.nat({ max: 0xffff }), fc.nat({ max: 0xfff }), fc.nat({ max: 3 }), fc.nat({ max: 3 }),
      (deviceType, fn, method, access) => {
        const code = ctlCode(deviceType, fn, method, access);
        expect(code).toBeGreaterThanOrEqual(0);
        expect(code).toBeLessThanOrEqual(0xffffffff);
        expect(decomposeCode(code)).toEqual({ deviceType, access, function: fn, method });
      },
    ));
  });

  test('out-of-range fields are masked to their widths and never spill into a neighbour', () => {
    fc.assert(fc.property(fc.integer(), fc.integer(), fc.integer(), fc.integer(), (d, f, m, a) => {
      expect(decomposeCode(ctlCode(d, f, m, a))).toEqual({
        deviceType: d & 0xffff, access: a & 3, function: f & 0xfff, method: m & 3,
      });
    }));
  });

  test('both functions are total: odd numbers never throw and give unsigned results', () => {
    const odd = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 2 ** 40));
    fc.assert(fc.property(odd, odd, odd, odd, (d, f, m, a) => {
      const code = ctlCode(d, f, m, a);
      expect(Number.isInteger(code) && code >= 0 && code <= 0xffffffff).toBe(true);
      const p = decomposeCode(d);
      expect(ctlCode(p.deviceType, p.function, p.method, p.access)).toBe(d >>> 0);
    }));
  });

  test('a code with the top device-type bit set stays positive', () => {
    expect(ctlCode(0xffff, 0xfff, 3, 3)).toBe(0xffffffff);
    expect(decomposeCode(-1)).toEqual({ deviceType: 0xffff, access: 3, function: 0xfff, method: 3 });
  });
});

describe('legacy alias remap (ioctl-codes.md §4)', () => {
  test('every alias row remaps to the class-driver STORAGE code of the same function and access', () => {
    for (const c of IOCTL_CODES.filter((x) => x.handler === 'alias')) {
      const target = codeByValue(storageAlias(c.value) ?? -1);
      expect([c.name, target?.handler]).toEqual([c.name, 'class']);
      expect(target?.name).toBe(c.name.replace(/^IOCTL_(DISK|TAPE|CDROM)_/, 'IOCTL_STORAGE_'));
    }
  });

  test('0x0007D01C (DISK base with PR_OUT function and access) remaps to IOCTL_STORAGE_PERSISTENT_RESERVE_OUT', () => {
    const prOut = spec('IOCTL_STORAGE_PERSISTENT_RESERVE_OUT');
    const legacy = ctlCode(spec('IOCTL_DISK_RESERVE').deviceType, prOut.function, prOut.method, prOut.access);
    expect(legacy).toBe(specExample(/so `?(0x[0-9A-Fa-f]{8})`? behaves as IOCTL_STORAGE_PERSISTENT_RESERVE_OUT/));
    expect(codeName(storageAlias(legacy) ?? -1)).toBe('IOCTL_STORAGE_PERSISTENT_RESERVE_OUT');
  });

  test('any function on a DISK, TAPE or CDROM base keeps its low 16 bits and moves to the STORAGE base', () => {
    fc.assert(fc.property(fc.constantFrom(...LEGACY_DEVICE_TYPES), fc.nat({ max: 0xffff }), (base, low) => {
      const code = ((base << 16) | low) >>> 0;
      expect(storageAlias(code)).toBe(((IOCTL_STORAGE_BASE << 16) | low) >>> 0);
    }));
  });

  test('DVD and controller/SCSI codes are not remapped', () => {
    for (const base of [FILE_DEVICE_DVD, FILE_DEVICE_CONTROLLER]) {
      for (const s of SPEC_CODES.filter((x) => x.deviceType === IOCTL_STORAGE_BASE)) {
        expect(storageAlias(ctlCode(base, s.function, s.method, s.access))).toBeUndefined();
      }
    }
  });

  test('codes of every other device type, including STORAGE itself, are not remapped', () => {
    const legacy = new Set(LEGACY_DEVICE_TYPES);
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }).filter((c) => !legacy.has(c >>> 16)), (code) => {
      expect(storageAlias(code)).toBeUndefined();
    }));
  });

  test('a remapped band function is not a band code: the result is an unknown STORAGE value only', () => {
    const erase = spec('IOCTL_EHSTOR_BANDMGMT_ERASE_BAND');
    const legacy = ctlCode(IOCTL_DISK_BASE, erase.function, erase.method, erase.access);
    expect(legacy).toBe(specExample(/`(0x[0-9A-Fa-f]{8})` is \*not\* ERASE_BAND/));
    // storageAlias is the pure bit rule; that vdisk treats the result as unknown (§4 last bullet) is the
    // dispatcher's job, which consults only class rows after a remap.
    expect(storageAlias(legacy)).toBe(erase.value);
  });
});

describe('required access (io-manager.md §2)', () => {
  test('each code demands FILE_READ_DATA for access bit 1 and FILE_WRITE_DATA for access bit 2', () => {
    for (const s of SPEC_CODES) {
      const want = (s.access & FILE_READ_ACCESS ? FILE_READ_DATA : 0) | (s.access & FILE_WRITE_ACCESS ? FILE_WRITE_DATA : 0);
      expect([s.name, requiredAccess(s.value)]).toEqual([s.name, want]);
    }
  });

  test('FILE_READ_ACCESS equals FILE_READ_DATA and FILE_WRITE_ACCESS equals FILE_WRITE_DATA', () => {
    expect(FILE_READ_ACCESS).toBe(FILE_READ_DATA);
    expect(FILE_WRITE_ACCESS).toBe(FILE_WRITE_DATA);
  });

  test('PERSISTENT_RESERVE_OUT needs read and write; CHECK_VERIFY2 needs nothing', () => {
    expect(requiredAccess(ioctl.IOCTL_STORAGE_PERSISTENT_RESERVE_OUT)).toBe(FILE_READ_DATA | FILE_WRITE_DATA);
    expect(requiredAccess(ioctl.IOCTL_STORAGE_CHECK_VERIFY2)).toBe(0);
  });

  test('required access of any code is its access bits, and the alias keeps them', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (code) => {
      expect(requiredAccess(code)).toBe((code >>> 14) & 3);
      const alias = storageAlias(code);
      if (alias !== undefined) expect(requiredAccess(alias)).toBe(requiredAccess(code));
    }));
  });
});

describe('parseCode (scenario-format.md `ioctl.code`)', () => {
  test('accepts every name, its decimal text, its hex text in either case, and the number', () => {
    for (const s of SPEC_CODES) {
      expect(parseCode(s.name)).toBe(s.value);
      expect(parseCode(String(s.value))).toBe(s.value);
      expect(parseCode(s.hex)).toBe(s.value);
      expect(parseCode(s.hex.toLowerCase())).toBe(s.value);
      expect(parseCode(` ${s.hex} `)).toBe(s.value);
      expect(parseCode(s.value)).toBe(s.value);
    }
  });

  test('accepts unknown codes given as numbers: the dispatcher, not the parser, rejects them', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (v) => {
      expect(parseCode(v)).toBe(v);
      expect(parseCode(`0x${v.toString(16)}`)).toBe(v);
      expect(parseCode(String(v))).toBe(v);
    }));
  });

  test.each([
    ['empty', ''], ['unknown name', 'IOCTL_STORAGE_NOPE'], ['lower-case name', 'ioctl_storage_reserve'],
    ['bare 0x', '0x'], ['hex past 32 bits', '0x100000000'], ['decimal past 32 bits', '4294967296'],
    ['negative', '-1'], ['fraction', '1.5'], ['exponent', '1e3'], ['hex junk', '0x12G4'],
    ['prototype key', 'constructor'],
  ])('rejects %s text', (_what, text) => {
    expect(parseCode(text)).toBeUndefined();
  });

  test.each([[-1], [1.5], [NaN], [Infinity], [2 ** 32]])('rejects the number %p', (n) => {
    expect(parseCode(n)).toBeUndefined();
  });

  test('never throws on any string', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const v = parseCode(s);
      expect(v === undefined || (Number.isInteger(v) && v >= 0 && v <= 0xffffffff)).toBe(true);
    }));
  });
});
