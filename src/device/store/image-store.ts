// The image store: one file in the format of image-format.ts. Synchronous fs throughout, because the whole
// device API is synchronous. Sector data is written at its offset and nothing is pre-filled, so the file
// is as sparse as the file system allows.
//
// System calls are the one place this layer catches exceptions: a failing read/write/fsync is an expected
// I/O outcome at the edge of the process, and it becomes an `io-error` value (STYLE.md: errors as values).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpenError, OpenResult, StoreGeometry } from './block-store';
import { computeLayout, encodeImageHeader, IMAGE_HEADER_BYTES, MAX_METADATA_BYTES } from './image-format';
import { MEDIUM_OK, type Medium, type MediumResult } from './medium';
import { SlottedStore, type LoadOptions, type RestartResult } from './slotted-store';

export type ImageStore = SlottedStore;
export type OpenImageOptions = LoadOptions;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class FileMedium implements Medium {
  private fd: number | null;

  constructor(fd: number) {
    this.fd = fd;
  }

  readAt(position: number, out: Uint8Array): MediumResult {
    if (this.fd === null) return { ok: false, message: 'file is closed' };
    try {
      let done = 0;
      while (done < out.length) {
        const n = fs.readSync(this.fd, out, done, out.length - done, position + done);
        if (n === 0) {
          out.fill(0, done); // past the end of the file: never written, reads as zeros
          break;
        }
        done += n;
      }
      return MEDIUM_OK;
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
  }

  writeAt(position: number, data: Uint8Array): MediumResult {
    if (this.fd === null) return { ok: false, message: 'file is closed' };
    try {
      let done = 0;
      while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, position + done);
      return MEDIUM_OK;
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
  }

  flush(): MediumResult {
    if (this.fd === null) return { ok: false, message: 'file is closed' };
    try {
      fs.fsyncSync(this.fd);
      return MEDIUM_OK;
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fs.closeSync(fd);
    } catch {
      // closing can only fail for a bad descriptor; the medium is unusable either way
    }
  }
}

function ioError(what: string, e: unknown): { ok: false; error: OpenError } {
  return { ok: false, error: { code: 'io-error', message: `${what}: ${errorText(e)}` } };
}

/** Opens the file read-write and checks it is at least a header long (a shorter file is `truncated`). */
function openMedium(file: string): RestartResult {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (e) {
    return ioError(`opening ${file}`, e);
  }
  const medium = new FileMedium(fd);
  let size: number;
  try {
    size = fs.fstatSync(fd).size;
  } catch (e) {
    medium.close();
    return ioError(`reading ${file}`, e);
  }
  if (size < IMAGE_HEADER_BYTES) {
    medium.close();
    return {
      ok: false,
      error: { code: 'truncated', message: `${file} is ${size} bytes, shorter than the ${IMAGE_HEADER_BYTES}-byte image header` },
    };
  }
  return { ok: true, medium };
}

/** A power-up re-opens the file, as a restarted process would. */
function restartFrom(file: string): (old: Medium) => RestartResult {
  return (old) => {
    old.close();
    return openMedium(file);
  };
}

/**
 * Opens an existing image. A bad magic, an unknown version, a damaged or inconsistent header, or two
 * invalid metadata slots are error values: an image is never silently reinitialised. `warnings` names
 * a slot that was skipped (a commit torn by a crash).
 */
export function openImage(file: string, options: OpenImageOptions = {}): OpenResult<ImageStore> {
  const opened = openMedium(file);
  if (!opened.ok) return opened;
  const result = SlottedStore.open(opened.medium, restartFrom(file), options);
  if (!result.ok) opened.medium.close();
  return result;
}

/**
 * Creates a new image (never overwrites: an existing file is `exists`): writes the header, makes it and
 * the directory entry durable, then opens it. Sectors and slots are left as holes.
 */
export function createImage(file: string, geometry: StoreGeometry): OpenResult<ImageStore> {
  const computed = computeLayout(geometry.sectorSize, geometry.sectors, geometry.maxMetadataBytes ?? MAX_METADATA_BYTES);
  if (!computed.ok) return { ok: false, error: { code: computed.code, message: computed.message } };
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx+');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      return { ok: false, error: { code: 'exists', message: `${file} already exists; createImage never overwrites` } };
    }
    return ioError(`creating ${file}`, e);
  }
  const medium = new FileMedium(fd);
  const w = medium.writeAt(0, encodeImageHeader(computed.layout));
  const f = w.ok ? medium.flush() : w;
  if (!f.ok) {
    medium.close();
    return { ok: false, error: { code: 'io-error', message: `writing the header of ${file}: ${f.message}` } };
  }
  const dir = syncDirectory(path.dirname(path.resolve(file)));
  if (!dir.ok) {
    medium.close();
    return { ok: false, error: { code: 'io-error', message: `making ${file} durable: ${dir.message}` } };
  }
  const result = SlottedStore.open(medium, restartFrom(file));
  if (!result.ok) medium.close();
  return result;
}

/** fsync of the directory, so the new file's name survives a crash (POSIX; Windows cannot open a directory). */
function syncDirectory(dir: string): MediumResult {
  if (process.platform === 'win32') return MEDIUM_OK;
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return MEDIUM_OK;
  } catch (e) {
    return { ok: false, message: errorText(e) };
  }
}
