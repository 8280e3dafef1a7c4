// A tiny SCSI target for the host-side unit tests: just enough of scsi-device.md (UA queues, SCSI-2
// reservations, prevent state, medium, power) to drive the class driver, plus a `script` hook that answers
// any command by hand. Every command is logged as hex so tests can pin the exact CDB bytes.

import type { HostDevice } from '../../../src/dispatch/handler';
import {
  SCSISTAT_CHECK_CONDITION, SCSISTAT_GOOD, SCSISTAT_RESERVATION_CONFLICT, type ScsiCommand, type ScsiResult,
} from '../../../src/device/scsi';

export interface Logged {
  readonly initiator: string;
  readonly cdb: string;
  readonly dataOut?: string;
  readonly dataInLength: number;
}

export const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('hex');
export const bytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));

export function sense(key: number, asc: number, ascq: number, ili = false): Uint8Array {
  const s = new Uint8Array(18);
  s[0] = 0x70;
  s[2] = (key & 0x0f) | (ili ? 0x20 : 0);
  s[7] = 10;
  s[12] = asc;
  s[13] = ascq;
  return s;
}

export const checkCondition = (key: number, asc: number, ascq: number): ScsiResult =>
  ({ kind: 'status', status: SCSISTAT_CHECK_CONDITION, sense: sense(key, asc, ascq) });
export const GOOD: ScsiResult = { kind: 'status', status: SCSISTAT_GOOD };
export const CONFLICT: ScsiResult = { kind: 'status', status: SCSISTAT_RESERVATION_CONFLICT };

export class FakeDisk implements HostDevice {
  readonly log: Logged[] = [];
  /** answer a command by hand; undefined falls through to the model */
  script: ((initiator: string, cdb: Uint8Array, cmd: ScsiCommand) => ScsiResult | undefined) | undefined;
  off = false;
  medium = true;
  reservedBy: string | undefined;
  readonly prevent = new Set<string>();
  readonly ua = new Map<string, Array<[number, number]>>();
  readonly sectors: number;
  readonly data = new Map<number, Uint8Array>();
  /** the PR IN response the model returns (before truncation to the allocation length) */
  prInResponse: Uint8Array = bytes('00000000 00000010 1111111111111111 2222222222222222');

  constructor(readonly options: { removable: boolean; sectorSize: number } = { removable: true, sectorSize: 512 }, sectors = 2048) {
    this.sectors = sectors;
  }

  addUnitAttention(initiator: string, asc: number, ascq: number): void {
    const q = this.ua.get(initiator) ?? [];
    q.push([asc, ascq]);
    this.ua.set(initiator, q);
  }

  execute(initiator: string, cmd: ScsiCommand): ScsiResult {
    this.log.push({
      initiator, cdb: hex(cmd.cdb), dataInLength: cmd.dataInLength ?? 0,
      ...(cmd.dataOut !== undefined ? { dataOut: hex(cmd.dataOut) } : {}),
    });
    if (this.off) return { kind: 'timeout' };
    const op = cmd.cdb[0]!;
    const q = this.ua.get(initiator);
    if (op !== 0x12 && q !== undefined && q.length > 0) {
      const [asc, ascq] = q.shift()!;
      return checkCondition(6, asc, ascq);
    }
    const scripted = this.script?.(initiator, cmd.cdb, cmd);
    if (scripted !== undefined) return scripted;
    const isRelease = op === 0x17 || op === 0x57;
    if (this.reservedBy !== undefined && this.reservedBy !== initiator && !isRelease && op !== 0x12) return CONFLICT;
    switch (op) {
      case 0x00: return this.medium ? GOOD : checkCondition(2, 0x3a, 0);
      case 0x16: case 0x56: this.reservedBy = initiator; return GOOD;
      case 0x17: case 0x57: if (this.reservedBy === initiator) this.reservedBy = undefined; return GOOD;
      case 0x1e: {
        const p = cmd.cdb[4]! & 3;
        if (p > 1) return checkCondition(5, 0x24, 0);
        if (p === 1) this.prevent.add(initiator); else this.prevent.delete(initiator);
        return GOOD;
      }
      case 0x1b: {
        const loej = (cmd.cdb[4]! & 2) !== 0;
        const start = (cmd.cdb[4]! & 1) !== 0;
        if (!loej) return GOOD;
        if (!this.options.removable) return checkCondition(5, 0x24, 0);
        if (!start) {
          if (this.prevent.size > 0) return checkCondition(5, 0x53, 0x02);
          this.medium = false;
          return GOOD;
        }
        this.medium = true;
        return GOOD;
      }
      case 0x28: case 0x88: case 0x2a: case 0x8a: return this.readWrite(op, cmd);
      case 0x5e: {
        const alloc = (cmd.cdb[7]! << 8) | cmd.cdb[8]!;
        return { kind: 'status', status: SCSISTAT_GOOD, dataIn: this.prInResponse.slice(0, Math.min(alloc, cmd.dataInLength ?? alloc)) };
      }
      case 0x5f: return GOOD;
      default: return checkCondition(5, 0x20, 0);
    }
  }

  private readWrite(op: number, cmd: ScsiCommand): ScsiResult {
    const c = cmd.cdb;
    const ten = op === 0x28 || op === 0x2a;
    let lba = 0;
    let n = 0;
    if (ten) {
      lba = ((c[2]! << 24) | (c[3]! << 16) | (c[4]! << 8) | c[5]!) >>> 0;
      n = (c[7]! << 8) | c[8]!;
    } else {
      for (let i = 2; i < 10; i++) lba = lba * 256 + c[i]!;
      n = ((c[10]! << 24) | (c[11]! << 16) | (c[12]! << 8) | c[13]!) >>> 0;
    }
    if (!this.medium) return checkCondition(2, 0x3a, 0);
    if (lba + n > this.sectors) return checkCondition(5, 0x21, 0);
    const ss = this.options.sectorSize;
    if (op === 0x28 || op === 0x88) {
      const out = new Uint8Array(n * ss);
      for (let i = 0; i < n; i++) {
        const s = this.data.get(lba + i);
        if (s) out.set(s, i * ss);
      }
      return { kind: 'status', status: SCSISTAT_GOOD, dataIn: out };
    }
    for (let i = 0; i < n; i++) this.data.set(lba + i, cmd.dataOut!.slice(i * ss, (i + 1) * ss));
    return GOOD;
  }

  powerCycle(): { ok: true } {
    return this.powerUp({ consumeUnitAttentions: false });
  }

  /** every initiator that ever sent a command gets 29h/00h unless the host consumed them (reboot) */
  powerUp(opts: { consumeUnitAttentions: boolean }): { ok: true } {
    this.off = false;
    this.reservedBy = undefined;
    this.prevent.clear();
    const known = new Set([...this.ua.keys(), ...this.log.map((l) => l.initiator)]);
    this.ua.clear();
    if (!opts.consumeUnitAttentions) for (const k of known) this.ua.set(k, [[0x29, 0]]);
    return { ok: true };
  }

  snapshot(): unknown {
    return {
      off: this.off, medium: this.medium, reservedBy: this.reservedBy ?? null, prevent: [...this.prevent].sort(),
      ua: [...this.ua.entries()].map(([k, v]) => [k, v.map((x) => [...x])]),
      data: [...this.data.entries()].map(([k, v]) => [k, hex(v)]),
    };
  }

  cdbs(): string[] {
    return this.log.map((l) => l.cdb);
  }
}
