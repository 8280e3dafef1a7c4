// One iSCSI connection and its session (RFC 7143; MaxConnections 1, so a session has one connection):
// PDU framing on the byte stream, the login phase (login.ts), then full feature phase — SCSI commands
// with immediate / unsolicited data and R2T for the rest (§4.2.5), Data-In with the status in the last
// PDU or a SCSI Response with sense (§11.4, §11.7), NOP, Task Management, Text (SendTargets), Logout.
//
// Bounds (a peer never makes the target allocate from a number it sent): a PDU's DataSegmentLength must
// not exceed the MaxRecvDataSegmentLength the target declared (8192 during login, §13.12) and its AHS is
// at most 1020 bytes (a one-byte word count), so one PDU is at most 48 + 1020 + 262144 bytes; login and
// text data reassembled across C-bit PDUs is bounded (login.ts MAX_TEXT_BYTES); write data is collected
// from the Data-Out PDUs actually received — never pre-allocated from ExpectedDataTransferLength — and a
// transfer larger than the device's MAXIMUM_TRANSFER_BYTES is refused before any data is accepted; the
// number of tasks waiting for data is bounded; output is paused while the socket's send queue is full.
// A malformed PDU gets a Reject (§11.17) when the stream is still in step, else the connection is dropped.

import type { Socket } from 'node:net';
import { MAXIMUM_TRANSFER_BYTES } from '../device/commands/read-write';
import { SCSISTAT_CHECK_CONDITION, SCSISTAT_GOOD } from '../device/scsi';
import { fixedSenseData, SENSE } from '../device/sense-codes';
import {
  DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH, DEFAULT_SESSION_PARAMETERS, encodeText, LoginNegotiation, LOGIN_INVALID_REQUEST,
  LOGIN_SESSION_DOES_NOT_EXIST, MAX_TEXT_BYTES, parseText, sendTargets, TARGET_MAX_RECV_DATA_SEGMENT_LENGTH,
  type LoginStatus, type SecurityOptions, type SessionParameters, type TargetIdentity, type TextPairs,
} from './login';
import * as P from './pdu';
import { logicalUnitReset, nexusLoss, type ServedDisk } from './resets';

/** CmdSN window offered to the initiator: MaxCmdSN = ExpCmdSN + CMD_WINDOW − 1 (§4.2.2.1). */
const CMD_WINDOW = 32;
/** Tasks waiting for Data-Out at once; the CmdSN window bounds non-immediate ones, this bounds all. */
const MAX_PENDING_TASKS = 64;
/** Output queued on the socket above which input is paused until it drains. */
const SEND_HIGH_WATER = 32 * 1024 * 1024;
/** A login that has not reached full feature phase by then is dropped (§6.3 leaves the timeout to the target). */
const LOGIN_TIMEOUT_MS = 30_000;

/** What a connection needs from the target that accepted it (target.ts). */
export interface Portal {
  readonly disk: ServedDisk;
  readonly identity: (conn: Connection) => TargetIdentity;
  /** authentication the security stage requires (§12.1; CHAP when configured) */
  readonly security: SecurityOptions;
  /** A Normal session reached full feature phase: registers it, reinstating an older session of the same nexus (§6.3.5); returns its TSIH. */
  attach(conn: Connection): number;
  /** The connection ended. */
  detach(conn: Connection): void;
  /** the I_T nexuses of the other Normal sessions now in full feature phase */
  otherNexuses(conn: Connection): readonly string[];
  /** TARGET COLD RESET: every connection is closed (§11.5.1). */
  coldReset(from: Connection): void;
  log(message: string): void;
}

type Phase = 'login' | 'normal' | 'discovery' | 'closed';

