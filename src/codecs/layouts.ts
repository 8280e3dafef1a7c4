// Every structure of spec/layouts.md, keyed by its Windows / spec name (the names in spec/data/layouts.json).
// Handlers, the dispatch table, the annotated hex dump and the fuzzer reach a layout through this one map;
// tests/codecs/layout-contract.test.ts checks it against the json both ways.

import { PERSISTENT_RESERVE_COMMAND } from './windows/persistent-reserve-command';
import { PRO_PARAMETER_LIST } from './windows/pro-parameter-list';
import { PRI_REGISTRATION_LIST } from './windows/pri-registration-list';
import { PRI_RESERVATION_DESCRIPTOR } from './windows/pri-reservation-descriptor';
import { PRI_RESERVATION_LIST } from './windows/pri-reservation-list';
import { PREVENT_MEDIA_REMOVAL } from './windows/prevent-media-removal';
import { AUTH_KEY } from './windows/auth-key';
import { BAND_MANAGEMENT_CAPABILITIES } from './windows/band-management-capabilities';
import { ACTIVATE_REVERT_PARAMETERS } from './windows/activate-revert-parameters';
import { ENUMERATE_BANDS_PARAMETERS } from './windows/enumerate-bands-parameters';
import { BAND_LOCATION_INFO } from './windows/band-location-info';
import { BAND_SECURITY_INFO } from './windows/band-security-info';
import { BAND_TABLE_ENTRY } from './windows/band-table-entry';
import { BAND_TABLE } from './windows/band-table';
import { CREATE_BAND_PARAMETERS } from './windows/create-band-parameters';
import { SET_BAND_LOCATION_PARAMETERS } from './windows/set-band-location-parameters';
import { SET_BAND_SECURITY_PARAMETERS } from './windows/set-band-security-parameters';
import { GET_BAND_METADATA_PARAMETERS } from './windows/get-band-metadata-parameters';
import { SET_BAND_METADATA_PARAMETERS } from './windows/set-band-metadata-parameters';
import { DELETE_BAND_PARAMETERS } from './windows/delete-band-parameters';
import { ERASE_BAND_PARAMETERS } from './windows/erase-band-parameters';
import { SET_SID_PARAMETERS } from './windows/set-sid-parameters';
import {
  CDB_INQUIRY, CDB_PERSISTENT_RESERVE_IN, CDB_PERSISTENT_RESERVE_OUT, CDB_PREVENT_ALLOW_MEDIUM_REMOVAL,
  CDB_READ10, CDB_READ16, CDB_READ_CAPACITY10, CDB_READ_CAPACITY16, CDB_RELEASE10, CDB_RELEASE6,
  CDB_RESERVE10, CDB_RESERVE6, CDB_START_STOP_UNIT, CDB_TEST_UNIT_READY, CDB_WRITE10, CDB_WRITE16,
} from './scsi/cdb';
import { INQUIRY_STANDARD_DATA, READ_CAPACITY10_DATA, READ_CAPACITY16_DATA } from './scsi/block-data';
import { PR_OUT_PARAMETER_LIST, PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST } from './scsi/pr-out-parameter-list';
import {
  PR_IN_FULL_STATUS_DESCRIPTOR, PR_IN_READ_KEYS_DATA, PR_IN_READ_RESERVATION_DATA,
  PR_IN_REPORT_CAPABILITIES_DATA, PR_IN_RESERVATION_DESCRIPTOR,
} from './scsi/pr-in-data';
import { SENSE_DATA_FIXED } from './scsi/sense';

export const layouts = {
  // §1 persistent reservations (ntddstor.h, scsi.h)
  PERSISTENT_RESERVE_COMMAND,
  PRO_PARAMETER_LIST,
  PRI_REGISTRATION_LIST,
  PRI_RESERVATION_DESCRIPTOR,
  PRI_RESERVATION_LIST,
  PREVENT_MEDIA_REMOVAL,
  // §2 band management (ehstorbandmgmt.h)
  AUTH_KEY,
  BAND_MANAGEMENT_CAPABILITIES,
  ACTIVATE_REVERT_PARAMETERS,
  ENUMERATE_BANDS_PARAMETERS,
  BAND_LOCATION_INFO,
  BAND_SECURITY_INFO,
  BAND_TABLE_ENTRY,
  BAND_TABLE,
  CREATE_BAND_PARAMETERS,
  SET_BAND_LOCATION_PARAMETERS,
  SET_BAND_SECURITY_PARAMETERS,
  GET_BAND_METADATA_PARAMETERS,
  SET_BAND_METADATA_PARAMETERS,
  DELETE_BAND_PARAMETERS,
  ERASE_BAND_PARAMETERS,
  SET_SID_PARAMETERS,
  // §3 SCSI formats
  CDB_TEST_UNIT_READY,
  CDB_INQUIRY,
  INQUIRY_STANDARD_DATA,
  CDB_READ_CAPACITY10,
  READ_CAPACITY10_DATA,
  CDB_READ_CAPACITY16,
  READ_CAPACITY16_DATA,
  CDB_READ10,
  CDB_WRITE10,
  CDB_READ16,
  CDB_WRITE16,
  CDB_START_STOP_UNIT,
  CDB_PREVENT_ALLOW_MEDIUM_REMOVAL,
  CDB_RESERVE6,
  CDB_RELEASE6,
  CDB_RESERVE10,
  CDB_RELEASE10,
  CDB_PERSISTENT_RESERVE_IN,
  CDB_PERSISTENT_RESERVE_OUT,
  PR_OUT_PARAMETER_LIST,
  PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST,
  PR_IN_READ_KEYS_DATA,
  PR_IN_READ_RESERVATION_DATA,
  PR_IN_RESERVATION_DESCRIPTOR,
  PR_IN_REPORT_CAPABILITIES_DATA,
  PR_IN_FULL_STATUS_DESCRIPTOR,
  SENSE_DATA_FIXED,
} as const;

export type LayoutName = keyof typeof layouts;
