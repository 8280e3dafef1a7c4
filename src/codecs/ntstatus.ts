// NTSTATUS values, their severity and their Win32 errors (spec/ntstatus.md). One declaration gives the
// named constants, the lookup tables and the RtlNtStatusToDosError table, so a status and its Win32 error
// are written once. Every value is an unsigned 32-bit number (`>>> 0`): bit 31 is part of the severity,
// and a negative number would compare unequal to the same status read as a ULONG.

export type Severity = 'success' | 'informational' | 'warning' | 'error';

interface Row {
  readonly value: number;
  readonly win32Name: string;
  readonly win32: number;
}

const st = (value: number, win32Name: string, win32: number): Row => ({ value: value >>> 0, win32Name, win32 });

// ntstatus.md §2, in its order. Values: SDK 10.0.16299 ntstatus.h; Win32: winerror.h, mapping per Wine
// dlls/ntdll/error.c except the rows §2 marks UNVERIFIED, which vdisk uses as given so results are stable.
const DECLARATION = {
  STATUS_SUCCESS:                     st(0x00000000, 'ERROR_SUCCESS', 0),
  STATUS_PENDING:                     st(0x00000103, 'ERROR_IO_PENDING', 997),
  STATUS_BUFFER_OVERFLOW:             st(0x80000005, 'ERROR_MORE_DATA', 234),
  STATUS_DEVICE_BUSY:                 st(0x80000011, 'ERROR_BUSY', 170),
  STATUS_VERIFY_REQUIRED:             st(0x80000016, 'ERROR_MEDIA_CHANGED', 1110),
  STATUS_NO_DATA_DETECTED:            st(0x80000022, 'ERROR_NO_DATA_DETECTED', 1104),
  STATUS_CLEANER_CARTRIDGE_INSTALLED: st(0x80000027, 'ERROR_CLEANER_CARTRIDGE_INSTALLED', 4340),
  STATUS_UNSUCCESSFUL:                st(0xc0000001, 'ERROR_GEN_FAILURE', 31),
  STATUS_INFO_LENGTH_MISMATCH:        st(0xc0000004, 'ERROR_BAD_LENGTH', 24),
  STATUS_INVALID_HANDLE:              st(0xc0000008, 'ERROR_INVALID_HANDLE', 6),
  STATUS_INVALID_PARAMETER:           st(0xc000000d, 'ERROR_INVALID_PARAMETER', 87),
  STATUS_NO_SUCH_DEVICE:              st(0xc000000e, 'ERROR_FILE_NOT_FOUND', 2),
  STATUS_INVALID_DEVICE_REQUEST:      st(0xc0000010, 'ERROR_INVALID_FUNCTION', 1),
  STATUS_NO_MEDIA_IN_DEVICE:          st(0xc0000013, 'ERROR_NOT_READY', 21),
  STATUS_UNRECOGNIZED_MEDIA:          st(0xc0000014, 'ERROR_UNRECOGNIZED_MEDIA', 1785),
  STATUS_NONEXISTENT_SECTOR:          st(0xc0000015, 'ERROR_SECTOR_NOT_FOUND', 27),
  STATUS_CONFLICTING_ADDRESSES:       st(0xc0000018, 'ERROR_INVALID_ADDRESS', 487),
  STATUS_ACCESS_DENIED:               st(0xc0000022, 'ERROR_ACCESS_DENIED', 5),
  STATUS_BUFFER_TOO_SMALL:            st(0xc0000023, 'ERROR_INSUFFICIENT_BUFFER', 122),
  STATUS_DATA_OVERRUN:                st(0xc000003c, 'ERROR_IO_DEVICE', 1117),
  STATUS_INSUFFICIENT_RESOURCES:      st(0xc000009a, 'ERROR_NO_SYSTEM_RESOURCES', 1450),
  STATUS_DEVICE_DATA_ERROR:           st(0xc000009c, 'ERROR_CRC', 23),
  STATUS_DEVICE_NOT_CONNECTED:        st(0xc000009d, 'ERROR_DEVICE_NOT_CONNECTED', 1167),
  STATUS_MEDIA_WRITE_PROTECTED:       st(0xc00000a2, 'ERROR_WRITE_PROTECT', 19),
  STATUS_DEVICE_NOT_READY:            st(0xc00000a3, 'ERROR_NOT_READY', 21),
  STATUS_IO_TIMEOUT:                  st(0xc00000b5, 'ERROR_SEM_TIMEOUT', 121),
  STATUS_NOT_SUPPORTED:               st(0xc00000bb, 'ERROR_NOT_SUPPORTED', 50),
  STATUS_DEVICE_DOES_NOT_EXIST:       st(0xc00000c0, 'ERROR_DEV_NOT_EXIST', 55),
  STATUS_INVALID_USER_BUFFER:         st(0xc00000e8, 'ERROR_INVALID_USER_BUFFER', 1784),
  STATUS_FILES_OPEN:                  st(0xc0000107, 'ERROR_OPEN_FILES', 2401),
  STATUS_INVALID_BLOCK_LENGTH:        st(0xc0000173, 'ERROR_INVALID_BLOCK_LENGTH', 1106),
  STATUS_DEVICE_CONFIGURATION_ERROR:  st(0xc0000182, 'ERROR_INVALID_PARAMETER', 87),
  STATUS_INVALID_DEVICE_STATE:        st(0xc0000184, 'ERROR_BAD_COMMAND', 22),
  STATUS_IO_DEVICE_ERROR:             st(0xc0000185, 'ERROR_IO_DEVICE', 1117),
  STATUS_INVALID_BUFFER_SIZE:         st(0xc0000206, 'ERROR_INVALID_USER_BUFFER', 1784),
  STATUS_NOT_FOUND:                   st(0xc0000225, 'ERROR_NOT_FOUND', 1168),
  STATUS_RETRY:                       st(0xc000022d, 'ERROR_RETRY', 1237),
  STATUS_DISK_RESOURCES_EXHAUSTED:    st(0xc0000461, 'ERROR_DISK_RESOURCES_EXHAUSTED', 314),     // UNVERIFIED
  STATUS_TOO_MANY_SEGMENT_DESCRIPTORS: st(0xc0000473, 'ERROR_TOO_MANY_DESCRIPTORS', 331),        // UNVERIFIED
  STATUS_INVALID_OFFSET_ALIGNMENT:    st(0xc0000474, 'ERROR_OFFSET_ALIGNMENT_VIOLATION', 327),   // UNVERIFIED
  STATUS_DEVICE_HARDWARE_ERROR:       st(0xc0000483, 'ERROR_DEVICE_HARDWARE_ERROR', 483),        // UNVERIFIED
} as const satisfies Record<string, Row>;

