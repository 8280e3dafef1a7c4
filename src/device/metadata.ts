// The device's metadata registry: components register named sections ('pr', 'security', 'medium') and
// commitMetadata() serialises all of them into ONE record that the store commits atomically
// (band-management.md §2.2 "Commit", D2 step 11; persistent-reservations.md §8). On creation from an
// existing store and at every power-on, sections are restored from the last committed record: what the
// store committed before a power loss is all that survives (scsi-device.md §6).
//
// Record format (vdisk's own; the store adds generation and checksum): "VDMD", u8 version 1, u8 count,
// then per section: u8 name length, name (ASCII), u32le byte length, bytes. Sections in registration order.

import type { BlockStore, StoreResult } from './store';

export interface MetadataSection {
  /** the section's committed form, or undefined when it has nothing to persist (left out of the record) */
  serialize(): Uint8Array | undefined;
  /** load a committed form (undefined: the record has no such section); false if it cannot be decoded */
  restore(bytes: Uint8Array | undefined): boolean;
}

const MAGIC = [0x56, 0x44, 0x4d, 0x44]; // "VDMD"
const VERSION = 1;

export type MetadataDecodeResult =
  | { readonly ok: true; readonly sections: ReadonlyMap<string, Uint8Array> }
  | { readonly ok: false; readonly error: string };

export class MetadataRegistry {
  private readonly sections = new Map<string, MetadataSection>();

  /** Registers a section; a name registered twice is a programming error (construction time only). */
  register(name: string, section: MetadataSection): void {
    if (this.sections.has(name) || name.length === 0 || name.length > 255) throw new Error(`metadata section ${name}`);
    this.sections.set(name, section);
  }

  get names(): readonly string[] {
    return [...this.sections.keys()];
  }

  encode(): Uint8Array {
    const parts: [Uint8Array, Uint8Array][] = [];
    for (const [name, section] of this.sections) {
      const bytes = section.serialize();
      if (bytes !== undefined) parts.push([Buffer.from(name, 'latin1'), bytes]);
    }
    let size = 6;
    for (const [n, b] of parts) size += 1 + n.length + 4 + b.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    out.set(MAGIC, 0);
    out[4] = VERSION;
    out[5] = parts.length;
    let at = 6;
    for (const [n, b] of parts) {
      out[at] = n.length;
      out.set(n, at + 1);
      at += 1 + n.length;
      view.setUint32(at, b.length, true);
      out.set(b, at + 4);
      at += 4 + b.length;
    }
    return out;
  }

  /** Decodes a record; never reads past its end, never throws. */
  static decode(record: Uint8Array): MetadataDecodeResult {
    if (record.length < 6 || MAGIC.some((m, i) => record[i] !== m)) return { ok: false, error: 'not a vdisk metadata record' };
    if (record[4] !== VERSION) return { ok: false, error: `metadata record version ${record[4]}` };
    const count = record[5]!;
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    const sections = new Map<string, Uint8Array>();
    let at = 6;
    for (let i = 0; i < count; i++) {
      if (at + 1 > record.length) return { ok: false, error: `section ${i}: short name length` };
      const nameLength = record[at]!;
      if (at + 1 + nameLength + 4 > record.length) return { ok: false, error: `section ${i}: short header` };
      const name = Buffer.from(record.subarray(at + 1, at + 1 + nameLength)).toString('latin1');
      at += 1 + nameLength;
      const length = view.getUint32(at, true);
      if (at + 4 + length > record.length) return { ok: false, error: `section ${name}: short data` };
      sections.set(name, record.slice(at + 4, at + 4 + length));
      at += 4 + length;
    }
    return { ok: true, sections };
  }

  /** Serialises every section and commits the record through the store (all-or-nothing). */
  commit(store: BlockStore): StoreResult {
    return store.commitMetadata(this.encode());
  }

  /**
   * Restores the sections named in `only` (all when omitted) from the store's committed record.
   * Returns the names of sections that could not be restored (an undecodable record fails them all).
   */
  restoreFrom(store: BlockStore, only?: readonly string[]): string[] {
    const record = store.loadMetadata();
    const decoded = record === null ? { ok: true as const, sections: new Map<string, Uint8Array>() } : MetadataRegistry.decode(record);
    const failed: string[] = [];
    for (const [name, section] of this.sections) {
      if (only !== undefined && !only.includes(name)) continue;
      const ok = decoded.ok ? section.restore(decoded.sections.get(name)) : section.restore(undefined) && false;
      if (!ok) failed.push(name);
    }
    return failed;
  }
}
