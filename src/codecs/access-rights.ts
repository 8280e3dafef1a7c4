// Access rights of a handle and the generic mapping the I/O manager applies when it is opened
// (spec/io-manager.md §2; SDK 10.0.16299 winnt.h, mingw-w64 agrees). One declaration: the named constants,
// the name table that scenario files use and the generic mapping all read it.

/** Specific and standard rights, and the generic bits, as winnt.h defines them (io-manager.md §2). */
const SPECIFIC_AND_STANDARD = {
  FILE_READ_DATA: 0x00000001,
  FILE_WRITE_DATA: 0x00000002,
  FILE_APPEND_DATA: 0x00000004,
  FILE_READ_EA: 0x00000008,
  FILE_WRITE_EA: 0x00000010,
  FILE_EXECUTE: 0x00000020,
  FILE_READ_ATTRIBUTES: 0x00000080,
  FILE_WRITE_ATTRIBUTES: 0x00000100,
  DELETE: 0x00010000,
  READ_CONTROL: 0x00020000,
  WRITE_DAC: 0x00040000,
  WRITE_OWNER: 0x00080000,
  SYNCHRONIZE: 0x00100000,
  GENERIC_READ: 0x80000000,
  GENERIC_WRITE: 0x40000000,
  GENERIC_EXECUTE: 0x20000000,
  GENERIC_ALL: 0x10000000,
  MAXIMUM_ALLOWED: 0x02000000,
} as const;

const R = SPECIFIC_AND_STANDARD;

/**
 * The composite rights, built from their parts as winnt.h builds them, so the parts and the whole cannot
 * disagree; the test checks each result against the value printed in io-manager.md §2.
 */
const COMPOSITE = {
  FILE_GENERIC_READ: R.READ_CONTROL | R.FILE_READ_DATA | R.FILE_READ_ATTRIBUTES | R.FILE_READ_EA | R.SYNCHRONIZE,
  FILE_GENERIC_WRITE:
    R.READ_CONTROL | R.FILE_WRITE_DATA | R.FILE_WRITE_ATTRIBUTES | R.FILE_WRITE_EA | R.FILE_APPEND_DATA |
    R.SYNCHRONIZE,
  FILE_GENERIC_EXECUTE: R.READ_CONTROL | R.FILE_READ_ATTRIBUTES | R.FILE_EXECUTE | R.SYNCHRONIZE,
  // winnt.h: STANDARD_RIGHTS_REQUIRED (DELETE | READ_CONTROL | WRITE_DAC | WRITE_OWNER) | SYNCHRONIZE | 0x1FF,
  // where 0x1FF is every specific file right (including FILE_DELETE_CHILD 0x40, not listed in the spec).
  FILE_ALL_ACCESS: R.DELETE | R.READ_CONTROL | R.WRITE_DAC | R.WRITE_OWNER | R.SYNCHRONIZE | 0x1ff,
} as const;

/** Name of a right that io-manager.md §2 lists; every one is accepted in a scenario's `access` array. */
export type AccessRightName = keyof typeof SPECIFIC_AND_STANDARD | keyof typeof COMPOSITE;

/** Every right of io-manager.md §2 by name, values unsigned 32-bit. */
export const ACCESS_RIGHTS: Readonly<Record<AccessRightName, number>> = Object.freeze(
  Object.fromEntries(
    Object.entries({ ...SPECIFIC_AND_STANDARD, ...COMPOSITE }).map(([name, value]) => [name, value >>> 0]),
  ) as Record<AccessRightName, number>,
);

export const {
  FILE_READ_DATA, FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_READ_EA, FILE_WRITE_EA, FILE_EXECUTE,
  FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES, DELETE, READ_CONTROL, WRITE_DAC, WRITE_OWNER, SYNCHRONIZE,
  FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS,
  GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL, MAXIMUM_ALLOWED,
} = ACCESS_RIGHTS;

/**
 * The generic mapping of file and device objects (ReactOS iomgr.c IopFileMapping; io-manager.md §2), plus
 * vdisk's rule that MAXIMUM_ALLOWED is granted as FILE_ALL_ACCESS (the disk has no security descriptor).
 */
const GENERIC_MAPPING: ReadonlyArray<readonly [bit: number, grants: number]> = [
  [GENERIC_READ, FILE_GENERIC_READ],
  [GENERIC_WRITE, FILE_GENERIC_WRITE],
  [GENERIC_EXECUTE, FILE_GENERIC_EXECUTE],
  [GENERIC_ALL, FILE_ALL_ACCESS],
  [MAXIMUM_ALLOWED, FILE_ALL_ACCESS],
];

const MAPPED_BITS = GENERIC_MAPPING.reduce((all, [bit]) => all | bit, 0) >>> 0;

/**
 * The access a handle is granted for `requested` (io-manager.md §2, "vdisk:" paragraph): each generic bit
 * and MAXIMUM_ALLOWED is replaced by the rights it maps to — they are removed, as RtlMapGenericMask removes
 * them, so a granted mask never holds a generic bit — and every other bit is kept, meaningful or not.
 * Total: the input is taken modulo 2^32 (`>>> 0`); the result is unsigned 32-bit.
 */
export function mapGenericAccess(requested: number): number {
  const bits = requested >>> 0;
  let granted = bits & ~MAPPED_BITS;
  for (const [bit, grants] of GENERIC_MAPPING) {
    if ((bits & bit) !== 0) granted |= grants;
  }
  return granted >>> 0;
}

export interface AccessParseError {
  readonly error: string;
}

function isRightName(name: string): name is AccessRightName {
  return Object.prototype.hasOwnProperty.call(ACCESS_RIGHTS, name);
}

/**
 * The requested access of a scenario `open` op (scenario-format.md): a number (an integer 0..0xFFFFFFFF) or
 * an array of right names from io-manager.md §2, OR-ed together; `[]` is 0, a legal open. Returns the
 * *requested* mask — apply mapGenericAccess to get what is granted. Takes `unknown` because it reads
 * parsed JSON; never throws, bad input gives `{error}` naming the offending value.
 */
export function parseAccess(value: unknown): number | AccessParseError {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      return { error: `access ${String(value)} is not an integer from 0 to 0xFFFFFFFF` };
    }
    return value >>> 0;
  }
  if (!Array.isArray(value)) {
    return { error: 'access must be a number or an array of right names' };
  }
  let mask = 0;
  for (let i = 0; i < value.length; i++) {
    const name: unknown = value[i];
    if (typeof name !== 'string') {
      return { error: `access[${i}] is not a string` };
    }
    if (!isRightName(name)) {
      return { error: `access[${i}]: unknown right name ${JSON.stringify(name)}` };
    }
    mask |= ACCESS_RIGHTS[name];
  }
  return mask >>> 0;
}
