// A fuzz case: a disk configuration and a sequence of operations through the public API, exactly what a
// scenario file holds (spec/scenario-format.md), so every counterexample can be saved as one. An op names
// its handle by a small index (HandleTable below), so every sequence means something: mostly one of the
// most recent handles still open, sometimes (index STALE_HANDLE) one that a close, an exit or a reboot
// has closed.

import type { DiskOptions } from '../device/disk-options';

export type FuzzOp =
  | { readonly op: 'open'; readonly process: string; readonly initiator: string; readonly access: number }
  | { readonly op: 'ioctl'; readonly handle: number; readonly code: number; readonly input: Uint8Array; readonly outputLength: number }
  | { readonly op: 'read'; readonly handle: number; readonly lba: number; readonly sectors: number }
  | { readonly op: 'write'; readonly handle: number; readonly lba: number; readonly sectors: number; readonly fill: number }
  | { readonly op: 'close'; readonly handle: number }
  | { readonly op: 'exit'; readonly process: string }
  | { readonly op: 'power-cycle' }
  | { readonly op: 'reboot' }
  | { readonly op: 'inject'; readonly afterWrites: number };

/** The JSON-safe subset of the disk options a case varies (scenario-format.md `disk`). */
export type FuzzDisk = Pick<DiskOptions,
  'sectorSize' | 'sectors' | 'removable' | 'medium' | 'persistentReservations' | 'security' | 'maxBands' |
  'tryLimit' | 'seed'>;

/** The handle index that names a closed handle (when there is one): 1 op in 16. */
export const STALE_HANDLE = 15;
/** How many of the most recent open handles the other indices range over. */
export const HANDLE_WINDOW = 4;

/**
 * The handles a case has opened, as the host sees them (io-manager.md §6: `close` closes one, `exit` every
 * handle of the process, `reboot` all), and what an op's handle index names:
 * - STALE_HANDLE: the most recently closed handle, so that requests on closed handles stay fuzzed;
 * - any other i: counting back from the newest, the (i mod n)-th of the last n = min(HANDLE_WINDOW, open)
 *   handles still open;
 * and when that kind does not exist, the newest handle opened (closed or not); `none` before the first open.
 * Before this rule, an index counted over every open so far, and after a reboot, a close or an exit a large
 * part of the requests went to closed handles (STATUS_INVALID_HANDLE, docs/performance.md "fuzz").
 * The oracle (with the host's handle values) and toScenario (with handle names) use the same table.
 */
export class HandleTable<H> {
  private readonly all: { readonly h: H; readonly process: string; open: boolean }[] = [];
  private readonly live: number[] = []; // indices into `all`, oldest first
  private closed = -1; // index into `all` of the most recently closed handle

  constructor(private readonly none: H) {}

  opened(h: H, process: string): void {
    this.live.push(this.all.length);
    this.all.push({ h, process, open: true });
  }

  close(h: H): void {
    const at = this.live.findIndex((k) => this.all[k]!.h === h);
    if (at < 0) return;
    this.closed = this.live[at]!;
    this.all[this.closed]!.open = false;
    this.live.splice(at, 1);
  }

  exit(process: string): void {
    for (let at = 0; at < this.live.length;) {
      const e = this.all[this.live[at]!]!;
      if (e.process === process) {
        e.open = false;
        this.closed = this.live[at]!;
        this.live.splice(at, 1);
      } else {
        at++;
      }
    }
  }

  reboot(): void {
    for (const k of this.live) this.all[k]!.open = false;
    if (this.live.length > 0) this.closed = this.live[this.live.length - 1]!;
    this.live.length = 0;
  }

  pick(i: number): H {
    if (this.all.length === 0) return this.none;
    if (i === STALE_HANDLE) return this.all[this.closed >= 0 ? this.closed : this.all.length - 1]!.h;
    const n = Math.min(HANDLE_WINDOW, this.live.length);
    if (n === 0) return this.all[this.all.length - 1]!.h;
    return this.all[this.live[this.live.length - 1 - (i % n)]!]!.h;
  }
}

export interface FuzzCase {
  readonly disk: FuzzDisk;
  readonly ops: readonly FuzzOp[];
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The case as a scenario file (JSON Lines) that `vdisk run` replays. */
export function toScenario(c: FuzzCase, comment?: string): string {
  const lines: string[] = [];
  if (comment) for (const l of comment.split('\n')) lines.push(`# ${l}`);
  lines.push(JSON.stringify({ op: 'disk', ...c.disk }));
  let opened = 0;
  const handles = new HandleTable<string>('h0');
  const name = (i: number): string => handles.pick(i);
  for (const op of c.ops) {
    switch (op.op) {
      case 'open': {
        const h = `h${opened++}`;
        handles.opened(h, op.process);
        lines.push(JSON.stringify({ op: 'open', handle: h, process: op.process, initiator: op.initiator, access: op.access }));
        break;
      }
      case 'ioctl':
        lines.push(JSON.stringify({
          op: 'ioctl', handle: name(op.handle), code: `0x${op.code.toString(16).padStart(8, '0').toUpperCase()}`,
          input: hex(op.input), outputLength: op.outputLength,
        }));
        break;
      case 'read':
        lines.push(JSON.stringify({ op: 'read', handle: name(op.handle), lba: op.lba, sectors: op.sectors }));
        break;
      case 'write':
        lines.push(JSON.stringify({ op: 'write', handle: name(op.handle), lba: op.lba, sectors: op.sectors, fill: op.fill }));
        break;
      case 'close': {
        const h = name(op.handle);
        handles.close(h);
        lines.push(JSON.stringify({ op: 'close', handle: h }));
        break;
      }
      case 'exit':
        handles.exit(op.process);
        lines.push(JSON.stringify({ op: 'exit', process: op.process }));
        break;
      case 'reboot':
        handles.reboot();
        lines.push(JSON.stringify({ op: op.op }));
        break;
      case 'inject':
        lines.push(JSON.stringify({ op: 'inject', fault: 'power-loss', afterWrites: op.afterWrites }));
        break;
      default:
        lines.push(JSON.stringify({ op: op.op }));
    }
  }
  return lines.join('\n') + '\n';
}

/** A one-line description of an op for failure reports. */
export function describeOp(op: FuzzOp): string {
  switch (op.op) {
    case 'ioctl': return `ioctl(h${op.handle}, 0x${op.code.toString(16).padStart(8, '0')}, ${hex(op.input) || '""'}, ${op.outputLength})`;
    case 'open': return `open(${op.process}, ${op.initiator}, 0x${op.access.toString(16)})`;
    case 'read': return `read(h${op.handle}, ${op.lba}, ${op.sectors})`;
    case 'write': return `write(h${op.handle}, ${op.lba}, ${op.sectors})`;
    case 'close': return `close(h${op.handle})`;
    case 'exit': return `exit(${op.process})`;
    case 'inject': return `inject power-loss after ${op.afterWrites}`;
    default: return op.op;
  }
}
