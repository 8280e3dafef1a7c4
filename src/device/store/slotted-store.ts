// The one store engine behind both the memory store and the image store: sector I/O at dataOffset, the
// metadata record in two alternating slots (band-management.md §2.2 "Commit"), and power-loss injection
// counted in write steps (scenario-format.md `inject`). Only the medium differs, so a loss injected at
// step k tears both stores identically.

import {
  STORE_OK, storeFailure,
  type BlockStore, type OpenError, type OpenResult, type PowerOnResult, type SectorSize, type StoreFailure,
  type StoreResult,
} from './block-store';
import {
  decodeImageHeader, decodeSlotHeader, encodeSlotHeader, slotChecksumMatches,
  IMAGE_HEADER_BYTES, SLOT_HEADER_BYTES, type ImageLayout,
} from './image-format';
import type { Medium } from './medium';

/**
 * A commit is four write steps into the slot the current record does NOT occupy:
 *   1. first half of the record   2. second half of the record
 *   3. slot header bytes [0, 32) — magic, generation, length, start of the checksum
 *   4. slot header bytes [32, 64) — rest of the checksum
 * then a flush, after which the commit is complete. Until step 4 lands, the target slot fails its checksum
 * (the checksum covers generation, length and record), so a power-up picks the other slot: the old record.
 * After step 4 the target is valid with a higher generation: the new record. Nothing between is possible
 * (band-management.md D2 step 11; persistent-reservations.md §8 for APTPL state). The record is split in
 * two so that the torn-body case is exercised even though each step is a single write.
 */
export const COMMIT_WRITE_STEPS = 4;
const HEADER_SPLIT = 32;

export interface LoadOptions {
  /**
   * Both slots hold something and neither is valid: by default opening fails (`metadata-corrupt`), since
   * treating the disk as never committed would silently reinitialise its band table and media keys.
   * A recovery tool may set this to open with no record (and a warning) instead.
   */
  readonly discardCorruptMetadata?: boolean;
}

export type RestartResult = { readonly ok: true; readonly medium: Medium } | { readonly ok: false; readonly error: OpenError };

/** What a power-up finds on the medium. */
interface Committed {
  /** slot of the valid record with the highest generation, or null if there is none */
  readonly slot: 0 | 1 | null;
  /** 0 when no record */
  readonly generation: number;
  readonly record: Uint8Array | null;
}

type LoadResult =
  | { readonly ok: true; readonly layout: ImageLayout; readonly committed: Committed; readonly warnings: string[] }
  | { readonly ok: false; readonly error: OpenError };

type SlotState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'corrupt'; readonly why: string }
  | { readonly kind: 'valid'; readonly generation: number; readonly record: Uint8Array };

function readSlot(medium: Medium, layout: ImageLayout, slot: 0 | 1): SlotState | OpenError {
  const base = layout.slotOffsets[slot];
  const headerBytes = new Uint8Array(SLOT_HEADER_BYTES);
  const r = medium.readAt(base, headerBytes);
  if (!r.ok) return { code: 'io-error', message: `reading metadata slot ${slot}: ${r.message}` };
  const header = decodeSlotHeader(headerBytes, layout.metadataCapacity);
  if (header.kind !== 'candidate') return header;
  // header.length ≤ metadataCapacity ≤ MAX_METADATA_BYTES was checked by decodeSlotHeader.
  const record = new Uint8Array(header.length);
  const rr = medium.readAt(base + SLOT_HEADER_BYTES, record);
  if (!rr.ok) return { code: 'io-error', message: `reading metadata slot ${slot}: ${rr.message}` };
  if (!slotChecksumMatches(headerBytes, record)) return { kind: 'corrupt', why: 'checksum mismatch (torn or damaged)' };
  return { kind: 'valid', generation: header.generation, record };
}

function isOpenError(x: SlotState | OpenError): x is OpenError {
  return 'code' in x;
}

