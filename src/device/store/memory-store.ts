// The default store: the image format (image-format.ts) laid out in sparse memory, so metadata commits
// tear under injected power loss exactly as an image file's do, and a 1 TiB disk costs nothing until
// written (scsi-device.md §1). "Power-up" keeps the memory — it stands for the persistent medium — and
// re-reads the committed state from it, as the image store re-reads its file.

import type { OpenResult, StoreGeometry } from './block-store';
import { computeLayout, encodeImageHeader, MAX_METADATA_BYTES } from './image-format';
import { MemoryMedium } from './medium';
import { SlottedStore } from './slotted-store';

export type MemoryStore = SlottedStore;

export function createMemoryStore(geometry: StoreGeometry): OpenResult<MemoryStore> {
  const computed = computeLayout(geometry.sectorSize, geometry.sectors, geometry.maxMetadataBytes ?? MAX_METADATA_BYTES);
  if (!computed.ok) return { ok: false, error: { code: computed.code, message: computed.message } };
  const medium = new MemoryMedium();
  // Creating the disk is not a write the device makes, so no power-loss step is counted for it.
  medium.writeAt(0, encodeImageHeader(computed.layout));
  return SlottedStore.open(medium, (old) => ({ ok: true, medium: old }));
}
