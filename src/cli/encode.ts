// `vdisk encode LAYOUT JSON`: the bytes of a structure described as JSON, as hex — the same coercion as a
// scenario's {"layout", "value"} input (numbers, "0x…" strings, enum/flag names, hex byte arrays, nested
// objects; omitted fields zero). An error names the field path (exit 2).

import { encodeLayoutJson, LAYOUT_NAMES, layoutByName, toHex } from '../scenario/layout-value';
import { EXIT_OK, EXIT_USAGE, parse, usageError, type CliIo } from './io';

export const ENCODE_USAGE = `usage: vdisk encode LAYOUT JSON

Encodes the JSON object (field names as in the Windows headers; omitted fields are zero; 64-bit values as
numbers or "0x…"/decimal strings; byte arrays as hex; nested structures and union arms as objects) as the
structure LAYOUT of spec/layouts.md and prints the bytes as hex.

  -h, --help   this text

layouts: ${LAYOUT_NAMES.join(', ')}

exit status: 0 encoded, 2 usage error or a value that does not fit (the message names the field)`;

export function encodeCommand(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, {});
  if (!args.ok) return usageError(io, 'encode', args.message, ENCODE_USAGE);
  if (args.values.help) {
    io.stdout.write(`${ENCODE_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 2) return usageError(io, 'encode', 'expected LAYOUT and one JSON argument (quote it)', ENCODE_USAGE);
  const [name, text] = args.positionals as [string, string];
  const layout = layoutByName(name);
  if (layout === undefined) return usageError(io, 'encode', `unknown layout ${JSON.stringify(name)}`, ENCODE_USAGE);
  let json: unknown;
  try {
    json = JSON.parse(text); // the JSON edge
  } catch (e) {
    return usageError(io, 'encode', `JSON: ${(e as Error).message}`, ENCODE_USAGE);
  }
  const r = encodeLayoutJson(layout, json, name);
  if (!r.ok) {
    io.stderr.write(`vdisk encode: ${r.message}\n`);
    return EXIT_USAGE;
  }
  io.stdout.write(`${toHex(r.value)}\n`);
  return EXIT_OK;
}