/** Reads the header and both slots and picks the valid record with the higher generation. */
export function loadState(medium: Medium, options: LoadOptions): LoadResult {
  const headerBytes = new Uint8Array(IMAGE_HEADER_BYTES);
  const hr = medium.readAt(0, headerBytes);
  if (!hr.ok) return { ok: false, error: { code: 'io-error', message: `reading the image header: ${hr.message}` } };
  const decoded = decodeImageHeader(headerBytes);
  if (!decoded.ok) return { ok: false, error: { code: decoded.code, message: decoded.message } };
  const { layout } = decoded;

  const s0 = readSlot(medium, layout, 0);
  if (isOpenError(s0)) return { ok: false, error: s0 };
  const s1 = readSlot(medium, layout, 1);
  if (isOpenError(s1)) return { ok: false, error: s1 };
  const slots = [s0, s1] as const;

  const warnings: string[] = [];
  let best: 0 | 1 | null = null;
  for (const i of [0, 1] as const) {
    const s = slots[i];
    if (s.kind !== 'valid') continue;
    const b = best === null ? null : slots[best];
    if (b === null || (b.kind === 'valid' && s.generation > b.generation)) best = i;
    else if (b.kind === 'valid' && s.generation === b.generation) {
      // Never produced by commits (each targets the other slot with generation + 1): external damage.
      warnings.push(`metadata slots 0 and 1 both claim generation ${s.generation}; using slot ${best}`);
    }
  }
  const chosen = best === null ? null : slots[best];
  for (const i of [0, 1] as const) {
    const s = slots[i];
    if (s.kind !== 'corrupt') continue;
    const fallback = chosen?.kind === 'valid'
      ? `using slot ${best} (generation ${chosen.generation})`
      : 'no valid metadata record remains';
    warnings.push(`metadata slot ${i} at byte ${layout.slotOffsets[i]} is invalid (${s.why}); ${fallback}`);
  }
  if (best === null && s0.kind === 'corrupt' && s1.kind === 'corrupt' && !options.discardCorruptMetadata) {
    // A single torn commit leaves the other slot valid or empty, so two invalid slots mean damage.
    return {
      ok: false,
      error: { code: 'metadata-corrupt', message: `both metadata slots are invalid: ${warnings.join('; ')}` },
    };
  }
  const committed: Committed = chosen !== null && chosen.kind === 'valid'
    ? { slot: best, generation: chosen.generation, record: chosen.record }
    : { slot: null, generation: 0, record: null };
  return { ok: true, layout, committed, warnings };
}

export class SlottedStore implements BlockStore {
  readonly commitWriteSteps = COMMIT_WRITE_STEPS;
  readonly sectorSize: SectorSize;
  readonly sectors: number;
  readonly maxMetadataBytes: number;

  private medium: Medium;
  private layout: ImageLayout;
  private committed: Committed;
  /** write steps left before the injected loss fires; null = none armed */
  private countdown: number | null = null;
  private off = false;
  private closed = false;

  private constructor(
    medium: Medium, layout: ImageLayout, committed: Committed,
    private readonly restart: (old: Medium) => RestartResult, private readonly options: LoadOptions,
  ) {
    this.medium = medium;
    this.layout = layout;
    this.committed = committed;
    this.sectorSize = layout.sectorSize;
    this.sectors = layout.sectors;
    this.maxMetadataBytes = layout.metadataCapacity;
  }

  /**
   * Opens a store on a medium that already holds an image header. `restart` gives the medium after a
   * power-up: the same object for memory, the file opened again for an image.
   */
  static open(medium: Medium, restart: (old: Medium) => RestartResult, options: LoadOptions = {}): OpenResult<SlottedStore> {
    const loaded = loadState(medium, options);
    if (!loaded.ok) return loaded;
    return {
      ok: true,
      store: new SlottedStore(medium, loaded.layout, loaded.committed, restart, options),
      warnings: loaded.warnings,
    };
  }

  get poweredOff(): boolean {
    return this.off;
  }

  get metadataGeneration(): number {
    return this.committed.generation;
  }

  read(lba: number, count: number, out: Uint8Array): StoreResult {
    const gate = this.gate();
    if (gate) return gate;
    const range = this.checkRange(lba, count);
    if (range) return range;
    if (out.length !== count * this.sectorSize) {
      return storeFailure('invalid-argument', `read of ${count} sectors needs ${count * this.sectorSize} bytes, buffer has ${out.length}`);
    }
    const r = this.medium.readAt(this.sectorOffset(lba), out);
    return r.ok ? STORE_OK : storeFailure('io-error', `reading ${count} sectors at LBA ${lba}: ${r.message}`);
  }

  write(lba: number, data: Uint8Array): StoreResult {
    const gate = this.gate();
    if (gate) return gate;
    if (data.length % this.sectorSize !== 0) {
      return storeFailure('invalid-argument', `write of ${data.length} bytes is not a whole number of ${this.sectorSize}-byte sectors`);
    }
    const count = data.length / this.sectorSize;
    const range = this.checkRange(lba, count);
    if (range) return range;
    // One step per sector: the sectors before an injected loss reach the medium, the rest do not.
    const granted = this.takeSteps(count);
    if (granted > 0) {
      const r = this.medium.writeAt(this.sectorOffset(lba), granted === count ? data : data.subarray(0, granted * this.sectorSize));
      if (!r.ok) return storeFailure('io-error', `writing ${granted} sectors at LBA ${lba}: ${r.message}`);
    }
    if (granted < count) return this.lostAt(`sector ${lba + granted} of a write at LBA ${lba}`);
    return STORE_OK;
  }

  flush(): StoreResult {
    const gate = this.gate();
    if (gate) return gate;
    const r = this.medium.flush();
    return r.ok ? STORE_OK : storeFailure('io-error', `flush: ${r.message}`);
  }

  loadMetadata(): Uint8Array | null {
    const record = this.committed.record;
    return record === null ? null : record.slice();
  }

