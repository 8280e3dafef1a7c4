// IOCTL_STORAGE_PERSISTENT_RESERVE_IN / _OUT (spec/class-driver.md §8; classpnp utils.c
// ClasspPersistentReserve, class.c ClassIoComplete). Input: PERSISTENT_RESERVE_COMMAND (layouts.md §1),
// read field by field at the offsets the layout declares — a 12-byte header needs no decoder object, and
// this path is fuzzed hard.

import {
  STATUS_DATA_OVERRUN, STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_PARAMETER, STATUS_SUCCESS,
} from '../../codecs/ntstatus';
import { IOCTL_STORAGE_PERSISTENT_RESERVE_IN, IOCTL_STORAGE_PERSISTENT_RESERVE_OUT } from '../../codecs/ioctl-codes';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { cdbPersistentReserveIn, cdbPersistentReserveOut } from './cdbs';

/** sizeof(PERSISTENT_RESERVE_COMMAND) */
const COMMAND_SIZE = 12;
/** sizeof(PERSISTENT_RESERVE_COMMAND) + sizeof(PRO_PARAMETER_LIST): OUT-5's minimum input */
const OUT_MIN_INPUT = 12 + 24;
/** The PR OUT parameter list starts at PR_OUT.ParameterList, offset 10 (not 12), and is 24 bytes long. */
const PARAMETER_LIST_OFFSET = 10;
const PARAMETER_LIST_SIZE = 24;

const INFO_LENGTH_MISMATCH = statusOnly(STATUS_INFO_LENGTH_MISMATCH);
const INVALID_PARAMETER = statusOnly(STATUS_INVALID_PARAMETER);

// scsi.h RESERVATION_ACTION_* / RESERVATION_SCOPE_* / RESERVATION_TYPE_* (layouts.md reservation constants)
const READ_KEYS = 0x00;
const READ_RESERVATIONS = 0x01;
const RESERVE = 0x01;
const RELEASE = 0x02;
const PREEMPT = 0x04;
const PREEMPT_ABORT = 0x05;
const REGISTER_IGNORE_EXISTING = 0x06;

function u32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Both codes, and every DISK/TAPE/CDROM-base code with function 0x406 or 0x407 (§8.4). */
export function persistentReserve(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  const input = request.input;
  // 1. InputBufferLength < sizeof(PERSISTENT_RESERVE_COMMAND).
  if (input.length < COMMAND_SIZE) return INFO_LENGTH_MISMATCH;
  // 2. Size < 12 (Version, offset 0, is never checked).
  const size = u32le(input, 4);
  if (size < COMMAND_SIZE) return INFO_LENGTH_MISMATCH;
  // 3. Buffer alignment: kernel callers only, never in vdisk.
  // §8.4: the ORIGINAL code decides the direction — anything but exactly PERSISTENT_RESERVE_IN is an OUT.
  return request.code === IOCTL_STORAGE_PERSISTENT_RESERVE_IN
    ? reserveIn(ctx, request)
    : reserveOut(ctx, request, size);
}

function reserveIn(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  const input = request.input;
  const serviceAction = input[8]! & 0x1f; // PR_IN.ServiceAction; Reserved1 (bits 5-7) never checked
  const allocationLength = input[10]! | (input[11]! << 8); // PR_IN.AllocationLength, USHORT little-endian
  const outputLength = request.outputLength;
  // IN-4.
  if (outputLength < allocationLength) return INVALID_PARAMETER;
  // IN-5: only READ KEYS and READ RESERVATIONS, each with room for the 8-byte header.
  if (serviceAction !== READ_KEYS && serviceAction !== READ_RESERVATIONS) return INVALID_PARAMETER;
  if (allocationLength < 8) return INVALID_PARAMETER;
  // §8.2: the data-in buffer is OutputBufferLength long, not AllocationLength.
  const done = ctx.scsi(cdbPersistentReserveIn(serviceAction, allocationLength), { dataInLength: outputLength });
  // §8.3: a data underrun / ILLEGAL REQUEST 1Ah (STATUS_DATA_OVERRUN) becomes success for exactly this code.
  const status = done.status === STATUS_DATA_OVERRUN ? STATUS_SUCCESS : done.status;
  const data = done.dataIn;
  if (data === undefined || data.length === 0) return statusOnly(status);
  // Information = the bytes the device returned (never more than the buffer).
  const n = Math.min(data.length, outputLength);
  return { status, information: n, output: n === data.length ? data : data.subarray(0, n) };
}

function reserveOut(ctx: HandlerContext, request: IoctlRequest, size: number): IoctlResult {
  const input = request.input;
  const serviceAction = input[8]! & 0x1f; // PR_OUT.ServiceAction
  const scopeType = input[9]!;
  const type = scopeType & 0x0f; // PR_OUT.Type
  const scope = scopeType >>> 4; // PR_OUT.Scope
  // OUT-4: RESERVE, RELEASE, PREEMPT, PREEMPT_ABORT need scope LU/ELEMENT and type 1/3/5/6; actions beyond
  // REGISTER_IGNORE_EXISTING (7 REGISTER AND MOVE, 8 REPLACE LOST RESERVATION, …) cannot pass.
  if (serviceAction > REGISTER_IGNORE_EXISTING) return INVALID_PARAMETER;
  if (serviceAction === RESERVE || serviceAction === RELEASE || serviceAction === PREEMPT || serviceAction === PREEMPT_ABORT) {
    if (scope !== 0 && scope !== 2) return INVALID_PARAMETER;
    if (type !== 1 && type !== 3 && type !== 5 && type !== 6) return INVALID_PARAMETER;
  }
  // OUT-5: room for the parameter list, and Size at least the input length.
  if (input.length < OUT_MIN_INPUT || size < input.length) return INVALID_PARAMETER;
  // §8.2: scope and type are copied into the CDB for every action (unchecked for REGISTER/CLEAR/REGISTER_IE);
  // data-out = the 24 bytes at offsets 10-33, unchanged.
  const dataOut = input.subarray(PARAMETER_LIST_OFFSET, PARAMETER_LIST_OFFSET + PARAMETER_LIST_SIZE);
  const status = ctx.scsi(cdbPersistentReserveOut(serviceAction, scopeType), { dataOut }).status;
  // §8.3 / §8.4: DATA_OVERRUN → SUCCESS only when the original code is exactly PERSISTENT_RESERVE_OUT.
  // Information 0 (vdisk).
  if (status === STATUS_DATA_OVERRUN && request.code === IOCTL_STORAGE_PERSISTENT_RESERVE_OUT) {
    return statusOnly(STATUS_SUCCESS);
  }
  return statusOnly(status);
}
