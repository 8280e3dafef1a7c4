// IOCTL_STORAGE_CHECK_VERIFY / CHECK_VERIFY2 (spec/class-driver.md §7; classpnp ClassCheckVerifyComplete).

import { STATUS_BUFFER_TOO_SMALL } from '../../codecs/ntstatus';
import type { HandlerContext, IoctlRequest, IoctlResult } from '../handler';
import { statusOnly } from '../handler';
import { CDB_TEST_UNIT_READY } from './cdbs';

/** sizeof(ULONG): the MediaChangeCount written to the output */
const COUNT_SIZE = 4;

/** classpnp completes a 1-3-byte output buffer with Information 4; as an error the caller sees 0 (io-manager.md §4). */
const TOO_SMALL: IoctlResult = Object.freeze({ status: STATUS_BUFFER_TOO_SMALL, information: COUNT_SIZE });

export function checkVerify(ctx: HandlerContext, request: IoctlRequest): IoctlResult {
  // 1. An output buffer, but smaller than a ULONG. The input buffer is ignored.
  const outLen = request.outputLength;
  if (outLen !== 0 && outLen < COUNT_SIZE) return TOO_SMALL;
  // 2. TEST UNIT READY (CHECK_VERIFY2 only lowers its priority: identical here). Unit attentions are
  //    retried inside ctx.scsi and counted first (§7 step 4), so the count below includes them.
  const status = ctx.scsi(CDB_TEST_UNIT_READY).status;
  // 3. Without an output buffer: the TUR's status, Information 0.
  if (outLen === 0) return statusOnly(status);
  // 3. With one: the path's current MediaChangeCount (ULONG, little-endian) and Information 4, whatever the
  //    TUR's status — an error copies nothing back anyway (io-manager.md §4).
  const n = ctx.path.mediaChangeCount;
  const output = new Uint8Array(COUNT_SIZE);
  output[0] = n & 0xff;
  output[1] = (n >>> 8) & 0xff;
  output[2] = (n >>> 16) & 0xff;
  output[3] = (n >>> 24) & 0xff;
  return { status, information: COUNT_SIZE, output };
}