/** A write waiting for its data (§4.2.5.1, §4.2.5.2). */
interface WriteTask {
  readonly itt: number;
  readonly lun: Uint8Array;
  readonly cdb: Uint8Array;
  readonly length: number;
  readonly chunks: Uint8Array[];
  received: number;
  /** the unsolicited part (immediate data and unsolicited Data-Out) has ended */
  unsolicitedDone: boolean;
  readonly unsolicitedEnd: number;
  /** end offset of the outstanding R2T's burst, or −1 */
  r2tEnd: number;
  r2tSN: number;
  ttt: number;
}

/** Serial number arithmetic (RFC 1982, §4.2.2.1): a < b. */
function snLess(a: number, b: number): boolean {
  return a !== b && ((a < b && b - a < 0x80000000) || (a > b && a - b > 0x80000000));
}

export class Connection {
  phase: Phase = 'login';
  /** the I_T nexus: InitiatorName + ISID, the SPC-4 iSCSI initiator port name form "name,i,0xISID" */
  nexus = '';
  tsih = 0;
  private params: SessionParameters = DEFAULT_SESSION_PARAMETERS;
  private negotiation: LoginNegotiation | undefined;
  private isid = '';
  private statSN = 0;
  private expCmdSN = 0;
  private inbox: Buffer = Buffer.alloc(0);
  private pendingText: Uint8Array[] = [];
  private pendingTextBytes = 0;
  private readonly tasks = new Map<number, WriteTask>();
  private nextTtt = 1;
  private loginTimer: NodeJS.Timeout | undefined;