  commitMetadata(record: Uint8Array): StoreResult {
    const gate = this.gate();
    if (gate) return gate;
    if (record.length > this.maxMetadataBytes) {
      return storeFailure('invalid-argument', `metadata record of ${record.length} bytes exceeds the limit of ${this.maxMetadataBytes}`);
    }
    // Never the slot holding the current record: it is what a loss during this commit falls back to.
    const target: 0 | 1 = this.committed.slot === 0 ? 1 : 0;
    const generation = this.committed.generation + 1;
    const copy = record.slice(); // the caller may reuse its buffer; the cache must be what was written
    const header = encodeSlotHeader(generation, copy);
    const base = this.layout.slotOffsets[target];
    const half = Math.floor(copy.length / 2);
    const steps: readonly [number, Uint8Array][] = [
      [base + SLOT_HEADER_BYTES, copy.subarray(0, half)],
      [base + SLOT_HEADER_BYTES + half, copy.subarray(half)],
      [base, header.subarray(0, HEADER_SPLIT)],
      [base + HEADER_SPLIT, header.subarray(HEADER_SPLIT)],
    ];
    for (let i = 0; i < steps.length; i++) {
      const [at, bytes] = steps[i]!;
      if (this.takeSteps(1) === 0) return this.lostAt(`step ${i + 1} of ${COMMIT_WRITE_STEPS} of metadata commit ${generation}`);
      if (bytes.length > 0) {
        const r = this.medium.writeAt(at, bytes);
        // The current slot is untouched, so the old record stays the committed one.
        if (!r.ok) return storeFailure('io-error', `metadata commit ${generation}, step ${i + 1}: ${r.message}`);
      }
    }
    // Complete only once durable: the flush also makes every earlier sector write durable.
    const f = this.medium.flush();
    if (!f.ok) return storeFailure('io-error', `metadata commit ${generation}, flush: ${f.message}`);
    this.committed = { slot: target, generation, record: copy };
    return STORE_OK;
  }

  armPowerLoss(afterWrites: number): StoreResult {
    if (this.closed) return storeFailure('io-error', 'store is closed');
    if (!Number.isSafeInteger(afterWrites) || afterWrites < 0) {
      return storeFailure('invalid-argument', `afterWrites ${afterWrites} is not a non-negative integer`);
    }
    this.countdown = afterWrites;
    return STORE_OK;
  }

  disarmPowerLoss(): void {
    this.countdown = null;
  }

  powerOn(): PowerOnResult {
    if (this.closed) return storeFailure('io-error', 'store is closed');
    // scsi-device.md §6: a power cycle disarms a loss that has not fired.
    this.countdown = null;
    const restarted = this.restart(this.medium);
    if (!restarted.ok) {
      this.off = true;
      return storeFailure('io-error', `power-up: ${restarted.error.message}`);
    }
    this.medium = restarted.medium;
    const loaded = loadState(this.medium, this.options);
    if (!loaded.ok) {
      this.off = true;
      return storeFailure('io-error', `power-up: ${loaded.error.message}`);
    }
    const l = loaded.layout;
    if (l.sectorSize !== this.sectorSize || l.sectors !== this.sectors || l.metadataCapacity !== this.maxMetadataBytes) {
      this.off = true;
      return storeFailure('io-error', 'power-up: the image header changed geometry while the device was off');
    }
    this.layout = l;
    this.committed = loaded.committed;
    this.off = false;
    return { ok: true, warnings: loaded.warnings };
  }

  close(): StoreResult {
    if (this.closed) return STORE_OK;
    this.closed = true;
    this.countdown = null;
    // While off nothing was written since the loss, and a flush would be a write reaching the medium.
    const f = this.off ? STORE_OK : this.medium.flush();
    this.medium.close();
    return f.ok ? STORE_OK : storeFailure('io-error', `close: ${f.message}`);
  }

  private gate(): StoreFailure | null {
    if (this.closed) return storeFailure('io-error', 'store is closed');
    if (this.off) return storeFailure('power-lost', 'the device is off after a power loss; powerOn() first');
    return null;
  }

  /** Overflow-safe: compares count with sectors − lba, never computes lba + count past 2^53. */
  private checkRange(lba: number, count: number): StoreFailure | null {
    if (!Number.isSafeInteger(lba) || !Number.isSafeInteger(count) || lba < 0 || count < 0) {
      return storeFailure('out-of-range', `LBA ${lba}, count ${count}: not non-negative integers`);
    }
    if (lba > this.sectors || count > this.sectors - lba) {
      return storeFailure('out-of-range', `sectors [${lba}, ${lba}+${count}) exceed the capacity of ${this.sectors}`);
    }
    return null;
  }

  /** exact: lba ≤ sectors and computeLayout keeps dataOffset + sectors × sectorSize ≤ 2^53 − 1 */
  private sectorOffset(lba: number): number {
    return this.layout.dataOffset + lba * this.sectorSize;
  }

  /** Grants up to n write steps; fewer than n means the injected loss fires now and the store goes off. */
  private takeSteps(n: number): number {
    if (this.countdown === null) return n;
    const granted = Math.min(n, this.countdown);
    this.countdown -= granted;
    if (granted < n) {
      this.countdown = null;
      this.off = true;
    }
    return granted;
  }

  private lostAt(where: string): StoreFailure {
    return storeFailure('power-lost', `power lost at ${where}`);
  }
}
