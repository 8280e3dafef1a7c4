// IOCTL codes: the CTL_CODE formula, the code table of spec/ioctl-codes.md §3, the legacy alias remap of §4
// and the access a code demands (io-manager.md §2). The dispatcher, the CLI listing, the scenario parser and
// the fuzzer all read the one declaration below (STYLE.md "The dispatch table").

import { FILE_READ_DATA, FILE_WRITE_DATA } from './access-rights';

// ---- §2 constants (SDK 10.0.16299 devioctl.h, ntddstor.h, ntdddisk.h, ntddtape.h, ntddcdrm.h) ----

export const FILE_DEVICE_CD_ROM = 0x0002;
/** devioctl.h; ioctl-codes.md §4 names it as a device type the alias rule does *not* remap. */
export const FILE_DEVICE_CONTROLLER = 0x0004;
export const FILE_DEVICE_DISK = 0x0007;
export const FILE_DEVICE_TAPE = 0x001f;
export const FILE_DEVICE_MASS_STORAGE = 0x002d;
export const FILE_DEVICE_DVD = 0x0033;
export const FILE_DEVICE_EHSTOR = 0x0046;

export const IOCTL_STORAGE_BASE = FILE_DEVICE_MASS_STORAGE;
export const IOCTL_DISK_BASE = FILE_DEVICE_DISK;
export const IOCTL_TAPE_BASE = FILE_DEVICE_TAPE;
export const IOCTL_CDROM_BASE = FILE_DEVICE_CD_ROM;
/** ntddscsi.h: the SCSI port codes; not remapped (§4). */
export const IOCTL_SCSI_BASE = FILE_DEVICE_CONTROLLER;

export const METHOD_BUFFERED = 0;
export const METHOD_IN_DIRECT = 1;
export const METHOD_OUT_DIRECT = 2;
export const METHOD_NEITHER = 3;

export const FILE_ANY_ACCESS = 0;
/** Checked by the I/O manager exactly like FILE_ANY_ACCESS (devioctl.h comment, §2). */
export const FILE_SPECIAL_ACCESS = FILE_ANY_ACCESS;
/** Must equal FILE_READ_DATA (§2). */
export const FILE_READ_ACCESS = 1;
/** Must equal FILE_WRITE_DATA (§2). */
export const FILE_WRITE_ACCESS = 2;

const READ_WRITE = FILE_READ_ACCESS | FILE_WRITE_ACCESS;

// ---- §1 CTL_CODE ----

export interface CodeParts {
  /** bits 16-31 */
  readonly deviceType: number;
  /** bits 14-15: FILE_READ_ACCESS / FILE_WRITE_ACCESS */
  readonly access: number;
  /** bits 2-13 */
  readonly function: number;
  /** bits 0-1 */
  readonly method: number;
}

/**
 * CTL_CODE (devioctl.h; ioctl-codes.md §1) as an unsigned 32-bit number. Total: each argument is masked to
 * its field's width (deviceType 16 bits, function 12, method 2, access 2), so an out-of-range part can never
 * spill into a neighbouring field; NaN and fractions go through the same integer masking (NaN → 0).
 */
export function ctlCode(deviceType: number, fn: number, method: number, access: number): number {
  return (((deviceType & 0xffff) << 16) | ((access & 3) << 14) | ((fn & 0xfff) << 2) | (method & 3)) >>> 0;
}

/**
 * The four fields of a code (ioctl-codes.md §1 decoding table). Total: the code is first taken modulo 2^32
 * (`>>> 0`, so -1 is 0xFFFFFFFF and NaN is 0). For any 32-bit code, ctlCode of the parts gives it back.
 */
export function decomposeCode(code: number): CodeParts {
  const c = code >>> 0;
  return { deviceType: c >>> 16, access: (c >>> 14) & 3, function: (c >>> 2) & 0xfff, method: c & 3 };
}

// ---- §3 the code table ----

