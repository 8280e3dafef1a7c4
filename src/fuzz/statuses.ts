// The statuses each IOCTL may complete with — the fuzz oracle's table (issue 7: "the status is one of the
// statuses the spec lists for that IOCTL"). Rows cite the spec; a status outside its row is a bug even
// when the call otherwise behaves. Band-management rows come from the silo's own list (D12).
import * as S from '../codecs/ntstatus';

/** What any request that reaches the device as a SCSI command can meet (class-driver.md §10, io-manager.md §7). */
const DEVICE: readonly number[] = [
  S.STATUS_SUCCESS,
  S.STATUS_DEVICE_BUSY,             // RESERVATION CONFLICT (§10 step 1)
  S.STATUS_DEVICE_NOT_CONNECTED,    // the device is off (io-manager.md §7)
  S.STATUS_NO_MEDIA_IN_DEVICE,      // NOT READY 3Ah
  S.STATUS_INVALID_DEVICE_REQUEST,  // ILLEGAL REQUEST (unsupported opcode, invalid field, removal prevented)
];

/** Every request, before any driver runs (io-manager.md §2). */
const IO_MANAGER: readonly number[] = [S.STATUS_ACCESS_DENIED, S.STATUS_INVALID_HANDLE];

const rows: Record<string, readonly number[]> = {
  // class-driver.md §3
  IOCTL_STORAGE_RESERVE: DEVICE,
  IOCTL_STORAGE_RELEASE: DEVICE,
  // §4: ProtectedLockCount → STATUS_DEVICE_BUSY; the device's own refusals → INVALID_DEVICE_REQUEST
  IOCTL_STORAGE_EJECT_MEDIA: DEVICE,
  IOCTL_STORAGE_LOAD_MEDIA: DEVICE,
  IOCTL_STORAGE_LOAD_MEDIA2: DEVICE,
  // §5.1 input length; §5.2 secure unlock without a lock; PREVENT/ALLOW results
  IOCTL_STORAGE_MEDIA_REMOVAL: [...DEVICE, S.STATUS_INFO_LENGTH_MISMATCH],
  IOCTL_STORAGE_EJECTION_CONTROL: [...DEVICE, S.STATUS_INFO_LENGTH_MISMATCH, S.STATUS_INVALID_DEVICE_STATE],
  // §6
  IOCTL_STORAGE_MCN_CONTROL: [S.STATUS_SUCCESS, S.STATUS_INFO_LENGTH_MISMATCH, S.STATUS_INVALID_DEVICE_STATE],
  IOCTL_STORAGE_FIND_NEW_DEVICES: [S.STATUS_SUCCESS],
  // §7
  IOCTL_STORAGE_CHECK_VERIFY: [...DEVICE, S.STATUS_BUFFER_TOO_SMALL],
  IOCTL_STORAGE_CHECK_VERIFY2: [...DEVICE, S.STATUS_BUFFER_TOO_SMALL],
  // §8.1 checks, §8.3 results (26h/04h → INVALID_OFFSET_ALIGNMENT; DATA_OVERRUN is SUCCESS for the exact
  // STORAGE codes and stays DATA_OVERRUN for the §8.4 legacy-base codes)
  IOCTL_STORAGE_PERSISTENT_RESERVE_IN: [
    ...DEVICE, S.STATUS_INFO_LENGTH_MISMATCH, S.STATUS_INVALID_PARAMETER, S.STATUS_DATA_OVERRUN,
    S.STATUS_INVALID_OFFSET_ALIGNMENT,
  ],
  IOCTL_STORAGE_PERSISTENT_RESERVE_OUT: [
    ...DEVICE, S.STATUS_INFO_LENGTH_MISMATCH, S.STATUS_INVALID_PARAMETER, S.STATUS_INVALID_OFFSET_ALIGNMENT,
    S.STATUS_DATA_OVERRUN,
  ],
};

/** Codes the dispatcher does not hold (ioctl-codes.md §5). */
export const UNKNOWN_CODE_STATUSES: readonly number[] = [...IO_MANAGER, S.STATUS_INVALID_DEVICE_REQUEST];

const extra = new Map<string, readonly number[]>();

/** The band silo registers its D12 lists here. */
export function registerStatuses(table: Readonly<Record<string, readonly (number | string)[]>>): void {
  for (const [name, list] of Object.entries(table)) {
    extra.set(name, list.map((s) => (typeof s === 'number' ? s : S.statusByName(s)?.value ?? -1)));
  }
}

/** The statuses `name` may complete with, the I/O manager's included; undefined for a code with no row. */
export function allowedStatuses(name: string): ReadonlySet<number> | undefined {
  const row = rows[name] ?? extra.get(name);
  return row ? new Set([...IO_MANAGER, ...row]) : undefined;
}

/** ReadFile / WriteFile (class-driver.md §9): alignment, LBA range, DATA PROTECT, and the device's answers. */
export const READ_WRITE_STATUSES: ReadonlySet<number> = new Set([
  ...IO_MANAGER, ...DEVICE, S.STATUS_INVALID_PARAMETER, S.STATUS_NONEXISTENT_SECTOR,
  S.STATUS_ACCESS_DENIED, S.STATUS_MEDIA_WRITE_PROTECTED,
]);
