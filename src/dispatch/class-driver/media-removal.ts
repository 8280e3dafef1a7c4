// IOCTL_STORAGE_MEDIA_REMOVAL (simple locks) and IOCTL_STORAGE_EJECTION_CONTROL (secure, per-handle locks):
// spec/class-driver.md §5.1-§5.5 (classpnp create.c ClasspEjectionControl, ClasspCleanupProtectedLocks).
// The new counts are computed first and committed in one step only when nothing failed — which is what
// classpnp's "change, send, undo on failure" amounts to for a synchronous caller (§5.2 step 7).

import {
  STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_DEVICE_STATE, STATUS_SUCCESS, ntSuccess,
} from '../../codecs/ntstatus';
import { IOCTL_STORAGE_EJECTION_CONTROL } from '../../codecs/ioctl-codes';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { CDB_ALLOW, CDB_PREVENT } from './cdbs';
import { ulongDec, ulongInc } from './path-state';

const SUCCESS = statusOnly(STATUS_SUCCESS);

/** Both codes (and MEDIA_REMOVAL's DISK/TAPE/CDROM aliases); Information is 0 in every case. */
export function mediaRemoval(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  // §5.1 step 1: InputBufferLength < sizeof(PREVENT_MEDIA_REMOVAL) = 1. Extra bytes and output ignored.
  const input = request.input;
  if (input.length < 1) return statusOnly(STATUS_INFO_LENGTH_MISMATCH);
  // §5.1 step 2: simple for MEDIA_REMOVAL and its aliases, secure for EJECTION_CONTROL.
  const secure = request.storageCode === IOCTL_STORAGE_EJECTION_CONTROL;
  // §5.2 step 1 (no FILE_OBJECT_EXTENSION) never happens for a handle opened by CreateFile.
  // §5.2 step 2: any non-zero byte locks (a C boolean).
  const byte = input[0]!;
  const lock = byte !== 0;

  const path = ctx.path;
  const handle = ctx.handle;
  let lockCount = path.lockCount;
  let protectedLockCount = path.protectedLockCount;
  let handleLockCount = handle.lockCount;

  if (lock) {
    // §5.2 step 3.
    if (secure) {
      handleLockCount = ulongInc(handleLockCount);
      protectedLockCount = ulongInc(protectedLockCount);
    } else {
      lockCount = ulongInc(lockCount);
    }
  } else {
    // §5.2 step 4.
    if (secure) {
      if (handleLockCount === 0) return statusOnly(STATUS_INVALID_DEVICE_STATE); // nothing changed, nothing sent
      handleLockCount = ulongDec(handleLockCount);
      protectedLockCount = ulongDec(protectedLockCount);
    } else if (lockCount !== 0) {
      lockCount = ulongDec(lockCount); // at zero: no change, not an error; the count has no owner
    }
    // InternalLockCount is always 0 in vdisk.
    if (lockCount !== 0 || protectedLockCount !== 0) {
      commit(ctx, lockCount, protectedLockCount, handleLockCount);
      return SUCCESS;
    }
  }

  // §5.2 step 5: a fixed disk changes the counts and sends nothing.
  if (!ctx.removable) {
    commit(ctx, lockCount, protectedLockCount, handleLockCount);
    return SUCCESS;
  }

  // §5.2 step 6: the raw byte goes into a 1-bit field, so p = byte & 1 (an even non-zero lock sends ALLOW);
  // an unlock's byte is 0, so it sends ALLOW.
  const status = ctx.scsi((byte & 1) !== 0 ? CDB_PREVENT : CDB_ALLOW).status;

  // §5.2 step 7: a failed command (NT_SUCCESS false: warnings such as STATUS_DEVICE_BUSY included) returns its
  // status and the count change is undone — here: never committed.
  if (!ntSuccess(status)) return statusOnly(status);
  commit(ctx, lockCount, protectedLockCount, handleLockCount);
  return SUCCESS;
}

function commit(ctx: HandlerContext, lockCount: number, protectedLockCount: number, handleLockCount: number): void {
  ctx.path.lockCount = lockCount;
  ctx.path.protectedLockCount = protectedLockCount;
  ctx.handle.lockCount = handleLockCount;
}

/**
 * §5.5 close processing, step 1 (ClasspCleanupProtectedLocks): drop the handle's secure locks; if that left
 * no secure and no simple lock, send ALLOW and ignore its result — without testing FILE_REMOVABLE_MEDIA. A
 * handle that held no secure lock sends nothing. Step 2 (MCN disables) is the handle's own state, dropped
 * with it.
 */
export function releaseSecureLocks(ctx: HandlerContext): void {
  const handle = ctx.handle;
  if (handle.lockCount === 0) return;
  const path = ctx.path;
  path.protectedLockCount = (path.protectedLockCount - handle.lockCount) >>> 0;
  handle.lockCount = 0;
  if (path.protectedLockCount === 0 && path.lockCount === 0) ctx.scsi(CDB_ALLOW);
}
