// Sending one SCSI command on a path, as classpnp + the port driver do it, reduced to what a caller can
// observe (spec/class-driver.md §10, §10.1): the device's answer goes through the §10 interpreter; a UNIT
// ATTENTION increments the path's MediaChangeCount and the command is re-sent until the answer is something
// else. Every other answer is final on the first attempt (vdisk's device is deterministic).

import { SCSISTAT_GOOD, type ScsiCommand } from '../../device/scsi';
import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import type { HostDevice, PathState, ScsiCompletion } from '../handler';
import { interpretSense } from './sense-to-status';
import { ulongInc } from './path-state';

/**
 * Defensive bound on re-sends for unit attentions within one request. The device keeps at most one of each
 * distinct condition per initiator (scsi-device.md §5: 29h/00h, 28h/00h, 2Ah/03h, 2Ah/04h, 2Ah/05h — five,
 * and "a condition already pending is not queued twice") and reports one per command, so a correct device
 * never needs more than 5 re-sends; the margin only keeps a misbehaving device from hanging the host. When
 * the bound is hit the request completes with the unit attention's interpretation (STATUS_IO_DEVICE_ERROR).
 */
export const MAX_UNIT_ATTENTION_RESENDS = 5 + 11;

const NO_DATA = new Map<number, ScsiCompletion>();

/** A completion without data, shared per status (no allocation on the hot path). */
export function completionOf(status: number): ScsiCompletion {
  let c = NO_DATA.get(status);
  if (c === undefined) {
    c = Object.freeze({ status });
    NO_DATA.set(status, c);
  }
  return c;
}

const SUCCESS = completionOf(STATUS_SUCCESS);

/**
 * Send `cdb` from `path`'s initiator and interpret the answer. `dataInLength` is the size of the data-in
 * buffer (0: none); a GOOD answer with fewer bytes is a data underrun, which the port reports as
 * SRB_STATUS_DATA_OVERRUN (§10 step 3 → STATUS_DATA_OVERRUN, the data kept; §8.3 turns it into success for
 * the PR IOCTLs). Mutates only path.mediaChangeCount (the side effect §10.1 allows even on failure).
 */
export function sendCommand(
  device: HostDevice, path: PathState, cdb: Uint8Array, dataOut: Uint8Array | undefined, dataInLength: number,
): ScsiCompletion {
  const opcode = cdb.length > 0 ? cdb[0]! : 0;
  const command: ScsiCommand = { cdb, dataOut, dataInLength };
  for (let resends = 0; ; resends++) {
    const r = device.execute(path.initiator, command);
    if (r.kind === 'timeout') return completionOf(interpretSense('selection-timeout', 0, undefined, opcode).status);
    if (r.status === SCSISTAT_GOOD) {
      const data = r.dataIn;
      if (dataInLength > 0 && (data === undefined || data.length < dataInLength)) {
        const status = interpretSense('data-overrun', r.status, undefined, opcode).status;
        return data === undefined || data.length === 0 ? completionOf(status) : { status, dataIn: data };
      }
      return data === undefined || data.length === 0 ? SUCCESS : { status: STATUS_SUCCESS, dataIn: data };
    }
    const interp = interpretSense('error', r.status, r.sense, opcode);
    if (!interp.unitAttention) return completionOf(interp.status);
    path.mediaChangeCount = ulongInc(path.mediaChangeCount);
    if (resends >= MAX_UNIT_ATTENTION_RESENDS) return completionOf(interp.status);
  }
}
