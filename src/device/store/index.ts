export * from './block-store';
export {
  IMAGE_FORMAT_VERSION, IMAGE_HEADER_BYTES, MAX_METADATA_BYTES, SLOT_HEADER_BYTES,
  computeLayout, type ImageLayout,
} from './image-format';
export { COMMIT_WRITE_STEPS, type LoadOptions } from './slotted-store';
export { createMemoryStore, type MemoryStore } from './memory-store';
export { createImage, openImage, type ImageStore, type OpenImageOptions } from './image-store';
