// A security subsystem over a real store (the memory store, whose commits tear like an image's), wired as
// VirtualDisk wires it: poweredOff from the store, commit = the store's atomic metadata commit.

import { createMemoryStore, type BlockStore } from '../../../src/device/store';
import {
  SECURITY_DEFAULTS, SecuritySubsystem, type SecurityOptions,
} from '../../../src/device/security/security-subsystem';

export interface Rig {
  readonly store: BlockStore;
  security: SecuritySubsystem;
  /** power cycle: the store re-reads its medium, the subsystem restores from the committed record */
  powerCycle(): void;
}

export function rig(options: Partial<SecurityOptions> = {}): Rig {
  const opts: SecurityOptions = { ...SECURITY_DEFAULTS, mode: 'active', ...options };
  const created = createMemoryStore({ sectorSize: opts.sectorSize, sectors: opts.sectors });
  if (!created.ok) throw new Error(created.error.message);
  const store = created.store;
  const link = { poweredOff: () => store.poweredOff, commit: (r: Uint8Array) => store.commitMetadata(r) };
  const security = new SecuritySubsystem(opts, link, store.loadMetadata());
  const r: Rig = {
    store,
    security,
    powerCycle() {
      store.powerOn();
      r.security.powerUp(store.loadMetadata());
    },
  };
  return r;
}

export const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
export const key = (n: number, fill = 0xa5): Uint8Array => new Uint8Array(n).fill(fill);
export const md = (fill: number): Uint8Array => new Uint8Array(32).fill(fill);

/** Does `needle` occur anywhere in `hay`? (the secrets test greps with it) */
export function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return false;
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle)) >= 0;
}