/** The name of a status in ntstatus.md §2. */
export type NtStatusName = keyof typeof DECLARATION;

/** One row of ntstatus.md §2. */
export interface NtStatusInfo {
  readonly name: NtStatusName;
  /** unsigned 32-bit */
  readonly value: number;
  readonly win32Name: string;
  /** RtlNtStatusToDosError(value) */
  readonly win32: number;
}

/** Every status of ntstatus.md §2, in the spec's order. */
export const NTSTATUS_TABLE: readonly NtStatusInfo[] = Object.freeze(
  (Object.entries(DECLARATION) as Array<[NtStatusName, Row]>).map(([name, r]) => Object.freeze({ name, ...r })),
);

const BY_NAME: ReadonlyMap<string, NtStatusInfo> = new Map(NTSTATUS_TABLE.map((s) => [s.name, s]));
const BY_VALUE: ReadonlyMap<number, NtStatusInfo> = new Map(NTSTATUS_TABLE.map((s) => [s.value, s]));

const VALUES = Object.fromEntries(NTSTATUS_TABLE.map((s) => [s.name, s.value])) as Record<NtStatusName, number>;

export const {
  STATUS_SUCCESS, STATUS_PENDING, STATUS_BUFFER_OVERFLOW, STATUS_DEVICE_BUSY, STATUS_VERIFY_REQUIRED,
  STATUS_NO_DATA_DETECTED, STATUS_CLEANER_CARTRIDGE_INSTALLED, STATUS_UNSUCCESSFUL,
  STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_NO_SUCH_DEVICE,
  STATUS_INVALID_DEVICE_REQUEST, STATUS_NO_MEDIA_IN_DEVICE, STATUS_UNRECOGNIZED_MEDIA,
  STATUS_NONEXISTENT_SECTOR, STATUS_CONFLICTING_ADDRESSES, STATUS_ACCESS_DENIED, STATUS_BUFFER_TOO_SMALL,
  STATUS_DATA_OVERRUN, STATUS_INSUFFICIENT_RESOURCES, STATUS_DEVICE_DATA_ERROR, STATUS_DEVICE_NOT_CONNECTED,
  STATUS_MEDIA_WRITE_PROTECTED, STATUS_DEVICE_NOT_READY, STATUS_IO_TIMEOUT, STATUS_NOT_SUPPORTED,
  STATUS_DEVICE_DOES_NOT_EXIST, STATUS_INVALID_USER_BUFFER, STATUS_FILES_OPEN, STATUS_INVALID_BLOCK_LENGTH,
  STATUS_DEVICE_CONFIGURATION_ERROR, STATUS_INVALID_DEVICE_STATE, STATUS_IO_DEVICE_ERROR,
  STATUS_INVALID_BUFFER_SIZE, STATUS_NOT_FOUND, STATUS_RETRY, STATUS_DISK_RESOURCES_EXHAUSTED,
  STATUS_TOO_MANY_SEGMENT_DESCRIPTORS, STATUS_INVALID_OFFSET_ALIGNMENT, STATUS_DEVICE_HARDWARE_ERROR,
} = VALUES;

