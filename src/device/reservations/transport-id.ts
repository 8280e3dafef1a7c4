// The iSCSI TransportID that describes every I_T nexus (persistent-reservations.md §9.5): READ FULL
// STATUS reports it for each registrant and REGISTER AND MOVE names its destination with it.
// Initiator-device format as LIO `iscsi_get_pr_transport_id` builds it (SPC-4 iSCSI TransportID):
//
//   byte 0     05h: FORMAT CODE 00b (bits 6-7), PROTOCOL IDENTIFIER 5h iSCSI (bits 0-3)
//   byte 1     reserved
//   bytes 2-3  ADDITIONAL LENGTH, big-endian: the length of the name field
//   bytes 4-   the initiator name in UTF-8, NUL-terminated, NUL-padded to a multiple of 4 and to at
//              least 20 bytes (SPC-4: ADDITIONAL LENGTH "shall be at least 20" and a multiple of 4)

import type { Initiator } from '../scsi';

/** byte 0: FORMAT CODE 00b, PROTOCOL IDENTIFIER 5h (iSCSI) */
export const TRANSPORT_ID_ISCSI_INITIATOR_DEVICE = 0x05;
/** SPC-4: the name field is at least 20 bytes */
export const TRANSPORT_ID_MIN_NAME_FIELD = 20;
/** ADDITIONAL LENGTH is 16 bits and a multiple of 4 */
export const TRANSPORT_ID_MAX_NAME_FIELD = 0xfffc;

function utf8(name: Initiator): Buffer {
  return Buffer.from(name, 'utf8');
}

/** Length of the name field for a name of `nameBytes` UTF-8 bytes: + NUL, rounded up to 4, at least 20. */
function nameFieldLength(nameBytes: number): number {
  return Math.max(TRANSPORT_ID_MIN_NAME_FIELD, (nameBytes + 1 + 3) & ~3);
}

/** Total TransportID length for `initiator` (4-byte header + name field), without building it. */
export function transportIdLength(initiator: Initiator): number {
  return 4 + nameFieldLength(Buffer.byteLength(initiator, 'utf8'));
}

/**
 * Writes the TransportID of `initiator` into `out` at `at`, truncated at `out.length` (PR IN data is cut
 * at the allocation length, §9). Returns the full length. Names longer than the 16-bit ADDITIONAL LENGTH
 * allows cannot arise from vdisk's scenario names; such a name is cut to fit rather than throwing.
 */
export function writeTransportId(initiator: Initiator, out: Uint8Array, at: number): number {
  let name = utf8(initiator);
  if (name.length + 1 > TRANSPORT_ID_MAX_NAME_FIELD) name = name.subarray(0, TRANSPORT_ID_MAX_NAME_FIELD - 1);
  const field = nameFieldLength(name.length);
  const total = 4 + field;
  const put = (offset: number, byte: number): void => {
    if (at + offset < out.length) out[at + offset] = byte;
  };
  put(0, TRANSPORT_ID_ISCSI_INITIATOR_DEVICE);
  put(1, 0);
  put(2, field >>> 8);
  put(3, field & 0xff);
  const room = Math.max(0, Math.min(name.length, out.length - (at + 4)));
  if (room > 0) out.set(name.subarray(0, room), at + 4);
  for (let i = 4 + name.length; i < total && at + i < out.length; i++) out[at + i] = 0;
  return total;
}

/** The whole TransportID of `initiator` (tests, REGISTER AND MOVE parameter lists). */
export function encodeTransportId(initiator: Initiator): Uint8Array {
  const out = new Uint8Array(transportIdLength(initiator));
  writeTransportId(initiator, out, 0);
  return out;
}

export type TransportIdError =
  | 'short'               // fewer than 4 bytes, or the name field runs past the given bytes
  | 'length-mismatch'     // 4 + ADDITIONAL LENGTH ≠ the bytes given (TRANSPORTID PARAMETER DATA LENGTH)
  | 'not-iscsi-device'    // byte 0 ≠ 05h: another protocol, or FORMAT CODE 01b (initiator port + ISID)
  | 'reserved'            // byte 1 ≠ 0
  | 'bad-name-field'      // ADDITIONAL LENGTH < 20 or not a multiple of 4
  | 'not-terminated'      // no NUL, an empty name, or non-NUL bytes after the terminator
  | 'not-utf8';

/**
 * Parses exactly one TransportID occupying all of `bytes` (REGISTER AND MOVE, §4.7 step 4: "accepts
 * exactly this form"). Never throws; never allocates more than the bytes given.
 */
export function decodeTransportId(
  bytes: Uint8Array,
): { ok: true; value: Initiator } | { ok: false; error: TransportIdError } {
  if (bytes.length < 4) return { ok: false, error: 'short' };
  const field = (bytes[2]! << 8) | bytes[3]!;
  if (4 + field !== bytes.length) return { ok: false, error: bytes.length < 4 + field ? 'short' : 'length-mismatch' };
  if (bytes[0] !== TRANSPORT_ID_ISCSI_INITIATOR_DEVICE) return { ok: false, error: 'not-iscsi-device' };
  if (bytes[1] !== 0) return { ok: false, error: 'reserved' };
  if (field < TRANSPORT_ID_MIN_NAME_FIELD || field % 4 !== 0) return { ok: false, error: 'bad-name-field' };
  const nameField = bytes.subarray(4);
  const nul = nameField.indexOf(0);
  if (nul <= 0) return { ok: false, error: 'not-terminated' };
  for (let i = nul + 1; i < nameField.length; i++) {
    if (nameField[i] !== 0) return { ok: false, error: 'not-terminated' };
  }
  const raw = nameField.subarray(0, nul);
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const name = buf.toString('utf8');
  // toString replaces malformed sequences with U+FFFD instead of failing; a lossless round trip is the
  // check that does not throw (TextDecoder's fatal mode would).
  if (!utf8(name).equals(buf)) return { ok: false, error: 'not-utf8' };
  return { ok: true, value: name };
}
