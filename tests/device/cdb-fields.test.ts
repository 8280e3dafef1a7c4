// The handlers' CDB field readers (src/device/cdb-fields.ts) read what the layout DSL's decode reads from the
// same bytes — for any bytes, and for a CDB at any offset inside a larger buffer. Positions are not
// re-pinned here: layout-contract.test.ts checks the declarations against spec/data/layouts.json.
import fc from 'fast-check';
import type { Layout } from '../../src/codecs/layout';
import { layouts, type LayoutName } from '../../src/codecs/layouts';
import { CDB_FIELDS, RESERVE6_OBSOLETE, zeroBytes } from '../../src/device/cdb-fields';

/** A CDB-sized window (16 bytes, the LU's padded CDB) at a random offset of a random buffer. */
const placed = fc.nat({ max: 8 }).chain((at) =>
  fc.record({ at: fc.constant(at), bytes: fc.uint8Array({ minLength: at + 16, maxLength: at + 24 }) }));

function decoded(layout: LayoutName, bytes: Uint8Array, at: number): Record<string, unknown> {
  const r = (layouts[layout] as Layout<unknown>).decode(bytes, at);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as Record<string, unknown>;
}

/** [group in CDB_FIELDS, layout it reads] — RESERVE10's readers serve RELEASE(10) too. */
const GROUPS: Array<[keyof typeof CDB_FIELDS, LayoutName]> = [
  ['INQUIRY', 'CDB_INQUIRY'],
  ['READ_CAPACITY10', 'CDB_READ_CAPACITY10'],
  ['READ_CAPACITY16', 'CDB_READ_CAPACITY16'],
  ['READ10', 'CDB_READ10'],
  ['WRITE10', 'CDB_WRITE10'],
  ['READ16', 'CDB_READ16'],
  ['WRITE16', 'CDB_WRITE16'],
  ['START_STOP_UNIT', 'CDB_START_STOP_UNIT'],
  ['PREVENT_ALLOW_MEDIUM_REMOVAL', 'CDB_PREVENT_ALLOW_MEDIUM_REMOVAL'],
  ['RESERVE10', 'CDB_RESERVE10'],
  ['RESERVE10', 'CDB_RELEASE10'],
  ['PERSISTENT_RESERVE_IN', 'CDB_PERSISTENT_RESERVE_IN'],
  ['PERSISTENT_RESERVE_OUT', 'CDB_PERSISTENT_RESERVE_OUT'],
];

describe('CDB_FIELDS readers agree with the layout decoder', () => {
  test.each(GROUPS)('every %s reader returns what decode of %s returns', (group, layout) => {
    const readers = Object.entries(CDB_FIELDS[group]) as Array<[string, (b: Uint8Array, at: number) => number | bigint]>;
    fc.assert(fc.property(placed, ({ bytes, at }) => {
      const value = decoded(layout, bytes, at);
      for (const [name, read] of readers) expect([name, read(bytes, at)]).toEqual([name, value[name]]);
    }));
  });

  test('a 64-bit LBA keeps every bit (no wrap through Number)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (lba) => {
      const cdb = layouts.CDB_READ16.bytes({ OPERATION_CODE: 0x88, LOGICAL_BLOCK_ADDRESS: lba });
      expect(CDB_FIELDS.READ16.LOGICAL_BLOCK_ADDRESS(cdb, 0)).toBe(lba);
    }));
  });
});

describe('RESERVE(6)/RELEASE(6) Obsolete check', () => {
  test.each(['CDB_RESERVE6', 'CDB_RELEASE6'] as const)('zeroBytes over RESERVE6_OBSOLETE is "decode of %s has Obsolete all zero"', (layout) => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, clear) => {
      if (clear) bytes.fill(0, 1, 5);
      const obsolete = decoded(layout, bytes, 0).Obsolete as Uint8Array;
      expect(zeroBytes(bytes, RESERVE6_OBSOLETE[0], RESERVE6_OBSOLETE[1])).toBe(obsolete.every((b) => b === 0));
    }));
  });
});

