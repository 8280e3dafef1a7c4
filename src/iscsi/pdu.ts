// iSCSI PDUs (RFC 7143 §11): the 48-byte Basic Header Segment of every opcode the target handles, decoded
// from untrusted bytes into a value or a typed error naming the field, and the target's PDUs encoded.
//
// Not declared with src/codecs/layout: a BHS is one 48-byte block whose bytes 20-47 mean something
// different per opcode and whose flag bits share bytes with the opcode; the layout DSL describes one
// structure per declaration, so each opcode would need its own 48-byte declaration plus the common
// prefix. A fixed-offset DataView codec (docs/decisions/iscsi.md) keeps every offset in one table below,
// checks the only variable lengths (TotalAHSLength, DataSegmentLength) before anything is sliced, and
// allocates only the PDUs it sends.

/** RFC 7143 §11.2.1: every PDU starts with a 48-byte BHS. */
export const BHS_LENGTH = 48;
/** TotalAHSLength is one byte counting 4-byte words (§11.2.1.2): at most 1020 bytes of AHS. */
export const MAX_AHS_BYTES = 255 * 4;
/** The reserved tag (§11.2.1.8, §11.18.4): "no task" / "no target transfer tag". */
export const RESERVED_TAG = 0xffffffff;

/** Initiator opcodes (§11.2.1.2). */
export const OP_NOP_OUT = 0x00;
export const OP_SCSI_COMMAND = 0x01;
export const OP_TASK_MGMT_REQUEST = 0x02;
export const OP_LOGIN_REQUEST = 0x03;
export const OP_TEXT_REQUEST = 0x04;
export const OP_DATA_OUT = 0x05;
export const OP_LOGOUT_REQUEST = 0x06;
export const OP_SNACK_REQUEST = 0x10;

/** Target opcodes (§11.2.1.2). */
export const OP_NOP_IN = 0x20;
export const OP_SCSI_RESPONSE = 0x21;
export const OP_TASK_MGMT_RESPONSE = 0x22;
export const OP_LOGIN_RESPONSE = 0x23;
export const OP_TEXT_RESPONSE = 0x24;
export const OP_DATA_IN = 0x25;
export const OP_LOGOUT_RESPONSE = 0x26;
export const OP_R2T = 0x31;
export const OP_REJECT = 0x3f;

/** Reject reasons (§11.17.1). */
export const REJECT_PROTOCOL_ERROR = 0x04;
export const REJECT_COMMAND_NOT_SUPPORTED = 0x05;
export const REJECT_INVALID_PDU_FIELD = 0x09;

/** A decoded BHS: the common fields and the raw 48 bytes (a copy) for opcode-specific readers. */
export interface Bhs {
  readonly opcode: number;
  /** byte 0 bit 6, the I bit (§11.2.1.1) */
  readonly immediate: boolean;
  /** byte 1, opcode-specific flags (F is bit 7 in most PDUs) */
  readonly flags: number;
  /** TotalAHSLength in bytes (§11.2.1.2) */
  readonly ahsLength: number;
  /** DataSegmentLength in bytes, without padding (§11.2.1.3) */
  readonly dataLength: number;
  /** Initiator Task Tag, bytes 16-19 */
  readonly itt: number;
  readonly bytes: Uint8Array;
}

export interface PduDecodeError {
  readonly structure: 'BHS';
  readonly field: string;
  readonly offset: number;
  readonly detail: string;
}

export type BhsResult = { readonly ok: true; readonly value: Bhs } | { readonly ok: false; readonly error: PduDecodeError };

export function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
export function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