/**
 * Which part of vdisk answers a code (ioctl-codes.md §3): class-driver.md, band-management.md, the §4
 * alias remap, or nobody (STATUS_INVALID_DEVICE_REQUEST, §5).
 */
export type IoctlHandler = 'class' | 'band' | 'alias' | 'none';

interface Row {
  readonly deviceType: number;
  readonly function: number;
  readonly access: number;
  readonly handler: IoctlHandler;
}

// Every code in §3 is METHOD_BUFFERED, so the rows state only what varies. Rows are in §3's order, which is
// also the tie-break for codeName(): IOCTL_DISK_FIND_NEW_DEVICES precedes IOCTL_TAPE_FIND_NEW_DEVICES.
const row = (deviceType: number, fn: number, access: number, handler: IoctlHandler): Row =>
  ({ deviceType, function: fn, access, handler });

const DECLARATION = {
  // storage class driver (class-driver.md); ntddstor.h
  IOCTL_STORAGE_CHECK_VERIFY:           row(IOCTL_STORAGE_BASE, 0x200, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_CHECK_VERIFY2:          row(IOCTL_STORAGE_BASE, 0x200, FILE_ANY_ACCESS, 'class'),
  IOCTL_STORAGE_MEDIA_REMOVAL:          row(IOCTL_STORAGE_BASE, 0x201, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_EJECT_MEDIA:            row(IOCTL_STORAGE_BASE, 0x202, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_LOAD_MEDIA:             row(IOCTL_STORAGE_BASE, 0x203, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_LOAD_MEDIA2:            row(IOCTL_STORAGE_BASE, 0x203, FILE_ANY_ACCESS, 'class'),
  IOCTL_STORAGE_RESERVE:                row(IOCTL_STORAGE_BASE, 0x204, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_RELEASE:                row(IOCTL_STORAGE_BASE, 0x205, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_FIND_NEW_DEVICES:       row(IOCTL_STORAGE_BASE, 0x206, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_EJECTION_CONTROL:       row(IOCTL_STORAGE_BASE, 0x250, FILE_ANY_ACCESS, 'class'),
  IOCTL_STORAGE_MCN_CONTROL:            row(IOCTL_STORAGE_BASE, 0x251, FILE_ANY_ACCESS, 'class'),
  // handled by the port driver on real systems; not emulated (§5)
  IOCTL_STORAGE_BREAK_RESERVATION:      row(IOCTL_STORAGE_BASE, 0x405, FILE_READ_ACCESS, 'none'),
  IOCTL_STORAGE_PERSISTENT_RESERVE_IN:  row(IOCTL_STORAGE_BASE, 0x406, FILE_READ_ACCESS, 'class'),
  IOCTL_STORAGE_PERSISTENT_RESERVE_OUT: row(IOCTL_STORAGE_BASE, 0x407, READ_WRITE, 'class'),

  // legacy class-common codes, remapped to IOCTL_STORAGE_BASE (§4); ntdddisk.h
  IOCTL_DISK_CHECK_VERIFY:              row(IOCTL_DISK_BASE, 0x200, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_MEDIA_REMOVAL:             row(IOCTL_DISK_BASE, 0x201, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_EJECT_MEDIA:               row(IOCTL_DISK_BASE, 0x202, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_LOAD_MEDIA:                row(IOCTL_DISK_BASE, 0x203, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_RESERVE:                   row(IOCTL_DISK_BASE, 0x204, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_RELEASE:                   row(IOCTL_DISK_BASE, 0x205, FILE_READ_ACCESS, 'alias'),
  IOCTL_DISK_FIND_NEW_DEVICES:          row(IOCTL_DISK_BASE, 0x206, FILE_READ_ACCESS, 'alias'),
  // ntddtape.h
  IOCTL_TAPE_CHECK_VERIFY:              row(IOCTL_TAPE_BASE, 0x200, FILE_READ_ACCESS, 'alias'),
  IOCTL_TAPE_MEDIA_REMOVAL:             row(IOCTL_TAPE_BASE, 0x201, FILE_READ_ACCESS, 'alias'),
  IOCTL_TAPE_EJECT_MEDIA:               row(IOCTL_TAPE_BASE, 0x202, FILE_READ_ACCESS, 'alias'),
  IOCTL_TAPE_LOAD_MEDIA:                row(IOCTL_TAPE_BASE, 0x203, FILE_READ_ACCESS, 'alias'),
  IOCTL_TAPE_RESERVE:                   row(IOCTL_TAPE_BASE, 0x204, FILE_READ_ACCESS, 'alias'),
  IOCTL_TAPE_RELEASE:                   row(IOCTL_TAPE_BASE, 0x205, FILE_READ_ACCESS, 'alias'),
  // The headers build it on IOCTL_DISK_BASE, so it equals IOCTL_DISK_FIND_NEW_DEVICES (§3 note 1).
  IOCTL_TAPE_FIND_NEW_DEVICES:          row(IOCTL_DISK_BASE, 0x206, FILE_READ_ACCESS, 'alias'),
  // ntddcdrm.h
  IOCTL_CDROM_CHECK_VERIFY:             row(IOCTL_CDROM_BASE, 0x200, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_MEDIA_REMOVAL:            row(IOCTL_CDROM_BASE, 0x201, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_EJECT_MEDIA:              row(IOCTL_CDROM_BASE, 0x202, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_LOAD_MEDIA:               row(IOCTL_CDROM_BASE, 0x203, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_RESERVE:                  row(IOCTL_CDROM_BASE, 0x204, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_RELEASE:                  row(IOCTL_CDROM_BASE, 0x205, FILE_READ_ACCESS, 'alias'),
  IOCTL_CDROM_FIND_NEW_DEVICES:         row(IOCTL_CDROM_BASE, 0x206, FILE_READ_ACCESS, 'alias'),

  // band-management silo (band-management.md); ehstorbandmgmt.h builds these on IOCTL_STORAGE_BASE,
  // not FILE_DEVICE_EHSTOR (§3 note 2)
  IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES:  row(IOCTL_STORAGE_BASE, 0x520, FILE_ANY_ACCESS, 'band'),
  IOCTL_EHSTOR_BANDMGMT_ACTIVATE:            row(IOCTL_STORAGE_BASE, 0x521, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_REVERT:              row(IOCTL_STORAGE_BASE, 0x522, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS:     row(IOCTL_STORAGE_BASE, 0x523, FILE_ANY_ACCESS, 'band'),
  IOCTL_EHSTOR_BANDMGMT_CREATE_BAND:         row(IOCTL_STORAGE_BASE, 0x524, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION:   row(IOCTL_STORAGE_BASE, 0x525, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY:   row(IOCTL_STORAGE_BASE, 0x526, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA:   row(IOCTL_STORAGE_BASE, 0x527, FILE_ANY_ACCESS, 'band'),
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA:   row(IOCTL_STORAGE_BASE, 0x528, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_DELETE_BAND:         row(IOCTL_STORAGE_BASE, 0x529, READ_WRITE, 'band'),
  IOCTL_EHSTOR_BANDMGMT_ERASE_BAND:          row(IOCTL_STORAGE_BASE, 0x52a, READ_WRITE, 'band'),
  // SDK 10.0.22000; vdisk does not implement it (§3, §5)
  IOCTL_EHSTOR_BANDMGMT_SET_SID:             row(IOCTL_STORAGE_BASE, 0x52b, READ_WRITE, 'none'),
  IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS:     row(IOCTL_STORAGE_BASE, 0x52c, READ_WRITE, 'band'),
  // the only code on FILE_DEVICE_EHSTOR (§3 note 2)
  IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO:       row(FILE_DEVICE_EHSTOR, 0x200, READ_WRITE, 'band'),
} as const satisfies Record<string, Row>;

/** The name of a code in ioctl-codes.md §3. */
export type IoctlName = keyof typeof DECLARATION;

export interface IoctlCode extends CodeParts {
  readonly name: IoctlName;
  /** ctlCode of the fields: unsigned 32-bit */
  readonly value: number;
  readonly handler: IoctlHandler;
}

/** Every code of ioctl-codes.md §3, in the spec's order. */
export const IOCTL_CODES: readonly IoctlCode[] = Object.freeze(
  (Object.entries(DECLARATION) as Array<[IoctlName, Row]>).map(([name, r]) =>
    Object.freeze({
      name,
      value: ctlCode(r.deviceType, r.function, METHOD_BUFFERED, r.access),
      deviceType: r.deviceType,
      access: r.access,
      function: r.function,
      method: METHOD_BUFFERED,
      handler: r.handler,
    }),
  ),
);

const BY_NAME: ReadonlyMap<string, IoctlCode> = new Map(IOCTL_CODES.map((c) => [c.name, c]));

// First row wins, so a value shared by two names (0x00074818) resolves to the one §3 lists first, the DISK
// name; STORAGE rows come first of all.
const BY_VALUE: ReadonlyMap<number, IoctlCode> = new Map(
  [...IOCTL_CODES].reverse().map((c) => [c.value, c]),
);

/** Each code's value by name, for the named exports below. */
const VALUES = Object.fromEntries(IOCTL_CODES.map((c) => [c.name, c.value])) as Record<IoctlName, number>;

export const {
  IOCTL_STORAGE_CHECK_VERIFY, IOCTL_STORAGE_CHECK_VERIFY2, IOCTL_STORAGE_MEDIA_REMOVAL,
  IOCTL_STORAGE_EJECT_MEDIA, IOCTL_STORAGE_LOAD_MEDIA, IOCTL_STORAGE_LOAD_MEDIA2, IOCTL_STORAGE_RESERVE,
  IOCTL_STORAGE_RELEASE, IOCTL_STORAGE_FIND_NEW_DEVICES, IOCTL_STORAGE_EJECTION_CONTROL,
  IOCTL_STORAGE_MCN_CONTROL, IOCTL_STORAGE_BREAK_RESERVATION, IOCTL_STORAGE_PERSISTENT_RESERVE_IN,
  IOCTL_STORAGE_PERSISTENT_RESERVE_OUT,
  IOCTL_DISK_CHECK_VERIFY, IOCTL_DISK_MEDIA_REMOVAL, IOCTL_DISK_EJECT_MEDIA, IOCTL_DISK_LOAD_MEDIA,
  IOCTL_DISK_RESERVE, IOCTL_DISK_RELEASE, IOCTL_DISK_FIND_NEW_DEVICES,
  IOCTL_TAPE_CHECK_VERIFY, IOCTL_TAPE_MEDIA_REMOVAL, IOCTL_TAPE_EJECT_MEDIA, IOCTL_TAPE_LOAD_MEDIA,
  IOCTL_TAPE_RESERVE, IOCTL_TAPE_RELEASE, IOCTL_TAPE_FIND_NEW_DEVICES,
  IOCTL_CDROM_CHECK_VERIFY, IOCTL_CDROM_MEDIA_REMOVAL, IOCTL_CDROM_EJECT_MEDIA, IOCTL_CDROM_LOAD_MEDIA,
  IOCTL_CDROM_RESERVE, IOCTL_CDROM_RELEASE, IOCTL_CDROM_FIND_NEW_DEVICES,
  IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES, IOCTL_EHSTOR_BANDMGMT_ACTIVATE, IOCTL_EHSTOR_BANDMGMT_REVERT,
  IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS, IOCTL_EHSTOR_BANDMGMT_CREATE_BAND,
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION, IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY,
  IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA, IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA,
  IOCTL_EHSTOR_BANDMGMT_DELETE_BAND, IOCTL_EHSTOR_BANDMGMT_ERASE_BAND, IOCTL_EHSTOR_BANDMGMT_SET_SID,
  IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS, IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO,
} = VALUES;

/** The table row named `name` (exact, case-sensitive), or undefined. */
export function codeByName(name: string): IoctlCode | undefined {
  return BY_NAME.get(name);
}

/**
 * The table row whose value is `code`, or undefined. Well-defined for the one shared value: 0x00074818 gives
 * IOCTL_DISK_FIND_NEW_DEVICES, not IOCTL_TAPE_FIND_NEW_DEVICES (first in §3's order).
 */
export function codeByValue(code: number): IoctlCode | undefined {
  return BY_VALUE.get(code >>> 0);
}

/** The name of a known code (see codeByValue for the shared value), or undefined. */
export function codeName(code: number): IoctlName | undefined {
  return codeByValue(code)?.name;
}

/** Every name a value has in §3, in the spec's order (two for 0x00074818, one or none otherwise). */
export function codeNames(code: number): readonly IoctlName[] {
  const c = code >>> 0;
  return IOCTL_CODES.filter((k) => k.value === c).map((k) => k.name);
}

// ---- §4 legacy alias remap ----

const LEGACY_BASES: ReadonlySet<number> = new Set([IOCTL_DISK_BASE, IOCTL_TAPE_BASE, IOCTL_CDROM_BASE]);

/**
 * classpnp ClassDeviceControl's remap (ioctl-codes.md §4): a code whose device type is IOCTL_DISK_BASE,
 * IOCTL_TAPE_BASE or IOCTL_CDROM_BASE becomes the same access/function/method on IOCTL_STORAGE_BASE — for
 * any function, known or not. Every other device type (DVD 0x33, controller/SCSI 0x04, storage itself)
 * gives undefined. Only the lookup uses the result; the request keeps its code. Total (code taken mod 2^32).
 */
export function storageAlias(code: number): number | undefined {
  const c = code >>> 0;
  if (!LEGACY_BASES.has(c >>> 16)) return undefined;
  return ((c & 0xffff) | (IOCTL_STORAGE_BASE << 16)) >>> 0;
}

// ---- io-manager.md §2 required access ----

/**
 * The handle rights (FILE_READ_DATA / FILE_WRITE_DATA bits) the I/O manager demands before sending `code`
 * (io-manager.md §2 step 1): the code's access bits, FILE_READ_ACCESS standing for FILE_READ_DATA and
 * FILE_WRITE_ACCESS for FILE_WRITE_DATA. 0 means any handle passes. Works on any code, known or not, and on
 * the code as sent (before the alias remap, whose access bits are the same anyway).
 */
export function requiredAccess(code: number): number {
  const { access } = decomposeCode(code);
  return ((access & FILE_READ_ACCESS ? FILE_READ_DATA : 0) | (access & FILE_WRITE_ACCESS ? FILE_WRITE_DATA : 0)) >>> 0;
}

// ---- text → code (scenario `code` field, CLI) ----

const HEX = /^0[xX][0-9a-fA-F]+$/;
const DECIMAL = /^[0-9]+$/;

/**
 * A code from a scenario file or the command line (scenario-format.md `ioctl.code`): a §3 name, a decimal
 * number, a hex string such as "0x002D4810", or a number. Anything that is not an integer in 0..0xFFFFFFFF
 * gives undefined; never throws. Surrounding whitespace in a string is ignored.
 */
export function parseCode(text: string | number): number | undefined {
  if (typeof text === 'number') {
    return Number.isInteger(text) && text >= 0 && text <= 0xffffffff ? text >>> 0 : undefined;
  }
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  let n: number;
  if (HEX.test(s)) n = Number.parseInt(s.slice(2), 16);
  else if (DECIMAL.test(s)) n = Number.parseInt(s, 10);
  else return BY_NAME.get(s)?.value;
  return n <= 0xffffffff ? n >>> 0 : undefined;
}
