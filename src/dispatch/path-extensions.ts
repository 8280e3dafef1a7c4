// Registry of per-path state owned by plug-ins (handler.ts PathExtension): the band-management silo keeps
// its key cache and relinquished flag per initiator path (band-management.md §4), created with the path,
// dropped by a reboot, kept across a power cycle, after which it may re-unlock bands (D10).

import type { PathExtension } from './handler';
import type { RegisterResult } from './dispatcher';

const EXTENSIONS: PathExtension<unknown>[] = [];

/** Register a path extension; never throws (a duplicate name is refused). Paths created later get its state. */
export function registerPathExtension<S>(extension: PathExtension<S>): RegisterResult {
  if (EXTENSIONS.some((e) => e.name === extension.name)) {
    return { ok: false, error: `path extension ${extension.name} is already registered` };
  }
  EXTENSIONS.push(extension as PathExtension<unknown>);
  return { ok: true };
}

/** The registered extensions, in registration order. */
export function pathExtensions(): readonly PathExtension<unknown>[] {
  return EXTENSIONS;
}
