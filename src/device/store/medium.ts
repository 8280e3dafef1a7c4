// A medium is the byte-addressed thing a store lays its image format on: a sparse in-memory page map, or
// a file. The store engine (slotted-store.ts) does all the format and power-loss logic once, on top.

export type MediumResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export const MEDIUM_OK: MediumResult = Object.freeze({ ok: true as const });

export interface Medium {
  /** fills `out` from `position`; bytes never written (holes, past the end) read as zeros */
  readAt(position: number, out: Uint8Array): MediumResult;
  writeAt(position: number, data: Uint8Array): MediumResult;
  /** makes every earlier write durable */
  flush(): MediumResult;
  close(): void;
}

/** 4 KiB pages: one page holds a 4096-byte sector or eight 512-byte ones. */
const PAGE_BYTES = 4096;

/**
 * Sparse memory: only pages something was written to exist, so a 1 TiB (or 2^40-sector) disk costs
 * nothing until written (scsi-device.md §1: never-written sectors are stored as nothing). Page indexes
 * stay below 2^53 / 4096, exact as Map keys.
 */
export class MemoryMedium implements Medium {
  private pages = new Map<number, Uint8Array>();

  /** pages holding data, for tests that check sparseness */
  get allocatedPages(): number {
    return this.pages.size;
  }

  readAt(position: number, out: Uint8Array): MediumResult {
    let done = 0;
    while (done < out.length) {
      const at = position + done;
      const index = Math.floor(at / PAGE_BYTES);
      const inPage = at - index * PAGE_BYTES;
      const n = Math.min(PAGE_BYTES - inPage, out.length - done);
      const page = this.pages.get(index);
      if (page) out.set(page.subarray(inPage, inPage + n), done);
      else out.fill(0, done, done + n);
      done += n;
    }
    return MEDIUM_OK;
  }

  writeAt(position: number, data: Uint8Array): MediumResult {
    let done = 0;
    while (done < data.length) {
      const at = position + done;
      const index = Math.floor(at / PAGE_BYTES);
      const inPage = at - index * PAGE_BYTES;
      const n = Math.min(PAGE_BYTES - inPage, data.length - done);
      let page = this.pages.get(index);
      if (!page) {
        page = new Uint8Array(PAGE_BYTES); // zero-filled: the rest of the page reads as never written
        this.pages.set(index, page);
      }
      page.set(data.subarray(done, done + n), inPage);
      done += n;
    }
    return MEDIUM_OK;
  }

  flush(): MediumResult {
    return MEDIUM_OK;
  }

  close(): void {
    this.pages = new Map();
  }
}
