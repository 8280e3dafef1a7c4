// The dispatcher: ONE table keyed on the IOCTL code name (STYLE.md "The dispatch table"), grouped by family.
// Required access is not a column — it comes from the code's own bits, checked by the I/O manager before this
// runs (io-manager.md §2). The legacy DISK/TAPE/CDROM alias rule is one function (ioctl-codes.md §4); every
// other code is unknown → STATUS_INVALID_DEVICE_REQUEST (§5). The band-management silo plugs its codes into
// the same table with registerIoctls.

import { STATUS_INVALID_DEVICE_REQUEST } from '../codecs/ntstatus';
import { layouts } from '../codecs/layouts';
import { codeByName, storageAlias, type IoctlName } from '../codecs/ioctl-codes';
import { statusOnly, type HandlerContext, type IoctlEntry, type IoctlResult } from './handler';
import { checkVerify } from './class-driver/check-verify';
import { ejectLoad } from './class-driver/eject-load';
import { findNewDevices } from './class-driver/find-new-devices';
import { mcnControl } from './class-driver/mcn-control';
import { mediaRemoval } from './class-driver/media-removal';
import { persistentReserve } from './class-driver/persistent-reserve';
import { reserveRelease } from './class-driver/reserve-release';

const { PREVENT_MEDIA_REMOVAL, PERSISTENT_RESERVE_COMMAND, PRI_REGISTRATION_LIST } = layouts;

/**
 * The storage class driver's codes (class-driver.md), in ioctl-codes.md §3's order. `input` and `output` name
 * the structure of each buffer (layouts.md), for the CLI, the scenario parser and the fuzzer; the handlers read
 * their few header bytes themselves. CHECK_VERIFY's optional output is a bare ULONG (MediaChangeCount), not a
 * structure. PERSISTENT_RESERVE_IN's output depends on the service action — PRI_REGISTRATION_LIST for READ
 * KEYS, PRI_RESERVATION_LIST for READ RESERVATIONS; the column holds one layout, so it names READ KEYS'.
 */
export const CLASS_DRIVER_IOCTLS = Object.freeze({
  IOCTL_STORAGE_CHECK_VERIFY:           { handler: checkVerify },
  IOCTL_STORAGE_CHECK_VERIFY2:          { handler: checkVerify },
  IOCTL_STORAGE_MEDIA_REMOVAL:          { handler: mediaRemoval,      input: PREVENT_MEDIA_REMOVAL },
  IOCTL_STORAGE_EJECT_MEDIA:            { handler: ejectLoad },
  IOCTL_STORAGE_LOAD_MEDIA:             { handler: ejectLoad },
  IOCTL_STORAGE_LOAD_MEDIA2:            { handler: ejectLoad },
  IOCTL_STORAGE_RESERVE:                { handler: reserveRelease },
  IOCTL_STORAGE_RELEASE:                { handler: reserveRelease },
  IOCTL_STORAGE_FIND_NEW_DEVICES:       { handler: findNewDevices },
  IOCTL_STORAGE_EJECTION_CONTROL:       { handler: mediaRemoval,      input: PREVENT_MEDIA_REMOVAL },
  IOCTL_STORAGE_MCN_CONTROL:            { handler: mcnControl,        input: PREVENT_MEDIA_REMOVAL },
  IOCTL_STORAGE_PERSISTENT_RESERVE_IN:  { handler: persistentReserve, input: PERSISTENT_RESERVE_COMMAND, output: PRI_REGISTRATION_LIST },
  IOCTL_STORAGE_PERSISTENT_RESERVE_OUT: { handler: persistentReserve, input: PERSISTENT_RESERVE_COMMAND },
} satisfies Partial<Record<IoctlName, IoctlEntry>>);

/** Every registered code by name: the class driver's, then whatever registerIoctls added (the band silo's). */
const BY_NAME = new Map<IoctlName, IoctlEntry>();
/** The same rows keyed by code value: what a request is looked up in. */
const BY_CODE = new Map<number, IoctlEntry>();
/** The class driver's rows only: the only codes a legacy alias may reach (ioctl-codes.md §4, vdisk). */
const CLASS_BY_CODE = new Map<number, IoctlEntry>();

for (const [name, entry] of Object.entries(CLASS_DRIVER_IOCTLS) as Array<[IoctlName, IoctlEntry]>) {
  const value = codeByName(name)!.value;
  BY_NAME.set(name, entry);
  BY_CODE.set(value, entry);
  CLASS_BY_CODE.set(value, entry);
}

export type RegisterResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Add rows to the table (the band-management silo's 13 codes). All-or-nothing and never throws: a name that
 * is not in ioctl-codes.md §3, is not a band code, or is already registered rejects the whole call. Aliases
 * never reach these rows (ioctl-codes.md §4: 0x0007D4A8 is not ERASE_BAND).
 */
export function registerIoctls(entries: Partial<Record<IoctlName, IoctlEntry>>): RegisterResult {
  const rows: Array<[IoctlName, number, IoctlEntry]> = [];
  for (const [name, entry] of Object.entries(entries) as Array<[IoctlName, IoctlEntry | undefined]>) {
    if (entry === undefined) continue;
    const code = codeByName(name);
    if (code === undefined) return { ok: false, error: `${name} is not a code of ioctl-codes.md §3` };
    if (code.handler !== 'band') return { ok: false, error: `${name} is not a band-management code` };
    if (BY_NAME.has(name)) return { ok: false, error: `${name} is already registered` };
    if (typeof entry.handler !== 'function') return { ok: false, error: `${name}: handler is not a function` };
    rows.push([name, code.value, entry]);
  }
  for (const [name, value, entry] of rows) {
    BY_NAME.set(name, entry);
    BY_CODE.set(value, entry);
  }
  return { ok: true };
}

/** The table as it stands, by name, in registration order (CLI listing, scenario parser, fuzzer). */
export function ioctlTable(): ReadonlyMap<IoctlName, IoctlEntry> {
  return BY_NAME;
}

/**
 * The code a request is looked up as (ioctl-codes.md §4): the code itself when the table has it; otherwise
 * its IOCTL_STORAGE_BASE alias when that is a class-driver code; otherwise undefined (unknown, §5).
 */
export function lookupCode(code: number): number | undefined {
  const c = code >>> 0;
  if (BY_CODE.has(c)) return c;
  const alias = storageAlias(c);
  return alias !== undefined && CLASS_BY_CODE.has(alias) ? alias : undefined;
}

const INVALID_DEVICE_REQUEST = statusOnly(STATUS_INVALID_DEVICE_REQUEST);

/**
 * Hand a request that passed the I/O manager's checks to its handler. `code` is unsigned 32-bit, `input` a
 * Uint8Array and `outputLength` an integer 0..0xFFFFFFFF (the I/O manager validated them).
 */
export function dispatch(ctx: HandlerContext, code: number, input: Uint8Array, outputLength: number): IoctlResult {
  let storageCode = code;
  let entry = BY_CODE.get(code);
  if (entry === undefined) {
    const alias = storageAlias(code);
    if (alias === undefined) return INVALID_DEVICE_REQUEST;
    entry = CLASS_BY_CODE.get(alias);
    if (entry === undefined) return INVALID_DEVICE_REQUEST;
    storageCode = alias;
  }
  return entry.handler(ctx, { code, storageCode, input, outputLength });
}
