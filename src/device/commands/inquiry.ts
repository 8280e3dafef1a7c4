// INQUIRY (SPC-4; scsi-device.md §3.1). Works without a medium, never reports or clears a unit attention
// and never conflicts (the opcode table exempts it from §2 steps 1 and 3).

import { layouts } from '../../codecs/layouts';
import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandHandler } from './context';

/** EVPD page 00h, SUPPORTED VPD PAGES: only page 00h itself (§3.1, vdisk). */
const SUPPORTED_VPD_PAGES = Uint8Array.of(0x00, 0x00, 0x00, 0x01, 0x00);

export const inquiry: CommandHandler = (lu, _initiator, cdb, _command, limit) => {
  const f = CDB_FIELDS.INQUIRY;
  const evpd = f.EVPD(cdb, 0);
  const page = f.PAGE_CODE(cdb, 0);
  const allocation = Math.min(f.ALLOCATION_LENGTH(cdb, 0), limit);
  if (evpd === 0) {
    if (page !== 0) return fail(SENSE.INVALID_FIELD_IN_CDB); // EVPD 0 with a page code (§3.1)
    return dataIn(lu.inquiryData, allocation);
  }
  if (page !== 0x00) return fail(SENSE.INVALID_FIELD_IN_CDB); // no other VPD page (§3.1, vdisk)
  return dataIn(SUPPORTED_VPD_PAGES, allocation);
};

/** Flags7 bit 1: CMDQUE (command queuing supported; §3.1 "byte 7 CMDQUE 1"). */
const FLAGS7_CMDQUE = 0x02;

/** Standard INQUIRY data, 36 bytes (layouts.md INQUIRY_STANDARD_DATA; §3.1 values); fields not named are 0. */
function encodeStandardInquiryData(removable: boolean): Uint8Array {
  return Uint8Array.from(layouts.INQUIRY_STANDARD_DATA.bytes({
    PERIPHERAL_QUALIFIER: 0,                          // 000b: connected
    PERIPHERAL_DEVICE_TYPE: 0x00,                     // direct-access block device
    RMB: removable ? 1 : 0,
    VERSION: 0x06,                                    // SPC-4
    RESPONSE_DATA_FORMAT: 2,
    ADDITIONAL_LENGTH: layouts.INQUIRY_STANDARD_DATA.size - 5, // n − 4 with n the last byte: 31 (§3.1)
    Flags7: FLAGS7_CMDQUE,
    T10_VENDOR_IDENTIFICATION: 'VDISK',               // the encoder pads ASCII fields with spaces
    PRODUCT_IDENTIFICATION: 'VIRTUAL DISK',
    PRODUCT_REVISION_LEVEL: '0001',
  }));
}

/** Both variants, encoded once; handlers only ever copy out of them (dataIn). */
const STANDARD_INQUIRY_DATA = Object.freeze({
  fixed: encodeStandardInquiryData(false),
  removable: encodeStandardInquiryData(true),
});

/** Standard INQUIRY data for a disk: shared, read-only by contract (the LU keeps it, dataIn copies it). */
export function standardInquiryData(removable: boolean): Uint8Array {
  return removable ? STANDARD_INQUIRY_DATA.removable : STANDARD_INQUIRY_DATA.fixed;
}