/** What RtlNtStatusToDosError gives for a status it has no entry for (ntstatus.md §1; winerror.h). */
export const ERROR_MR_MID_NOT_FOUND = 317;

// ---- names and text ----

/** `0xC0000022`: lower-case `0x`, eight upper-case hex digits, as the spec and scenario results print it. */
export function hexStatus(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** The §2 name of a status, or its hexStatus text when the spec does not name it. */
export function statusName(value: number): string {
  return BY_VALUE.get(value >>> 0)?.name ?? hexStatus(value);
}

/** The §2 row named `name` (exact, case-sensitive), or undefined. */
export function statusByName(name: string): NtStatusInfo | undefined {
  return BY_NAME.get(name);
}

/** The §2 row of a value, or undefined. */
export function statusInfo(value: number): NtStatusInfo | undefined {
  return BY_VALUE.get(value >>> 0);
}

const HEX = /^0[xX][0-9a-fA-F]{1,8}$/;

/**
 * A status written in a scenario `expect.status` (scenario-format.md "Expectations"): a §2 name or a hex
 * string up to 8 digits ("0x80000011"), or a number in 0..0xFFFFFFFF. Anything else gives undefined; never
 * throws.
 */
export function parseStatus(text: string | number): number | undefined {
  if (typeof text === 'number') {
    return Number.isInteger(text) && text >= 0 && text <= 0xffffffff ? text >>> 0 : undefined;
  }
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (HEX.test(s)) return Number.parseInt(s.slice(2), 16) >>> 0;
  return BY_NAME.get(s)?.value;
}

// ---- severity (ntstatus.md §1; ntdef.h macros) ----

const SEVERITIES: readonly Severity[] = ['success', 'informational', 'warning', 'error'];

/** Bits 30-31 of the status. */
export function severity(value: number): Severity {
  return SEVERITIES[(value >>> 30) & 3] as Severity;
}

/**
 * NT_SUCCESS: the status is non-negative as a *signed* 32-bit number, i.e. severity success or
 * informational. A warning is not a success (ntstatus.md §1).
 */
export function ntSuccess(value: number): boolean {
  return (value | 0) >= 0;
}

/** NT_INFORMATION: severity 1. */
export function ntInformation(value: number): boolean {
  return value >>> 30 === 1;
}

/** NT_WARNING: severity 2. */
export function ntWarning(value: number): boolean {
  return value >>> 30 === 2;
}

/** NT_ERROR: severity 3. */
export function ntError(value: number): boolean {
  return value >>> 30 === 3;
}

// ---- RtlNtStatusToDosError (ntstatus.md §1, Wine dlls/ntdll/error.c generic rules) ----

const CUSTOMER_BIT = 0x20000000;

/**
 * The Win32 error a caller's GetLastError would hold for `status`, applying Wine's generic rules in its
 * order (ntstatus.md §1):
 *   1. 0 and any status with the customer bit (0x20000000) map to themselves;
 *   2. 0xDxxxxxxx is treated as 0xCxxxxxxx;
 *   3. 0xC001xxxx and 0x8007xxxx (a Win32 error wrapped as an NTSTATUS) map to their low 16 bits;
 *   4. a status of the §2 table maps to its win32 column;
 *   5. anything else gives ERROR_MR_MID_NOT_FOUND (317).
 * The table is the spec's, not Wine's whole table: a real status the spec does not list (say
 * STATUS_NOT_IMPLEMENTED) gives 317 here. Total: the input is taken modulo 2^32; the result is unsigned.
 */
export function win32Error(status: number): number {
  let s = status >>> 0;
  if (s === 0 || (s & CUSTOMER_BIT) !== 0) return s;
  if (s >>> 28 === 0xd) s = (s & ~0x10000000) >>> 0;
  const facilityWord = s >>> 16;
  if (facilityWord === 0xc001 || facilityWord === 0x8007) return s & 0xffff;
  return BY_VALUE.get(s)?.win32 ?? ERROR_MR_MID_NOT_FOUND;
}
