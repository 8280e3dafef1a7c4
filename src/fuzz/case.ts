// A fuzz case: a disk configuration and a sequence of operations through the public API, exactly what a
// scenario file holds (spec/scenario-format.md), so every counterexample can be saved as one. Handles are
// referred to by the index of their `open` (modulo the opens so far), so every sequence means something.

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
  const name = (i: number): string => `h${opened === 0 ? 0 : i % opened}`;
  for (const op of c.ops) {
    switch (op.op) {
      case 'open':
        lines.push(JSON.stringify({ op: 'open', handle: `h${opened++}`, process: op.process, initiator: op.initiator, access: op.access }));
        break;
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
      case 'close':
        lines.push(JSON.stringify({ op: 'close', handle: name(op.handle) }));
        break;
      case 'exit':
        lines.push(JSON.stringify({ op: 'exit', process: op.process }));
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