  constructor(readonly socket: Socket, private readonly portal: Portal) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    this.loginTimer = setTimeout(() => {
      if (this.phase === 'login') this.drop('login timed out');
    }, LOGIN_TIMEOUT_MS);
    this.loginTimer.unref();
  }

  /** Ends the connection now (reinstatement, cold reset, server shutdown, protocol error). */
  drop(reason: string): void {
    if (this.phase === 'closed') return;
    this.portal.log(`connection ${this.describe()}: ${reason}`);
    this.socket.destroy();
    this.close();
  }

  describe(): string {
    return this.nexus === '' ? `${this.socket.remoteAddress}:${this.socket.remotePort}` : this.nexus;
  }

  private close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (this.loginTimer !== undefined) clearTimeout(this.loginTimer);
    this.tasks.clear();
    this.inbox = Buffer.alloc(0);
    this.portal.detach(this);
  }

  // ── framing ──

  private receive(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    this.inbox = this.inbox.length === 0 ? chunk : Buffer.concat([this.inbox, chunk]);
    while (this.inbox.length >= P.BHS_LENGTH && !this.isClosed()) {
      const limit = this.phase === 'login' ? DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH : TARGET_MAX_RECV_DATA_SEGMENT_LENGTH;
      const h = P.decodeBhs(this.inbox, limit);
      if (!h.ok) {
        // the stream cannot be trusted past a length the target never allowed: drop (§7.1.4 format error)
        this.drop(`${h.error.field} at byte ${h.error.offset}: ${h.error.detail}`);
        return;
      }
      const dataAt = P.BHS_LENGTH + h.value.ahsLength;
      const total = dataAt + P.padded(h.value.dataLength);
      if (this.inbox.length < total) break;
      const data = this.inbox.subarray(dataAt, dataAt + h.value.dataLength);
      this.inbox = this.inbox.subarray(total);
      this.dispatch(h.value, data);
    }
    if (this.socket.writableLength > SEND_HIGH_WATER) this.socket.pause();
  }

  private isClosed(): boolean {
    return this.phase === 'closed';
  }

  private send(pdu: Uint8Array): void {
    if (this.phase !== 'closed') this.socket.write(pdu);
  }

  private serials(advance: boolean): P.Serials {
    const s = { statSN: this.statSN, expCmdSN: this.expCmdSN, maxCmdSN: (this.expCmdSN + CMD_WINDOW - 1) >>> 0 };
    if (advance) this.statSN = (this.statSN + 1) >>> 0;
    return s;
  }

  private reject(reason: number, h: P.Bhs): void {
    this.send(P.encodeReject(reason, h.bytes, this.serials(true)));
  }

  private dispatch(h: P.Bhs, data: Uint8Array): void {
    if (this.phase === 'login') {
      // §6.3: only Login Requests before full feature phase; anything else ends the login
      if (h.opcode !== P.OP_LOGIN_REQUEST) return this.drop(`opcode ${h.opcode} during login`);
      return this.login(h, data);
    }
    switch (h.opcode) {
      case P.OP_SCSI_COMMAND: return this.scsiCommand(h, data);
      case P.OP_DATA_OUT: return this.dataOut(h, data);
      case P.OP_NOP_OUT: return this.nopOut(h, data);
      case P.OP_TEXT_REQUEST: return this.text(h, data);
      case P.OP_TASK_MGMT_REQUEST: return this.taskManagement(h);
      case P.OP_LOGOUT_REQUEST: return this.logout(h);
      case P.OP_LOGIN_REQUEST:
        return this.reject(P.REJECT_PROTOCOL_ERROR, h); // §6.3: no login in full feature phase
      default:
        // SNACK needs ErrorRecoveryLevel > 0 (§11.16); other opcodes are not iSCSI initiator PDUs
        return this.reject(P.REJECT_COMMAND_NOT_SUPPORTED, h);
    }
  }

  /**
   * §4.2.2.1: a non-immediate command must carry a CmdSN inside [ExpCmdSN, MaxCmdSN], else it is
   * silently ignored; it then advances ExpCmdSN. Immediate commands do not.
   */
  private acceptCmdSN(h: P.Bhs, cmdSN: number): boolean {
    if (h.immediate) return true;
    const max = (this.expCmdSN + CMD_WINDOW - 1) >>> 0;
    if (snLess(cmdSN, this.expCmdSN) || snLess(max, cmdSN)) return false;
    this.expCmdSN = (cmdSN + 1) >>> 0;
    return true;
  }

  /** Login and Text data may span PDUs with the C bit (§6.1, §11.10.2); reassembly is bounded. */
  private collectText(data: Uint8Array, more: boolean): Uint8Array | 'more' | 'too-long' {
    this.pendingTextBytes += data.length;
    if (this.pendingTextBytes > MAX_TEXT_BYTES) return 'too-long';
    this.pendingText.push(Uint8Array.from(data));
    if (more) return 'more';
    const all = Buffer.concat(this.pendingText);
    this.pendingText = [];
    this.pendingTextBytes = 0;
    return all;
  }

  // ── login (§6.3, §11.12, §11.13) ──

  private login(h: P.Bhs, data: Uint8Array): void {
    const req = P.loginRequest(h);
    if (this.negotiation === undefined) {
      this.negotiation = new LoginNegotiation(this.portal.identity(this), this.portal.security);
      this.isid = req.isid;
      this.expCmdSN = req.cmdSN; // the first command in full feature phase carries the login's CmdSN (§11.12.7)
      this.statSN = req.expStatSN; // §11.12.8: the initiator's ExpStatSN starts the StatSN sequence
      // MaxConnections 1: a login adding a connection to an existing session (TSIH ≠ 0) finds none (§6.3.1)
      if (req.tsih !== 0) return this.loginFailed(req, LOGIN_SESSION_DOES_NOT_EXIST, `TSIH ${req.tsih}`);
    }
    const collected = this.collectText(data, req.continue);
    if (collected === 'too-long') return this.loginFailed(req, LOGIN_INVALID_REQUEST, 'login text too long');
    if (collected === 'more') {
      // §11.13.2: each PDU with the C bit gets an empty Login Response, same stage, T 0
      this.send(P.encodeLoginResponse({ ...this.loginHeader(req), transit: false, csg: req.csg, nsg: 0 }, new Uint8Array(0)));
      return;
    }
    const text = parseText(collected);
    if (!text.ok) return this.loginFailed(req, LOGIN_INVALID_REQUEST, text.message);
    const reply = this.negotiation.step(req, text.pairs);
    if (reply.kind === 'fail') return this.loginFailed(req, reply.status, reply.message);
    let tsih = 0;
    if (reply.done !== undefined) {
      this.params = reply.done.parameters;
      this.nexus = `${reply.done.initiatorName},i,0x${this.isid}`;
      if (reply.done.sessionType === 'Normal') {
        this.phase = 'normal';
        tsih = this.portal.attach(this);
        this.tsih = tsih;
      } else {
        this.phase = 'discovery';
        tsih = 0xffff; // any non-zero TSIH identifies the (discovery) session (§11.13.4)
      }
      if (this.loginTimer !== undefined) clearTimeout(this.loginTimer);
    }
    this.send(P.encodeLoginResponse(
      { ...this.loginHeader(req), transit: reply.transit, csg: reply.csg, nsg: reply.nsg, tsih },
      encodeText(reply.text),
    ));
  }

  private loginHeader(req: P.LoginRequest): Omit<P.LoginResponse, 'transit' | 'csg' | 'nsg'> {
    return { ...this.serials(true), isid: req.isid, tsih: 0, itt: req.itt, ...{ statusClass: 0, statusDetail: 0 } };
  }

  /** §11.13.5: a login failure is answered with its status class/detail, then the connection is closed. */
  private loginFailed(req: P.LoginRequest, status: LoginStatus, message: string): void {
    this.send(P.encodeLoginResponse(
      { ...this.loginHeader(req), ...status, transit: false, csg: req.csg, nsg: 0 }, new Uint8Array(0)));
    this.socket.end();
    this.portal.log(`login from ${this.describe()} refused: ${message}`);
    this.close();
  }

  // ── SCSI (§11.3, §11.4, §11.7, §11.8) ──

  private scsiCommand(h: P.Bhs, data: Uint8Array): void {
    if (this.phase !== 'normal') return this.reject(P.REJECT_PROTOCOL_ERROR, h); // discovery: Text and Logout only (§4.3)
    const cmd = P.scsiCommand(h);
    if (!this.acceptCmdSN(h, cmd.cmdSN)) return;
    // extended CDBs and bidirectional transfers come with an AHS (§11.2.2); this target has neither
    if (h.ahsLength !== 0 || (cmd.read && cmd.write)) return this.reject(P.REJECT_INVALID_PDU_FIELD, h);
    // immediate data only when negotiated, only for writes, and never more than the transfer (§11.3.4)
    if (data.length > 0 && (!this.params.immediateData || !cmd.write || data.length > cmd.expectedDataTransferLength ||
        data.length > this.params.firstBurstLength)) {
      return this.reject(P.REJECT_PROTOCOL_ERROR, h);
    }
    if (this.tasks.has(cmd.itt)) return this.reject(P.REJECT_PROTOCOL_ERROR, h); // ITT in use (§11.2.1.8)
    const cdb = Uint8Array.from(cmd.cdb);
    const lun = Uint8Array.from(cmd.lun);
    if (!cmd.write || cmd.expectedDataTransferLength === 0) {
      return this.execute(cmd.itt, lun, cdb, cmd.read ? cmd.expectedDataTransferLength : 0, cmd.read, undefined);
    }
    if (cmd.expectedDataTransferLength > MAXIMUM_TRANSFER_BYTES) {
      // refused before any data is taken; unsolicited Data-Out that follows finds no task and is ignored
      return this.respond(cmd.itt, cmd.expectedDataTransferLength, {
        status: SCSISTAT_CHECK_CONDITION, sense: fixedSenseData(SENSE.INVALID_FIELD_IN_CDB.key, SENSE.INVALID_FIELD_IN_CDB.asc, SENSE.INVALID_FIELD_IN_CDB.ascq),
      });
    }
    if (this.tasks.size >= MAX_PENDING_TASKS) return this.drop('too many tasks waiting for data');
    // §4.2.5.1: unsolicited data is the immediate data plus, with InitialR2T=No, Data-Out up to
    // FirstBurstLength; the F bit on the command says no unsolicited Data-Out follows
    const unsolicitedEnd = cmd.final || this.params.initialR2T
      ? data.length
      : Math.min(this.params.firstBurstLength, cmd.expectedDataTransferLength);
    const task: WriteTask = {
      itt: cmd.itt, lun, cdb, length: cmd.expectedDataTransferLength, chunks: [], received: 0,
      unsolicitedDone: data.length >= unsolicitedEnd, unsolicitedEnd, r2tEnd: -1, r2tSN: 0, ttt: P.RESERVED_TAG,
    };
    if (data.length > 0) {
      task.chunks.push(Uint8Array.from(data));
      task.received = data.length;
    }
    this.tasks.set(cmd.itt, task);
    this.advanceWrite(task);
  }

  private dataOut(h: P.Bhs, data: Uint8Array): void {
    const d = P.dataOut(h);
    const task = this.tasks.get(d.itt);
    // data for a task that was already answered (refused, aborted) is discarded (§11.7.1)
    if (task === undefined) return;
    const solicited = d.ttt !== P.RESERVED_TAG;
    // DataPDUInOrder/DataSequenceInOrder=Yes: data arrives in offset order (§13.18); a solicited PDU names
    // the outstanding R2T's TTT and stays inside its burst (§11.7.4); unsolicited data stays below FirstBurstLength
    const inBurst = solicited ? d.ttt === task.ttt && task.r2tEnd >= 0 && d.bufferOffset + data.length <= task.r2tEnd
      : !task.unsolicitedDone && d.bufferOffset + data.length <= task.unsolicitedEnd;
    if (d.bufferOffset !== task.received || !inBurst) {
      this.tasks.delete(task.itt);
      this.reject(P.REJECT_PROTOCOL_ERROR, h);
      return this.drop(`Data-Out for ITT ${task.itt} out of order or outside its burst`);
    }
    if (data.length > 0) task.chunks.push(Uint8Array.from(data));
    task.received += data.length;
    if (solicited && task.received >= task.r2tEnd) task.r2tEnd = -1;
    if (!solicited && (d.final || task.received >= task.unsolicitedEnd)) task.unsolicitedDone = true;
    this.advanceWrite(task);
  }

  /** All data in → execute; else, once the unsolicited part is over, one R2T at a time (MaxOutstandingR2T 1). */
  private advanceWrite(task: WriteTask): void {
    if (task.received >= task.length) {
      this.tasks.delete(task.itt);
      const dataOut = task.chunks.length === 1 ? task.chunks[0]! : Buffer.concat(task.chunks);
      this.execute(task.itt, task.lun, task.cdb, 0, false, dataOut);
      return;
    }
    if (!task.unsolicitedDone || task.r2tEnd >= 0) return;
    const length = Math.min(this.params.maxBurstLength, task.length - task.received);
    task.ttt = this.nextTtt;
    this.nextTtt = this.nextTtt >= 0xfffffffe ? 1 : this.nextTtt + 1; // never the reserved 0xffffffff
    task.r2tEnd = task.received + length;
    this.send(P.encodeR2t({
      lun: task.lun, itt: task.itt, ttt: task.ttt, r2tSN: task.r2tSN++, bufferOffset: task.received, desiredLength: length,
    }, this.serials(false)));
  }

  private execute(itt: number, lun: Uint8Array, cdb: Uint8Array, readLength: number, read: boolean, dataOut: Uint8Array | undefined): void {
    const expected = read ? readLength : dataOut?.length ?? 0;
    if (!lunIsZero(lun)) return this.respond(itt, expected, nonexistentLun(cdb, readLength));
    const result = this.portal.disk.execute(this.nexus, dataOut === undefined ? { cdb, dataInLength: readLength } : { cdb, dataOut, dataInLength: 0 });
    // the device is off (an injected power loss, scsi-device.md §6): it answers nothing, so neither does the target
    if (result.kind === 'timeout') return;
    this.respond(itt, expected, result.sense === undefined
      ? { status: result.status, ...(result.dataIn !== undefined ? { dataIn: result.dataIn } : {}) }
      : { status: result.status, sense: result.sense });
  }

  /**
   * Answers a task (§11.4, §11.7): data-in split into Data-In PDUs of at most the initiator's
   * MaxRecvDataSegmentLength; with GOOD the last one carries the status (§11.7.4, phase collapse);
   * otherwise, or without data, a SCSI Response (with sense for CHECK CONDITION). The residual is the
   * expected length minus what was transferred (§11.4.5).
   */
  private respond(itt: number, expected: number,
    r: { readonly status: number; readonly sense?: Uint8Array; readonly dataIn?: Uint8Array }): void {
    const lun = new Uint8Array(8);
    const data = r.dataIn;
    const sent = data?.length ?? 0;
    const residual = expected - sent;
    if (data !== undefined && data.length > 0) {
      const max = this.params.maxSendDataSegmentLength;
      let dataSN = 0;
      for (let at = 0; at < data.length; at += max) {
        const piece = data.subarray(at, Math.min(data.length, at + max));
        const last = at + max >= data.length;
        const withStatus = last && r.status === SCSISTAT_GOOD && r.sense === undefined;
        this.send(P.encodeDataIn(
          { lun, itt, dataSN: dataSN++, bufferOffset: at, final: last, residual, ...(withStatus ? { status: r.status } : {}) },
          this.serials(withStatus), piece,
        ));
        if (withStatus) return;
      }
      this.send(P.encodeScsiResponse({ ...this.serials(true), itt, status: r.status, expDataSN: dataSN, residual, ...(r.sense ? { sense: r.sense } : {}) }));
      return;
    }
    this.send(P.encodeScsiResponse({ ...this.serials(true), itt, status: r.status, expDataSN: 0, residual, ...(r.sense ? { sense: r.sense } : {}) }));
  }

  // ── NOP, Text, Task Management, Logout ──

  private nopOut(h: P.Bhs, data: Uint8Array): void {
    const s = P.requestSerials(h);
    if (!this.acceptCmdSN(h, s.cmdSN)) return;
    // §11.18.1: ITT 0xffffffff is the answer to a target's NOP-In; nothing to reply
    if (h.itt === P.RESERVED_TAG) return;
    const ping = data.subarray(0, Math.min(data.length, this.params.maxSendDataSegmentLength));
    this.send(P.encodeNopIn(h.bytes.subarray(8, 16), h.itt, this.serials(true), ping.length > 0 ? ping : undefined));
  }

  private text(h: P.Bhs, data: Uint8Array): void {
    const s = P.requestSerials(h);
    if (!this.acceptCmdSN(h, s.cmdSN)) return;
    const collected = this.collectText(data, (h.flags & 0x40) !== 0);
    if (collected === 'too-long') return this.drop('text request too long');
    if (collected === 'more') {
      // §11.11: an empty Text Response with a TTT asks for the rest; continuation is not offered, so answer empty and final
      this.send(P.encodeTextResponse(h.itt, this.serials(true), new Uint8Array(0)));
      return;
    }
    const parsed = parseText(collected);
    if (!parsed.ok) return this.reject(P.REJECT_PROTOCOL_ERROR, h);
    const answer: (readonly [string, string])[] = [];
    for (const [key, value] of parsed.pairs) {
      if (key === 'SendTargets') answer.push(...sendTargets(value, this.portal.identity(this)));
      else answer.push([key, 'NotUnderstood']); // §6.2
    }
    this.send(P.encodeTextResponse(h.itt, this.serials(true), encodeText(answer as TextPairs)));
  }

  private taskManagement(h: P.Bhs): void {
    if (this.phase !== 'normal') return this.reject(P.REJECT_PROTOCOL_ERROR, h);
    const s = P.requestSerials(h);
    if (!this.acceptCmdSN(h, s.cmdSN)) return;
    const tmf = P.taskManagementRequest(h);
    let response = P.TMF_COMPLETE;
    let cold = false;
    switch (tmf.func) {
      case 1: // ABORT TASK: only writes waiting for data are still open; §11.5.1: a task not found is "function complete"
        this.tasks.delete(tmf.referencedTaskTag);
        break;
      case 2: // ABORT TASK SET
      case 4: // CLEAR TASK SET
        this.tasks.clear();
        break;
      case 5: // LOGICAL UNIT RESET
      case 6: // TARGET WARM RESET (one LU: the same effect)
        if (tmf.func === 5 && !lunIsZero(tmf.lun)) { response = P.TMF_LUN_DOES_NOT_EXIST; break; }
        this.tasks.clear();
        logicalUnitReset(this.portal.disk, this.portal.otherNexuses(this));
        break;
      case 7: // TARGET COLD RESET: a warm reset, then every connection is closed (§11.5.1)
        this.tasks.clear();
        logicalUnitReset(this.portal.disk, this.portal.otherNexuses(this));
        cold = true;
        break;
      case 8: // TASK REASSIGN needs ErrorRecoveryLevel 2 (§11.5.1)
        response = 4;
        break;
      default: // CLEAR ACA (no ACA support) and unassigned functions
        response = P.TMF_NOT_SUPPORTED;
    }
    this.send(P.encodeTaskManagementResponse(h.itt, response, this.serials(true)));
    if (cold) this.portal.coldReset(this);
  }

  private logout(h: P.Bhs): void {
    const s = P.requestSerials(h);
    if (!this.acceptCmdSN(h, s.cmdSN)) return;
    // §11.14.1: reason 0 closes the session, 1 the connection (the only one), 2 (recovery) needs ERL 2
    const reason = P.logoutReason(h);
    const response = reason <= 1 ? 0 : 2; // 2: connection recovery not supported
    this.send(P.encodeLogoutResponse(h.itt, response, this.serials(true)));
    if (response === 0) {
      this.socket.end();
      this.close();
    }
  }

  /** The I_T nexus ended (logout, dropped connection, reinstatement): SAM-5 6.3.4. */
  endNexus(): void {
    if (this.nexus !== '' && this.phase !== 'login') nexusLoss(this.portal.disk, this.nexus);
  }
}

/** LUN 0 in any addressing method is eight zero bytes (SAM-5 4.7). */
function lunIsZero(lun: Uint8Array): boolean {
  for (let i = 0; i < 8; i++) if (lun[i] !== 0) return false;
  return true;
}

/**
 * A LUN the target does not have (SPC-4 4.6.6, 6.6.2): INQUIRY returns peripheral qualifier 011b / type 1Fh,
 * REPORT LUNS works (it is the target's, listing LUN 0), everything else is 5/25h/00h LOGICAL UNIT NOT SUPPORTED.
 */
function nonexistentLun(cdb: Uint8Array, allocation: number): { status: number; dataIn?: Uint8Array; sense?: Uint8Array } {
  if (cdb[0] === 0x12) {
    const inq = new Uint8Array(36);
    inq[0] = 0x7f;
    inq[2] = 0x06;
    inq[3] = 0x02;
    inq[4] = 31;
    return { status: SCSISTAT_GOOD, dataIn: inq.subarray(0, Math.min(36, allocation)) };
  }
  return { status: SCSISTAT_CHECK_CONDITION, sense: fixedSenseData(0x05, 0x25, 0x00) };
}
