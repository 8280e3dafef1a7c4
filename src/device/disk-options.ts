// The `disk` options of spec/scenario-format.md, with their defaults and validation. Bad options are an
// error value naming the option (zod-style: a code and a path), never an exception. Library-only extras:
// `store` (an already open BlockStore, e.g. an image), `persistentReservationEngine` (the engine factory;
// the coordinator's default is wired in virtual-disk.ts) and `sidKey`.

import type { PersistentReservationEngineFactory } from './reservations/engine';
import type { BlockStore } from './store';

export type SecurityState = 'none' | 'inactive' | 'active';

export interface DiskOptions {
  readonly sectorSize?: number;
  readonly sectors?: number;
  readonly removable?: boolean;
  readonly medium?: 'present' | 'absent';
  readonly persistentReservations?: boolean;
  readonly security?: SecurityState;
  readonly maxBands?: number;
  readonly minKeyLength?: number;
  readonly maxKeyLength?: number;
  readonly bandMetadataSize?: number;
  readonly tryLimit?: number;
  /** hex: the device-wide erase credential (band-management.md D7); default: the default key */
  readonly eraseKey?: string;
  /** hex: the PSID (D5); default: derived from `seed` */
  readonly psid?: string;
  readonly seed?: number;
  // ---- library-only ----
  /** hex: a SID credential already taken by another owner (band-management.md §2.2) */
  readonly sidKey?: string;
  /** an open store (image); its geometry must equal sectorSize/sectors. Default: a new memory store */
  readonly store?: BlockStore;
  /** the persistent-reservation engine; default: the one wired in virtual-disk.ts */
  readonly persistentReservationEngine?: PersistentReservationEngineFactory;
}

export interface ResolvedDiskOptions {
  readonly sectorSize: 512 | 4096;
  readonly sectors: number;
  readonly removable: boolean;
  readonly medium: 'present' | 'absent';
  /** true when `medium` was given (it then wins over a committed medium section) */
  readonly mediumGiven: boolean;
  readonly persistentReservations: boolean;
  readonly security: SecurityState;
  readonly maxBands: number;
  readonly minKeyLength: number;
  readonly maxKeyLength: number;
  readonly bandMetadataSize: number;
  readonly tryLimit: number;
  readonly eraseKey: Uint8Array | undefined;
  readonly psid: Uint8Array | undefined;
  readonly sidKey: Uint8Array | undefined;
  readonly seed: number;
  readonly store: BlockStore | undefined;
  readonly persistentReservationEngine: PersistentReservationEngineFactory | undefined;
}

export interface DiskOptionError {
  readonly code: 'invalid-option' | 'unknown-option';
  /** the option's name, as in scenario-format.md */
  readonly option: string;
  readonly message: string;
}

export type DiskOptionsResult =
  | { readonly ok: true; readonly value: ResolvedDiskOptions }
  | { readonly ok: false; readonly error: DiskOptionError };

/** Largest capacity in sectors (2^40: 512 TiB at 512 bytes, 4 PiB at 4096; byte offsets stay < 2^53). */
export const MAX_SECTORS = 2 ** 40;
/** Largest band table (the global band included); vdisk's own bound (docs/decisions/device.md). */
export const MAX_BANDS = 1024;
/** Largest AUTH_KEY accepted as a key-length option (KeySize is a ULONG; vdisk's own bound). */
export const MAX_KEY_LENGTH = 4096;
/** Largest per-band metadata store (vdisk's own bound, keeps the committed record small). */
export const MAX_BAND_METADATA_SIZE = 65536;

export const DEFAULT_DISK_OPTIONS = Object.freeze({
  sectorSize: 512,
  sectors: 2048,
  removable: true,
  medium: 'present',
  persistentReservations: true,
  security: 'inactive',
  maxBands: 8,
  minKeyLength: 1,
  maxKeyLength: 32,
  bandMetadataSize: 256,
  tryLimit: 5,
  seed: 1,
} as const);

const KNOWN = new Set([
  'sectorSize', 'sectors', 'removable', 'medium', 'persistentReservations', 'security', 'maxBands',
  'minKeyLength', 'maxKeyLength', 'bandMetadataSize', 'tryLimit', 'eraseKey', 'psid', 'seed',
  'sidKey', 'store', 'persistentReservationEngine',
]);

function bad(option: string, message: string): DiskOptionsResult {
  return { ok: false, error: { code: 'invalid-option', option, message: `disk option ${option}: ${message}` } };
}

function intIn(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi;
}

