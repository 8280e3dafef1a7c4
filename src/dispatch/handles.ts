// The I/O manager's handle table (spec/io-manager.md §1, §2, §6): each open is its own file object owned by
// one process, reaching the device through one initiator, with the access granted at open and the class
// driver's per-handle extension (class-driver.md §1: secure LockCount, McnDisableCount), created zeroed.

import { mapGenericAccess } from '../codecs/access-rights';
import type { Initiator } from '../device/scsi';
import type { HandleState } from './handler';

export interface OpenRequest {
  readonly process: string;
  readonly initiator: Initiator;
  /** requested access; the grant is this after generic mapping (MAXIMUM_ALLOWED → FILE_ALL_ACCESS) */
  readonly access: number;
}

export interface HandleSnapshot {
  readonly id: number;
  readonly process: string;
  readonly initiator: Initiator;
  readonly access: number;
  readonly lockCount: number;
  readonly mcnDisableCount: number;
}

/**
 * Open handles by id. A Map iterates in insertion order, which is the order of opening — the order
 * exitProcess closes them in (io-manager.md §6, vdisk). Ids are never reused, not even after a reboot, so
 * a stale id can never name a newer handle (docs/decisions/host.md).
 */
export class HandleTable<T extends { readonly handle: HandleState }> {
  private readonly open_ = new Map<number, T>();
  private nextId = 1;

  /** Allocate the next id and register what `make` builds for it. Validation is the caller's. */
  open(request: OpenRequest, make: (state: HandleState) => T): T {
    const state: HandleState = {
      id: this.nextId++,
      process: request.process,
      initiator: request.initiator,
      access: mapGenericAccess(request.access),
      lockCount: 0,
      mcnDisableCount: 0,
    };
    const entry = make(state);
    this.open_.set(state.id, entry);
    return entry;
  }

  get(id: number): T | undefined {
    return this.open_.get(id);
  }

  /** Forget a handle (close processing is the caller's); false when it was not open. */
  remove(id: number): boolean {
    return this.open_.delete(id);
  }

  /** The open handles of `process`, in the order they were opened (a copy: safe to close while iterating). */
  ofProcess(process: string): T[] {
    const out: T[] = [];
    for (const e of this.open_.values()) if (e.handle.process === process) out.push(e);
    return out;
  }

  /** Every handle vanishes without close processing (reboot, io-manager.md §6). */
  clear(): void {
    this.open_.clear();
  }

  get size(): number {
    return this.open_.size;
  }

  snapshot(): HandleSnapshot[] {
    const out: HandleSnapshot[] = [];
    for (const { handle: h } of this.open_.values()) {
      out.push({
        id: h.id, process: h.process, initiator: h.initiator, access: h.access,
        lockCount: h.lockCount, mcnDisableCount: h.mcnDisableCount,
      });
    }
    return out;
  }
}
