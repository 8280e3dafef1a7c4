// Pins src/codecs/access-rights.ts to the rights table and generic mapping of spec/io-manager.md §2 and the
// right names of spec/scenario-format.md, read at test time: no number of the spec is retyped here.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as rights from '../../src/codecs/access-rights';
import { ACCESS_RIGHTS, mapGenericAccess, parseAccess } from '../../src/codecs/access-rights';
import { specDir } from '../support/spec';


const IO_MANAGER_MD = fs.readFileSync(path.join(specDir(), 'io-manager.md'), 'utf8');
const SECTION_2 = IO_MANAGER_MD.slice(IO_MANAGER_MD.indexOf('\n## 2.'), IO_MANAGER_MD.indexOf('\n## 3.'));

interface SpecRight {
  name: string;
  value: number;
  /** the rights a composite row lists in parentheses, e.g. FILE_GENERIC_READ's */
  parts: string[];
}

/**
 * The rights table of §2. Rows like `| A / B | 0x1 / 0x2 |` hold several rights; a composite row's value
 * cell may list its parts in parentheses.
 */
const SPEC_RIGHTS: SpecRight[] = SECTION_2.split('\n')
  .filter((line) => /^\| [A-Z_]+( \/ [A-Z_]+)* \| 0x/.test(line))
  .flatMap((line) => {
    const [, nameCell = '', valueCell = ''] = line.split('|').map((c) => c.trim());
    const names = nameCell.split(' / ');
    const values = valueCell.match(/0x[0-9A-Fa-f]{8}/g) ?? [];
    if (names.length !== values.length) throw new Error(`cannot read rights row: ${line}`);
    const parts = /\(([A-Z_, ]+)\)/.exec(valueCell)?.[1]?.split(',').map((p) => p.trim()) ?? [];
    return names.map((name, i) => ({ name, value: Number.parseInt(values[i] as string, 16), parts }));
  });

const specValue = (name: string): number => {
  const r = SPEC_RIGHTS.find((x) => x.name === name);
  if (r === undefined) throw new Error(`${name} not in io-manager.md §2`);
  return r.value;
};

/** "GENERIC_READ → FILE_GENERIC_READ, …" from the generic-mapping paragraph. */
const SPEC_MAPPING: Array<[string, string]> = [...SECTION_2.replace(/\s+/g, ' ').matchAll(/(GENERIC_[A-Z]+) → (FILE_[A-Z_]+)/g)]
  .map((m) => [m[1] as string, m[2] as string]);

/** The right names scenario-format.md lists for `access`. */
const SCENARIO_FORMAT_MD = fs.readFileSync(path.join(specDir(), 'scenario-format.md'), 'utf8');
const SCENARIO_NAMES: string[] = [
  ...(/Right names for `access`:([^.]*)/.exec(SCENARIO_FORMAT_MD.replace(/\s+/g, ' '))?.[1] ?? '').matchAll(/`([A-Z_]+)`/g),
].map((m) => m[1] as string);

const u32 = fc.nat({ max: 0xffffffff });
const GENERIC_BITS = ['GENERIC_READ', 'GENERIC_WRITE', 'GENERIC_EXECUTE', 'GENERIC_ALL', 'MAXIMUM_ALLOWED']
  .reduce((all, n) => all | specValue(n), 0) >>> 0;

describe('the rights table matches io-manager.md §2', () => {
  test('the spec table was read (every row, including the "A / B" rows)', () => {
    expect(SPEC_RIGHTS.map((r) => r.name)).toEqual(expect.arrayContaining(['FILE_READ_EA', 'FILE_WRITE_EA', 'WRITE_OWNER']));
    expect(SPEC_RIGHTS.length).toBe(Object.keys(ACCESS_RIGHTS).length);
  });

  test.each(SPEC_RIGHTS.map((r) => [r.name, r] as const))('%s has the spec value', (_n, r) => {
    expect(ACCESS_RIGHTS[r.name as keyof typeof ACCESS_RIGHTS]).toBe(r.value);
    expect((rights as Record<string, unknown>)[r.name]).toBe(r.value);
  });

  test('a composite right is exactly the OR of the parts the spec lists', () => {
    const composites = SPEC_RIGHTS.filter((r) => r.parts.length > 0);
    expect(composites.map((r) => r.name)).toEqual(['FILE_GENERIC_READ', 'FILE_GENERIC_WRITE']);
    for (const r of composites) {
      expect(r.parts.reduce((all, p) => all | specValue(p), 0) >>> 0).toBe(r.value);
    }
  });

  test('every value is a non-negative unsigned 32-bit number', () => {
    for (const v of Object.values(ACCESS_RIGHTS)) expect(v >= 0 && v <= 0xffffffff && Number.isInteger(v)).toBe(true);
  });
});

