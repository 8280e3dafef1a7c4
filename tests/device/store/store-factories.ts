// The two store implementations behind one factory shape, so every contract test runs against both.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createImage, createMemoryStore, type BlockStore, type StoreGeometry } from '../../../src/device/store';

export interface StoreFactory {
  readonly name: 'memory' | 'image';
  create(geometry: StoreGeometry): BlockStore;
}

let tmpRoot: string | null = null;
let counter = 0;

/** A fresh file name under one temporary directory per test file (removed by removeTmpRoot). */
export function tmpImagePath(): string {
  tmpRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'vdisk-store-'));
  counter += 1;
  return path.join(tmpRoot, `disk-${counter}.img`);
}

export function removeTmpRoot(): void {
  if (tmpRoot !== null) fs.rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = null;
}

function unwrap<S>(r: { ok: true; store: S } | { ok: false; error: { message: string } }): S {
  if (!r.ok) throw new Error(`store creation failed: ${r.error.message}`);
  return r.store;
}

export const FACTORIES: readonly StoreFactory[] = [
  { name: 'memory', create: (g) => unwrap(createMemoryStore(g)) },
  { name: 'image', create: (g) => unwrap(createImage(tmpImagePath(), g)) },
];

export function filled(bytes: number, value: number): Uint8Array {
  return new Uint8Array(bytes).fill(value);
}

export function record(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}
