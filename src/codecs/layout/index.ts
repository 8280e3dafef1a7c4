// The layout DSL: the only part of vdisk that knows restructure exists (STYLE.md).
export * from './kinds';
export * from './errors';
export { Layout, struct, readPrim, writePrim, type Leaf, type FieldInfo, type LayoutOptions } from './layout';