describe('generic mapping (io-manager.md §2)', () => {
  test('the spec mapping paragraph was read', () => {
    expect(SPEC_MAPPING.map(([g]) => g)).toEqual(['GENERIC_READ', 'GENERIC_WRITE', 'GENERIC_EXECUTE', 'GENERIC_ALL']);
  });

  test.each(SPEC_MAPPING)('%s alone is granted as %s', (generic, mapped) => {
    expect(mapGenericAccess(specValue(generic))).toBe(specValue(mapped));
  });

  test('MAXIMUM_ALLOWED is granted as FILE_ALL_ACCESS', () => {
    expect(mapGenericAccess(specValue('MAXIMUM_ALLOWED'))).toBe(specValue('FILE_ALL_ACCESS'));
  });

  test('GENERIC_READ grants FILE_READ_DATA and GENERIC_WRITE grants FILE_WRITE_DATA', () => {
    expect(mapGenericAccess(specValue('GENERIC_READ')) & specValue('FILE_READ_DATA')).toBe(specValue('FILE_READ_DATA'));
    expect(mapGenericAccess(specValue('GENERIC_WRITE')) & specValue('FILE_WRITE_DATA')).toBe(specValue('FILE_WRITE_DATA'));
  });

  test('FILE_READ_ATTRIBUTES, SYNCHRONIZE or 0 hold neither FILE_READ_DATA nor FILE_WRITE_DATA', () => {
    const data = specValue('FILE_READ_DATA') | specValue('FILE_WRITE_DATA');
    for (const requested of [specValue('FILE_READ_ATTRIBUTES'), specValue('SYNCHRONIZE'), 0]) {
      expect(mapGenericAccess(requested) & data).toBe(0);
    }
  });

  test('a request without generic bits is granted exactly as requested, meaningless bits included', () => {
    fc.assert(fc.property(u32, (v) => {
      const plain = (v & ~GENERIC_BITS) >>> 0;
      expect(mapGenericAccess(plain)).toBe(plain);
    }));
  });

  test('the grant is the OR of the mapping of each generic bit and the other bits, never a generic bit', () => {
    const mapping: Array<[number, number]> = [
      ...SPEC_MAPPING.map(([g, m]): [number, number] => [specValue(g), specValue(m)]),
      [specValue('MAXIMUM_ALLOWED'), specValue('FILE_ALL_ACCESS')],
    ];
    fc.assert(fc.property(u32, (v) => {
      const want = mapping.reduce((all, [bit, grants]) => ((v & bit) !== 0 ? all | grants : all), v & ~GENERIC_BITS) >>> 0;
      const got = mapGenericAccess(v);
      expect(got).toBe(want);
      expect(got & GENERIC_BITS).toBe(0);
      expect(mapGenericAccess(got)).toBe(got);
    }));
  });

  test('mapGenericAccess is total: any number gives an unsigned 32-bit mask', () => {
    fc.assert(fc.property(fc.oneof(fc.double(), fc.integer()), (v) => {
      const g = mapGenericAccess(v);
      expect(Number.isInteger(g) && g >= 0 && g <= 0xffffffff).toBe(true);
    }));
  });
});

describe('parseAccess (scenario-format.md `open.access`)', () => {
  test('accepts every right name the scenario format lists', () => {
    expect(SCENARIO_NAMES.length).toBeGreaterThan(0);
    for (const name of SCENARIO_NAMES) expect([name, parseAccess([name])]).toEqual([name, specValue(name)]);
  });

  test('accepts every name of the io-manager.md rights table', () => {
    for (const r of SPEC_RIGHTS) expect([r.name, parseAccess([r.name])]).toEqual([r.name, r.value]);
  });

  test('ORs the named rights and keeps them unmapped (the default GENERIC_READ + GENERIC_WRITE)', () => {
    expect(parseAccess(['GENERIC_READ', 'GENERIC_WRITE'])).toBe((specValue('GENERIC_READ') | specValue('GENERIC_WRITE')) >>> 0);
    expect(parseAccess(['FILE_READ_DATA', 'FILE_READ_DATA'])).toBe(specValue('FILE_READ_DATA'));
  });

  test('an empty array is access 0, a legal open', () => {
    expect(parseAccess([])).toBe(0);
  });

  test('accepts any 32-bit integer as a number', () => {
    fc.assert(fc.property(u32, (v) => {
      expect(parseAccess(v)).toBe(v);
    }));
  });

  test.each([
    ['a negative number', -1], ['a fraction', 1.5], ['NaN', NaN], ['a number past 32 bits', 2 ** 32],
    ['an unknown name', ['FILE_READ_DATA', 'READ_EVERYTHING']], ['a lower-case name', ['generic_read']],
    ['a prototype key', ['toString']], ['a non-string element', [1]], ['a string', 'GENERIC_READ'],
    ['null', null], ['an object', {}],
  ])('rejects %s with an error message', (_what, value) => {
    const r = parseAccess(value);
    expect(typeof r).toBe('object');
    expect(typeof (r as { error: unknown }).error).toBe('string');
  });

  test('the error names the offending element', () => {
    expect(parseAccess(['FILE_READ_DATA', 'READ_EVERYTHING'])).toEqual({ error: expect.stringContaining('access[1]') });
    expect(parseAccess(['FILE_READ_DATA', 'READ_EVERYTHING'])).toEqual({ error: expect.stringContaining('READ_EVERYTHING') });
  });

  test('never throws on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const r = parseAccess(v);
      expect(typeof r === 'number' || typeof r.error === 'string').toBe(true);
    }));
  });
});