function hexBytes(v: string): Uint8Array | undefined {
  const clean = v.replace(/\s+/g, '');
  if (clean.length === 0 || clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

/** Validates and completes `disk` options; the first bad option (in the table's order) names the error. */
export function resolveDiskOptions(options: DiskOptions = {}): DiskOptionsResult {
  if (options === null || typeof options !== 'object') return bad('(options)', 'not an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) return { ok: false, error: { code: 'unknown-option', option: key, message: `unknown disk option ${key}` } };
  }
  // checked field by field below: until then every value is only `unknown`-safe
  const o = { ...DEFAULT_DISK_OPTIONS, ...stripUndefined(options) } as Required<Omit<DiskOptions, 'store' | 'persistentReservationEngine'>>;
  if (o.sectorSize !== 512 && o.sectorSize !== 4096) return bad('sectorSize', `${String(o.sectorSize)} is not 512 or 4096`);
  if (!intIn(o.sectors, 1, MAX_SECTORS)) return bad('sectors', `${String(o.sectors)} is not an integer in [1, 2^40]`);
  if (typeof o.removable !== 'boolean') return bad('removable', 'not a boolean');
  if (o.medium !== 'present' && o.medium !== 'absent') return bad('medium', `${String(o.medium)} is not "present" or "absent"`);
  // a fixed disk's medium is always present (scsi-device.md §1)
  if (!o.removable && o.medium === 'absent') return bad('medium', '"absent" needs a removable disk');
  if (typeof o.persistentReservations !== 'boolean') return bad('persistentReservations', 'not a boolean');
  if (o.security !== 'none' && o.security !== 'inactive' && o.security !== 'active') {
    return bad('security', `${String(o.security)} is not "none", "inactive" or "active"`);
  }
  if (!intIn(o.maxBands, 1, MAX_BANDS)) return bad('maxBands', `not an integer in [1, ${MAX_BANDS}] (the global band included)`);
  if (!intIn(o.minKeyLength, 1, MAX_KEY_LENGTH)) return bad('minKeyLength', `not an integer in [1, ${MAX_KEY_LENGTH}]`);
  if (!intIn(o.maxKeyLength, o.minKeyLength, MAX_KEY_LENGTH)) return bad('maxKeyLength', `not an integer in [minKeyLength, ${MAX_KEY_LENGTH}]`);
  if (!intIn(o.bandMetadataSize, 0, MAX_BAND_METADATA_SIZE)) return bad('bandMetadataSize', `not an integer in [0, ${MAX_BAND_METADATA_SIZE}]`);
  if (!intIn(o.tryLimit, 1, 0x7fffffff)) return bad('tryLimit', 'not a positive integer');
  const keys: Record<'eraseKey' | 'psid' | 'sidKey', Uint8Array | undefined> = { eraseKey: undefined, psid: undefined, sidKey: undefined };
  for (const name of ['eraseKey', 'psid', 'sidKey'] as const) {
    const v = options[name];
    if (v === undefined) continue;
    const b = typeof v === 'string' ? hexBytes(v) : undefined;
    if (b === undefined) return bad(name, 'not a non-empty hex string');
    if (b.length < o.minKeyLength || b.length > o.maxKeyLength) return bad(name, `${b.length} bytes is outside [minKeyLength, maxKeyLength]`);
    keys[name] = b;
  }
  if (!intIn(o.seed, 0, Number.MAX_SAFE_INTEGER)) return bad('seed', 'not a non-negative safe integer');
  const store = options.store;
  if (store !== undefined) {
    if (typeof store !== 'object' || store === null || typeof store.read !== 'function') return bad('store', 'not a BlockStore');
    if (store.sectorSize !== o.sectorSize || store.sectors !== o.sectors) {
      return bad('store', `geometry ${store.sectors} × ${store.sectorSize} differs from sectors × sectorSize ${o.sectors} × ${o.sectorSize}`);
    }
  }
  if (options.persistentReservationEngine !== undefined && typeof options.persistentReservationEngine !== 'function') {
    return bad('persistentReservationEngine', 'not a function');
  }
  return {
    ok: true,
    value: {
      sectorSize: o.sectorSize, sectors: o.sectors, removable: o.removable, medium: o.medium,
      mediumGiven: options.medium !== undefined, persistentReservations: o.persistentReservations,
      security: o.security, maxBands: o.maxBands, minKeyLength: o.minKeyLength, maxKeyLength: o.maxKeyLength,
      bandMetadataSize: o.bandMetadataSize, tryLimit: o.tryLimit, ...keys, seed: o.seed, store,
      persistentReservationEngine: options.persistentReservationEngine,
    },
  };
}

function stripUndefined(o: object): object {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