/** Data segments are padded to a 4-byte boundary (§11.2.3). */
export function padded(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Decodes the BHS at the start of `b` (at least 48 bytes). Bounds the two lengths a peer controls:
 * the AHS is at most 1020 bytes by construction; DataSegmentLength must not exceed `maxDataLength`
 * (the MaxRecvDataSegmentLength this target declared, §13.12) — nothing is allocated from it before.
 */
export function decodeBhs(b: Uint8Array, maxDataLength: number): BhsResult {
  if (b.length < BHS_LENGTH) return err('BHS', 0, `need ${BHS_LENGTH} bytes, have ${b.length}`);
  const opcode = b[0]! & 0x3f;
  const dataLength = (b[5]! << 16) | (b[6]! << 8) | b[7]!;
  if (dataLength > maxDataLength) {
    return err('DataSegmentLength', 5, `${dataLength} exceeds MaxRecvDataSegmentLength ${maxDataLength}`);
  }
  return {
    ok: true,
    value: {
      opcode,
      immediate: (b[0]! & 0x40) !== 0,
      flags: b[1]!,
      ahsLength: b[4]! * 4,
      dataLength,
      itt: u32(b, 16),
      bytes: b.slice(0, BHS_LENGTH),
    },
  };
}

function err(field: string, offset: number, detail: string): { ok: false; error: PduDecodeError } {
  return { ok: false, error: { structure: 'BHS', field, offset, detail } };
}

// ── initiator PDUs: field readers over a decoded BHS (offsets from RFC 7143 §11) ──

/** Login Request (§11.12). */
export interface LoginRequest {
  readonly transit: boolean;
  readonly continue: boolean;
  readonly csg: number;
  readonly nsg: number;
  readonly versionMax: number;
  readonly versionMin: number;
  /** 6 bytes, as 12 hex digits */
  readonly isid: string;
  readonly tsih: number;
  readonly itt: number;
  readonly cid: number;
  readonly cmdSN: number;
  readonly expStatSN: number;
}

export function loginRequest(h: Bhs): LoginRequest {
  const b = h.bytes;
  let isid = '';
  for (let i = 8; i < 14; i++) isid += b[i]!.toString(16).padStart(2, '0');
  return {
    transit: (h.flags & 0x80) !== 0,
    continue: (h.flags & 0x40) !== 0,
    csg: (h.flags >>> 2) & 3,
    nsg: h.flags & 3,
    versionMax: b[2]!,
    versionMin: b[3]!,
    isid,
    tsih: u16(b, 14),
    itt: h.itt,
    cid: u16(b, 20),
    cmdSN: u32(b, 24),
    expStatSN: u32(b, 28),
  };
}

/** SCSI Command (§11.3). */
export interface ScsiCommandPdu {
  readonly final: boolean;
  readonly read: boolean;
  readonly write: boolean;
  readonly lun: Uint8Array;
  readonly itt: number;
  readonly expectedDataTransferLength: number;
  readonly cmdSN: number;
  readonly expStatSN: number;
  /** the 16-byte CDB field (§11.3.5) */
  readonly cdb: Uint8Array;
}

export function scsiCommand(h: Bhs): ScsiCommandPdu {
  const b = h.bytes;
  return {
    final: (h.flags & 0x80) !== 0,
    read: (h.flags & 0x40) !== 0,
    write: (h.flags & 0x20) !== 0,
    lun: b.subarray(8, 16),
    itt: h.itt,
    expectedDataTransferLength: u32(b, 20),
    cmdSN: u32(b, 24),
    expStatSN: u32(b, 28),
    cdb: b.subarray(32, 48),
  };
}

/** SCSI Data-Out (§11.7). */
export interface DataOutPdu {
  readonly final: boolean;
  readonly itt: number;
  readonly ttt: number;
  readonly dataSN: number;
  readonly bufferOffset: number;
}

export function dataOut(h: Bhs): DataOutPdu {
  const b = h.bytes;
  return { final: (h.flags & 0x80) !== 0, itt: h.itt, ttt: u32(b, 20), dataSN: u32(b, 36), bufferOffset: u32(b, 40) };
}

/** Fields at the same place in NOP-Out, Text, Task Management and Logout requests (§11.18, §11.10, §11.5, §11.14). */
export interface RequestSerials {
  readonly ttt: number;
  readonly cmdSN: number;
  readonly expStatSN: number;
}

export function requestSerials(h: Bhs): RequestSerials {
  const b = h.bytes;
  return { ttt: u32(b, 20), cmdSN: u32(b, 24), expStatSN: u32(b, 28) };
}

/** Task Management Function Request (§11.5). */
export interface TaskManagementRequest {
  readonly func: number;
  readonly lun: Uint8Array;
  readonly referencedTaskTag: number;
  readonly refCmdSN: number;
}

export function taskManagementRequest(h: Bhs): TaskManagementRequest {
  const b = h.bytes;
  return { func: h.flags & 0x7f, lun: b.subarray(8, 16), referencedTaskTag: u32(b, 20), refCmdSN: u32(b, 32) };
}

/** Logout Request (§11.14): reason code in byte 1 bits 0-6. */
export function logoutReason(h: Bhs): number {
  return h.flags & 0x7f;
}

// ── target PDUs ──

/** The sequence numbers every target PDU carries at bytes 24-35 (§11.2.1.x StatSN/ExpCmdSN/MaxCmdSN). */
export interface Serials {
  readonly statSN: number;
  readonly expCmdSN: number;
  readonly maxCmdSN: number;
}

/** A PDU buffer: BHS + data segment padded to 4 bytes (§11.2.3), DataSegmentLength set. */
function pdu(opcode: number, flags: number, data: Uint8Array | undefined): Uint8Array {
  const n = data === undefined ? 0 : data.length;
  const out = Buffer.alloc(BHS_LENGTH + padded(n));
  out[0] = opcode;
  out[1] = flags;
  out[5] = (n >>> 16) & 0xff;
  out[6] = (n >>> 8) & 0xff;
  out[7] = n & 0xff;
  if (data !== undefined) out.set(data, BHS_LENGTH);
  return out;
}

function putSerials(b: Uint8Array, s: Serials): void {
  put32(b, 24, s.statSN);
  put32(b, 28, s.expCmdSN);
  put32(b, 32, s.maxCmdSN);
}

export interface LoginResponse extends Serials {
  readonly transit: boolean;
  readonly csg: number;
  readonly nsg: number;
  readonly isid: string;
  readonly tsih: number;
  readonly itt: number;
  readonly statusClass: number;
  readonly statusDetail: number;
}

/** Login Response (§11.13). Version-max and -active are 0 (§11.13.3). */
export function encodeLoginResponse(r: LoginResponse, data: Uint8Array): Uint8Array {
  const flags = (r.transit ? 0x80 : 0) | ((r.csg & 3) << 2) | (r.nsg & 3);
  const b = pdu(OP_LOGIN_RESPONSE, flags, data);
  for (let i = 0; i < 6; i++) b[8 + i] = parseInt(r.isid.slice(i * 2, i * 2 + 2), 16) || 0;
  put16(b, 14, r.tsih);
  put32(b, 16, r.itt);
  putSerials(b, r);
  b[36] = r.statusClass;
  b[37] = r.statusDetail;
  return b;
}

/** Text Response (§11.11): final, TTT reserved (no continuation offered). */
export function encodeTextResponse(itt: number, s: Serials, data: Uint8Array): Uint8Array {
  const b = pdu(OP_TEXT_RESPONSE, 0x80, data);
  put32(b, 16, itt);
  put32(b, 20, RESERVED_TAG);
  putSerials(b, s);
  return b;
}

export interface ScsiResponse extends Serials {
  readonly itt: number;
  readonly status: number;
  readonly expDataSN: number;
  /** > 0: underflow (U bit), < 0: overflow (O bit) — §11.4.5 */
  readonly residual: number;
  /** sense data, sent as SenseLength + bytes (§11.4.7) */
  readonly sense?: Uint8Array;
}

/** SCSI Response (§11.4), Response 00h "command completed at target". */
export function encodeScsiResponse(r: ScsiResponse): Uint8Array {
  let data: Uint8Array | undefined;
  if (r.sense !== undefined && r.sense.length > 0) {
    data = new Uint8Array(2 + r.sense.length);
    put16(data, 0, r.sense.length);
    data.set(r.sense, 2);
  }
  const flags = 0x80 | (r.residual > 0 ? 0x02 : 0) | (r.residual < 0 ? 0x04 : 0);
  const b = pdu(OP_SCSI_RESPONSE, flags, data);
  b[2] = 0x00;
  b[3] = r.status;
  put32(b, 16, r.itt);
  putSerials(b, r);
  put32(b, 36, r.expDataSN);
  put32(b, 44, Math.abs(r.residual));
  return b;
}

export interface DataIn {
  readonly lun: Uint8Array;
  readonly itt: number;
  readonly dataSN: number;
  readonly bufferOffset: number;
  readonly final: boolean;
  /** status carried in this (final) PDU, §11.7.4: only GOOD, never with sense */
  readonly status?: number;
  readonly residual: number;
}

/** SCSI Data-In (§11.7); StatSN is meaningful only with the S bit. */
export function encodeDataIn(d: DataIn, s: Serials, data: Uint8Array): Uint8Array {
  const withStatus = d.status !== undefined;
  const flags = (d.final ? 0x80 : 0) | (withStatus ? 0x01 : 0) |
    (withStatus && d.residual > 0 ? 0x02 : 0) | (withStatus && d.residual < 0 ? 0x04 : 0);
  const b = pdu(OP_DATA_IN, flags, data);
  if (withStatus) b[3] = d.status!;
  b.set(d.lun, 8);
  put32(b, 16, d.itt);
  put32(b, 20, RESERVED_TAG);
  putSerials(b, withStatus ? s : { ...s, statSN: 0 });
  put32(b, 36, d.dataSN);
  put32(b, 40, d.bufferOffset);
  if (withStatus) put32(b, 44, Math.abs(d.residual));
  return b;
}

export interface R2t {
  readonly lun: Uint8Array;
  readonly itt: number;
  readonly ttt: number;
  readonly r2tSN: number;
  readonly bufferOffset: number;
  readonly desiredLength: number;
}

/** Ready To Transfer (§11.8); StatSN is the next one, not advanced. */
export function encodeR2t(r: R2t, s: Serials): Uint8Array {
  const b = pdu(OP_R2T, 0x80, undefined);
  b.set(r.lun, 8);
  put32(b, 16, r.itt);
  put32(b, 20, r.ttt);
  putSerials(b, s);
  put32(b, 36, r.r2tSN);
  put32(b, 40, r.bufferOffset);
  put32(b, 44, r.desiredLength);
  return b;
}

/** NOP-In answering a NOP-Out (§11.19): same ITT and LUN, TTT reserved, ping data echoed. */
export function encodeNopIn(lun: Uint8Array, itt: number, s: Serials, data: Uint8Array | undefined): Uint8Array {
  const b = pdu(OP_NOP_IN, 0x80, data);
  b.set(lun, 8);
  put32(b, 16, itt);
  put32(b, 20, RESERVED_TAG);
  putSerials(b, s);
  return b;
}

/** Task Management Function Response codes (§11.6.1). */
export const TMF_COMPLETE = 0;
export const TMF_TASK_DOES_NOT_EXIST = 1;
export const TMF_LUN_DOES_NOT_EXIST = 2;
export const TMF_NOT_SUPPORTED = 5;

/** Task Management Function Response (§11.6). */
export function encodeTaskManagementResponse(itt: number, response: number, s: Serials): Uint8Array {
  const b = pdu(OP_TASK_MGMT_RESPONSE, 0x80, undefined);
  b[2] = response;
  put32(b, 16, itt);
  putSerials(b, s);
  return b;
}

/** Logout Response (§11.15), Response 0 "connection or session closed successfully"; Time2Wait/Retain 0. */
export function encodeLogoutResponse(itt: number, response: number, s: Serials): Uint8Array {
  const b = pdu(OP_LOGOUT_RESPONSE, 0x80, undefined);
  b[2] = response;
  put32(b, 16, itt);
  putSerials(b, s);
  return b;
}

/** Reject (§11.17): the data segment is the rejected PDU's header; ITT reserved. */
export function encodeReject(reason: number, rejectedHeader: Uint8Array, s: Serials): Uint8Array {
  const b = pdu(OP_REJECT, 0x80, rejectedHeader.subarray(0, BHS_LENGTH));
  b[2] = reason;
  put32(b, 16, RESERVED_TAG);
  putSerials(b, s);
  return b;
}
