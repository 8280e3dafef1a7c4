// INQUIRY (SPC-4; scsi-device.md §3.1). Works without a medium, never reports or clears a unit attention
// and never conflicts (the opcode table exempts it from §2 steps 1 and 3).

import { CDB, readBits, u16be } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import { dataIn, fail, type CommandHandler } from './context';

/** EVPD page 00h, SUPPORTED VPD PAGES: only page 00h itself (§3.1, vdisk). */
const SUPPORTED_VPD_PAGES = Uint8Array.of(0x00, 0x00, 0x00, 0x01, 0x00);

export const inquiry: CommandHandler = (lu, _initiator, cdb, _command, limit) => {
  const f = CDB.INQUIRY;
  const evpd = readBits(cdb, f.EVPD);
  const page = cdb[f.PAGE_CODE]!;
  const allocation = Math.min(u16be(cdb, f.ALLOCATION_LENGTH), limit);
  if (evpd === 0) {
    if (page !== 0) return fail(SENSE.INVALID_FIELD_IN_CDB); // EVPD 0 with a page code (§3.1)
    return dataIn(lu.inquiryData, allocation);
  }
  if (page !== 0x00) return fail(SENSE.INVALID_FIELD_IN_CDB); // no other VPD page (§3.1, vdisk)
  return dataIn(SUPPORTED_VPD_PAGES, allocation);
};

const ascii = (text: string, n: number): number[] => [...text.padEnd(n, ' ')].map((c) => c.charCodeAt(0));

/** Standard INQUIRY data, 36 bytes (layouts.md INQUIRY_STANDARD_DATA; §3.1 values). */
export function standardInquiryData(removable: boolean): Uint8Array {
  return Uint8Array.from([
    0x00,                       // PERIPHERAL_QUALIFIER 000b, PERIPHERAL_DEVICE_TYPE 00h (direct access)
    removable ? 0x80 : 0x00,    // RMB
    0x06,                       // VERSION: SPC-4
    0x02,                       // RESPONSE_DATA_FORMAT 2 (HISUP, NORMACA 0)
    31,                         // ADDITIONAL_LENGTH: n − 4 − 1 = 31 (§3.1)
    0x00, 0x00,                 // Flags5, Flags6
    0x02,                       // Flags7: CMDQUE
    ...ascii('VDISK', 8),       // T10_VENDOR_IDENTIFICATION
    ...ascii('VIRTUAL DISK', 16), // PRODUCT_IDENTIFICATION
    ...ascii('0001', 4),        // PRODUCT_REVISION_LEVEL
  ]);
}
