// `vdisk decode LAYOUT HEX [--at N]`: a captured buffer as the structure's value (JSON; bigint as "0x…",
// byte arrays as hex) and an annotated hex dump in which every byte row names the field it belongs to —
// padding, bytes before --at and bytes past the structure's end are marked. A decode error names the field
// and the byte where decoding stopped (exit 1); bad arguments exit 2.

import type { DecodeError, Layout, Leaf } from '../codecs/layout';
import { LAYOUT_NAMES, layoutByName, parseHex, toJsonValue } from '../scenario/layout-value';
import { EXIT_FAILED, EXIT_OK, parse, parseCount, usageError, type CliIo } from './io';

export const DECODE_USAGE = `usage: vdisk decode LAYOUT HEX [--at N]

Decodes HEX (whitespace allowed; quote it) as the structure LAYOUT of spec/layouts.md starting at byte N
(default 0), prints the value as JSON and an annotated hex dump.

options:
  --at N       the structure's first byte in HEX (decimal or 0x hex)
  -h, --help   this text

layouts: ${LAYOUT_NAMES.join(', ')}

exit status: 0 decoded, 1 the bytes do not hold the structure (the error names field and byte), 2 usage error`;

export function decodeCommand(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, { at: { type: 'string' } });
  if (!args.ok) return usageError(io, 'decode', args.message, DECODE_USAGE);
  if (args.values.help) {
    io.stdout.write(`${DECODE_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length < 2) return usageError(io, 'decode', 'expected LAYOUT and HEX', DECODE_USAGE);
  const [name, ...hexParts] = args.positionals;
  const layout = layoutByName(name!);
  if (layout === undefined) return usageError(io, 'decode', `unknown layout ${JSON.stringify(name)}`, DECODE_USAGE);
  const bytes = parseHex(hexParts.join(' '));
  if (bytes === undefined) return usageError(io, 'decode', 'HEX is not an even number of hex digits', DECODE_USAGE);
  const at = args.values.at === undefined ? 0 : parseCount(args.values.at as string);
  if (at === undefined) return usageError(io, 'decode', `--at ${String(args.values.at)}: not a non-negative integer`, DECODE_USAGE);

  const r = layout.decode(bytes, at);
  if (r.ok) {
    io.stdout.write(`${JSON.stringify(toJsonValue(r.value), null, 2)}\n\n`);
    io.stdout.write(annotatedDump(layout, bytes, at, r.value));
    return EXIT_OK;
  }
  io.stderr.write(`vdisk decode: ${describeError(r.error)}\n`);
  io.stdout.write(annotatedDump(layout, bytes, at, undefined, r.error));
  return EXIT_FAILED;
}

export function describeError(e: DecodeError): string {
  return `${e.message} (field ${e.layout}.${e.field}, byte ${e.offset})`;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly leaf?: Leaf;
}

const ROW = 16;

/**
 * The hex dump: consecutive bytes with the same annotation form a row (at most 16 bytes). With a decoded
 * value each single-field row shows the field's value; with an error the row holding the error's byte is
 * marked, and bytes the structure needs but the buffer lacks are shown as missing.
 */
export function annotatedDump(layout: Layout<unknown>, bytes: Uint8Array, at: number, value?: unknown, error?: DecodeError): string {
  const spans = fieldSpans(layout, at, value, bytes.length);
  // an ANYSIZE structure (AUTH_KEY) ends after its variable bytes, not at sizeof
  const extent = Math.max(at + (layout.varLeaf ? layout.headerSize : layout.size), ...spans.map((s) => s.end));
  const labelAt = (i: number): { label: string; leaf?: Leaf } => {
    if (i < at) return { label: '(before --at: not part of the structure)' };
    const covering = spans.filter((s) => s.start <= i && i < s.end);
    if (covering.length === 1) return covering[0]!;
    if (covering.length > 1) return { label: [...new Set(covering.map((s) => s.label))].join(' | ') };
    if (i < extent && i < at + layout.size) return { label: '(padding)' };
    return { label: `(unreachable: past the end of ${layout.name})` };
  };
  const lines: string[] = [`offset  ${'bytes'.padEnd(ROW * 3)} field`];
  let i = 0;
  while (i < bytes.length) {
    const first = labelAt(i);
    let j = i + 1;
    while (j < bytes.length && j - i < ROW && labelAt(j).label === first.label) j++;
    const hex = Array.from(bytes.subarray(i, j), (b) => b.toString(16).padStart(2, '0')).join(' ');
    let text = first.label;
    if (first.leaf && value !== undefined) {
      const v = valueAt(value, first.leaf.path);
      if (v !== undefined) text += ` = ${JSON.stringify(toJsonValue(v))}`;
    }
    if (error && error.offset >= i && error.offset < j) text += `   <-- ${error.reason}: ${error.field}`;
    lines.push(`${i.toString(16).padStart(4, '0')}    ${hex.padEnd(ROW * 3)} ${text}`);
    i = j;
  }
  if (error && error.need > bytes.length) {
    const missing = error.need - bytes.length;
    lines.push(`${bytes.length.toString(16).padStart(4, '0')}    ${`(missing: ${missing} byte${missing === 1 ? '' : 's'})`.padEnd(ROW * 3)} ${labelAt(bytes.length).label}   <-- ${error.reason}: ${error.field} needs ${error.need} bytes, buffer has ${error.have}`);
  } else if (error && error.offset >= bytes.length) {
    lines.push(`${error.offset.toString(16).padStart(4, '0')}    ${'(past the buffer)'.padEnd(ROW * 3)} <-- ${error.reason}: ${error.field}`);
  }
  return `${lines.join('\n')}\n`;
}

function fieldSpans(layout: Layout<unknown>, at: number, value: unknown, length: number): Span[] {
  const spans: Span[] = [];
  for (const leaf of layout.leaves) {
    const start = at + leaf.offset;
    switch (leaf.kind) {
      case 'marker':
        break;
      case 'bits':
        spans.push({ start, end: start + leaf.size, label: `${leaf.name} (bits ${leaf.bitOffset}-${leaf.bitOffset! + leaf.bitWidth! - 1})`, leaf });
        break;
      case 'varBytes': {
        const v = value === undefined ? undefined : valueAt(value, leaf.path);
        if (v instanceof Uint8Array && v.length > 0) spans.push({ start, end: start + v.length, label: leaf.name, leaf });
        // undecodable (its length field runs past the buffer): the bytes that are there are still the field's
        else if (value === undefined && length > start) spans.push({ start, end: length, label: `${leaf.name} (incomplete)` });
        break;
      }
      case 'tail': {
        const items = value === undefined ? undefined : valueAt(value, leaf.path);
        if (Array.isArray(items)) {
          items.forEach((_, k) => {
            const s = start + k * leaf.tail!.elemSize;
            spans.push({ start: s, end: s + leaf.tail!.elemSize, label: `${leaf.name}[${k}]` });
          });
        }
        break;
      }
      default:
        spans.push({ start, end: start + leaf.size, label: leaf.name, leaf });
    }
  }
  // bit-fields sharing a storage unit: one row naming all of them
  const merged: Span[] = [];
  for (const s of spans) {
    const same = merged.find((m) => m.start === s.start && m.end === s.end && m.leaf?.kind === 'bits' && s.leaf?.kind === 'bits');
    if (same) merged[merged.indexOf(same)] = { start: s.start, end: s.end, label: `${same.label}, ${s.label}` };
    else merged.push(s);
  }
  return merged;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}
