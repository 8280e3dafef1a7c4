// vdisk's public entry. Exports are explicit: what is listed here is the library's API.

// The host: handles, DeviceIoControl, ReadFile/WriteFile, close, process exit, power cycle, reboot.
export { Host, INVALID_HANDLE_VALUE } from './host';
export type { OpenOptions, HostDisk, HostDiskInfo, IoResult, HostSnapshot } from './host';

// The dispatch table and the handler contract (the band silo, CLI, scenario parser and fuzzer read these).
export { CLASS_DRIVER_IOCTLS, ioctlTable, lookupCode, registerIoctls } from './dispatch/dispatcher';
export type { RegisterResult } from './dispatch/dispatcher';
export { registerPathExtension } from './dispatch/path-extensions';
export { statusOnly } from './dispatch/handler';
export type {
  HandleState, HandlerContext, HostDevice, IoctlEntry, IoctlHandler, IoctlRequest, IoctlResult,
  PathExtension, PathState, PowerOutcome, ScsiCompletion, ScsiOptions,
} from './dispatch/handler';
export { interpretSense } from './dispatch/class-driver/sense-to-status';
export type { Interpretation, SrbStatus } from './dispatch/class-driver/sense-to-status';

// IOCTL codes (ioctl-codes.md).
export {
  IOCTL_CODES, ctlCode, decomposeCode, codeByName, codeByValue, codeName, codeNames, storageAlias,
  requiredAccess, parseCode,
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
} from './codecs/ioctl-codes';
export type { IoctlCode, IoctlName, CodeParts } from './codecs/ioctl-codes';

// NTSTATUS (ntstatus.md).
export {
  NTSTATUS_TABLE, statusName, statusByName, statusInfo, parseStatus, hexStatus, severity, ntSuccess,
  ntInformation, ntWarning, ntError, win32Error, ERROR_MR_MID_NOT_FOUND,
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
} from './codecs/ntstatus';
export type { NtStatusName, NtStatusInfo, Severity } from './codecs/ntstatus';

// Access rights (io-manager.md §2).
export {
  ACCESS_RIGHTS, mapGenericAccess, parseAccess,
  FILE_READ_DATA, FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_READ_EA, FILE_WRITE_EA, FILE_EXECUTE,
  FILE_READ_ATTRIBUTES, FILE_WRITE_ATTRIBUTES, DELETE, READ_CONTROL, WRITE_DAC, WRITE_OWNER, SYNCHRONIZE,
  FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS,
  GENERIC_READ, GENERIC_WRITE, GENERIC_EXECUTE, GENERIC_ALL, MAXIMUM_ALLOWED,
} from './codecs/access-rights';
export type { AccessRightName } from './codecs/access-rights';

// The SCSI boundary (for custom devices and tests).
export type { ScsiTarget, ScsiCommand, ScsiResult, Initiator } from './device/scsi';

// The virtual device (scsi-device.md; options: scenario-format.md `disk`).
export { VirtualDisk } from './device/virtual-disk';
export type { DeviceSnapshot, CreateResult, PowerResult, VirtualDiskError } from './device/virtual-disk';
export type { DiskOptions, ResolvedDiskOptions } from './device/disk-options';

// Every structure of layouts.md as `layouts.NAME` (decode / encode / size / offsets / generators).
export { layouts } from './codecs/layouts';
export type { LayoutName } from './codecs/layouts';

// The band-management silo's registration (Host calls it; idempotent).
export { registerBandSilo } from './dispatch/band-silo';
