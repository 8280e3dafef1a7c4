// `vdisk image create PATH --sectors N [...]` and `vdisk image info PATH`: make a disk image (the store's
// format v1, docs/decisions/store.md) and inspect one — header, geometry, the live metadata slot and its
// generation, warnings. A damaged image is reported, never repaired or reinitialised.

import fs from 'node:fs';
import { resolveDiskOptions } from '../device/disk-options';
import { createImage, IMAGE_FORMAT_VERSION, IMAGE_HEADER_BYTES, SLOT_HEADER_BYTES } from '../device/store';
import type { Medium, MediumResult } from '../device/store/medium';
import { loadState } from '../device/store/slotted-store';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parse, parseCount, usageError, type CliIo } from './io';

export const IMAGE_USAGE = `usage: vdisk image create PATH --sectors N [--sector-size 512|4096]
       vdisk image info PATH

create  makes a new, empty disk image at PATH (never overwrites an existing file). The geometry is
        fixed in the image header; the other disk options (removable, security, keys, …) belong to the
        scenario's "disk" line and are given to "vdisk run --image PATH".
          --sectors N         capacity in sectors (required)
          --sector-size S     512 (default) or 4096
info    prints the header (format version), geometry, metadata capacity, the live metadata slot and its
        generation, and any warning (a slot torn by a crash); a damaged image is an error (exit 1).

  -h, --help   this text`;

export function imageCommand(argv: readonly string[], io: CliIo): number {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    if (sub === undefined) return usageError(io, 'image', 'expected "create" or "info"', IMAGE_USAGE);
    io.stdout.write(`${IMAGE_USAGE}\n`);
    return EXIT_OK;
  }
  if (sub === 'create') return create(rest, io);
  if (sub === 'info') return info(rest, io);
  return usageError(io, 'image', `unknown subcommand ${JSON.stringify(sub)} (create, info)`, IMAGE_USAGE);
}

function create(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, { sectors: { type: 'string' }, 'sector-size': { type: 'string' } });
  if (!args.ok) return usageError(io, 'image', args.message, IMAGE_USAGE);
  if (args.values.help) {
    io.stdout.write(`${IMAGE_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 1) return usageError(io, 'image', 'create: expected exactly one PATH', IMAGE_USAGE);
  if (args.values.sectors === undefined) return usageError(io, 'image', 'create: --sectors N is required', IMAGE_USAGE);
  const sectors = parseCount(args.values.sectors as string);
  const sectorSize = args.values['sector-size'] === undefined ? 512 : parseCount(args.values['sector-size'] as string);
  if (sectors === undefined) return usageError(io, 'image', `--sectors ${String(args.values.sectors)}: not a non-negative integer`, IMAGE_USAGE);
  if (sectorSize === undefined) return usageError(io, 'image', `--sector-size ${String(args.values['sector-size'])}: not 512 or 4096`, IMAGE_USAGE);
  // the same rules as a scenario's disk line (scenario-format.md), so an image a scenario cannot use is never made
  const checked = resolveDiskOptions({ sectors, sectorSize });
  if (!checked.ok) return usageError(io, 'image', checked.error.message, IMAGE_USAGE);
  const path = args.positionals[0]!;
  const r = createImage(path, { sectorSize, sectors });
  if (!r.ok) {
    io.stderr.write(`vdisk image create: ${path}: ${r.error.code}: ${r.error.message}\n`);
    return r.error.code === 'exists' || r.error.code === 'invalid-geometry' ? EXIT_USAGE : EXIT_FAILED;
  }
  const closed = r.store.close();
  if (!closed.ok) {
    io.stderr.write(`vdisk image create: ${path}: ${closed.message}\n`);
    return EXIT_FAILED;
  }
  io.stdout.write(`created ${path}: ${sectors} sectors × ${sectorSize} bytes\n`);
  return EXIT_OK;
}

function info(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, {});
  if (!args.ok) return usageError(io, 'image', args.message, IMAGE_USAGE);
  if (args.values.help) {
    io.stdout.write(`${IMAGE_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length !== 1) return usageError(io, 'image', 'info: expected exactly one PATH', IMAGE_USAGE);
  const path = args.positionals[0]!;
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    io.stderr.write(`vdisk image info: ${path}: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  const medium = new ReadOnlyFile(fd);
  try {
    const size = fs.fstatSync(fd).size;
    if (size < IMAGE_HEADER_BYTES) {
      io.stderr.write(`vdisk image info: ${path}: truncated: ${size} bytes, shorter than the ${IMAGE_HEADER_BYTES}-byte image header\n`);
      return EXIT_FAILED;
    }
    const loaded = loadState(medium, {});
    if (!loaded.ok) {
      io.stderr.write(`vdisk image info: ${path}: ${loaded.error.code}: ${loaded.error.message}\n`);
      return EXIT_FAILED;
    }
    const l = loaded.layout;
    const c = loaded.committed;
    const lines = [
      `image              ${path} (${size} bytes on disk; sparse)`,
      `format             VDISKIMG version ${IMAGE_FORMAT_VERSION}, header ${IMAGE_HEADER_BYTES} bytes`,
      `geometry           ${l.sectors} sectors × ${l.sectorSize} bytes = ${l.sectors * l.sectorSize} bytes`,
      `metadata capacity  ${l.metadataCapacity} bytes per slot (slot header ${SLOT_HEADER_BYTES})`,
      `slots              slot 0 at ${l.slotOffsets[0]}, slot 1 at ${l.slotOffsets[1]}; data at ${l.dataOffset}`,
      `live slot          ${c.slot === null ? 'none (nothing committed yet)' : `slot ${c.slot}`}`,
      `generation         ${c.generation}`,
      `metadata record    ${c.record === null ? 'none' : `${c.record.length} bytes`}`,
      `warnings           ${loaded.warnings.length ? '' : 'none'}`,
      ...loaded.warnings.map((w) => `  ${w}`),
    ];
    io.stdout.write(`${lines.map((x) => x.trimEnd()).join('\n')}\n`);
    return EXIT_OK;
  } finally {
    medium.close();
  }
}

/** A read-only view of an image file, so `info` can never change what it inspects. */
class ReadOnlyFile implements Medium {
  constructor(private readonly fd: number) {}

  readAt(position: number, out: Uint8Array): MediumResult {
    try {
      let done = 0;
      while (done < out.length) {
        const n = fs.readSync(this.fd, out, done, out.length - done, position + done);
        if (n === 0) break;
        done += n;
      }
      out.fill(0, done); // past the end reads as zeros (medium.ts)
      return { ok: true };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  writeAt(): MediumResult {
    return { ok: false, message: 'read-only' };
  }

  flush(): MediumResult {
    return { ok: true };
  }

  close(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed: nothing to release
    }
  }
}
