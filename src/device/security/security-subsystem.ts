// The device's security subsystem: the API the host's band silo calls (ARCHITECTURE.md "security"). It
// speaks band ids, byte ranges, lock states and keys — never NTSTATUS; errors are values the silo
// translates (D2). Steps 1-5 of D2 are the silo's; the subsystem owns what needs the device:
//   step 6  gate()                       activation state (and "device off" → device-error)
//   step 7  bands()                      the table the silo selects from (D1 lives in the silo)
//   step 8  prepare*()                   authentication, counted per credential (D3)
//   step 9  prepare*()                   semantic checks
//   step 10 (silo)                       output-buffer rules, between prepare and commit
//   step 11 Pending.commit()             the atomic commit of one record through `link.commit`
// A prepared change holds the whole new table; commit() writes it as one record and only then swaps it in,
// so a failed commit (power loss, injected band failure) leaves memory and medium on the old table.

import {
  bandsTouched, freeSlot, GLOBAL_BAND, NOT_RELOCKED, overlapsAnyBand, parseTable,
  PERSISTENT_UNLOCK, readLocked, relockOnReset, reportedLocks, serialiseTable, SLOT_METADATA_BYTES,
  validGeometry, withSlot, writeLocked,
  type LockState, type Relocked, type Slot, type Table,
} from './band-table';
import { makeVerifier, publicKeyVerifier, TryCounters, type CredentialId, type Verifier } from './credentials';
import { KeyWrapper, newMediaKey, SeededRandom } from './media-keys';
import { createHash } from 'node:crypto';

export type SecurityMode = 'none' | 'inactive' | 'active';

export interface SecurityOptions {
  readonly mode: SecurityMode;
  readonly sectorSize: number;
  /** capacity in sectors */
  readonly sectors: number;
  readonly maxBands: number;
  readonly minKeyLength: number;
  readonly maxKeyLength: number;
  readonly bandMetadataSize: number;
  readonly tryLimit: number;
  readonly seed: number | string;
  /** the erase credential (D7); default: the default key */
  readonly eraseKey?: Uint8Array;
  /** the PSID (D5); default: derived from the seed */
  readonly psid?: Uint8Array;
  /** a SID credential already taken by another owner (§2.2, library API only); default: the default key */
  readonly sidKey?: Uint8Array;
}

export const SECURITY_DEFAULTS = {
  mode: 'inactive', sectorSize: 512, sectors: 2048, maxBands: 8, minKeyLength: 1, maxKeyLength: 32,
  bandMetadataSize: 256, tryLimit: 5, seed: 1,
} as const satisfies SecurityOptions;

/** How the subsystem reaches the rest of the device: power state and the atomic metadata commit. */
export interface SecurityLink {
  /** true while the device is off after an injected power loss (io-manager.md §7) */
  poweredOff(): boolean;
  /** atomically replaces the 'security' metadata section; ok only when durable (D2 step 11) */
  commit(record: Uint8Array): { readonly ok: boolean };
}

// Capability bits (layouts.md §2 "Band management constants").
export const CAPS_ACTIVATED = 0x1;
export const CAPS_BANDCROSSING_SUPPORTED = 0x2;
export const CAPS_SID_SECURED = 0x4;

export interface Capabilities {
  readonly capabilities: number;
  readonly keyProtectionMechanism: 0;
  readonly minAuthKeyLength: number;
  readonly maxAuthKeyLength: number;
  readonly maxBandCount: number;
  readonly maxSimultaneousReencryptionCount: 0;
  readonly bandMetadataSize: number;
}

/**
 * Why a security operation failed; the silo maps each to the NTSTATUS of its D2 step.
 * device-error: the device is off, a band-failure fault hit the band, or the commit failed (step 6/11).
 */
export type SecurityErrorCode =
  | 'device-error'
  | 'not-activated' | 'already-activated'          // step 6
  | 'auth-failed'                                   // step 8 (wrong key, locked out, SID disabled)
  | 'conflict' | 'table-full' | 'invalid' | 'write-locked' // step 9
  | 'not-found';                                    // a band id that is not configured

export interface SecurityError {
  readonly code: SecurityErrorCode;
  readonly band?: number;
}

export type SecResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SecurityError };

const fail = (code: SecurityErrorCode, band?: number): { ok: false; error: SecurityError } =>
  ({ ok: false, error: band === undefined ? { code } : { code, band } });
const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

/** A key as the silo passes it: undefined or empty = the default key (D4). */
export type KeyArg = Uint8Array | undefined;

/** A configured band as the silo sees it (selection, D1; ENUMERATE, §3.3). */
export interface BandView {
  readonly bandId: number;
  /** bytes; the global band reports 0 and the capacity (§3.3) */
  readonly bandStart: bigint;
  readonly bandSize: bigint;
}

export interface BandEntry extends BandView {
  readonly locationMetadata: Uint8Array;
  readonly readLock: LockState;
  readonly writeLock: LockState;
  readonly securityMetadata: Uint8Array;
}

/** The state a request leaves a band in, for the host's key cache (§4). */
export interface BandOutcome {
  readonly bandId: number;
  readonly lockedForReadAndWrite: boolean;
}

/** A validated change (steps 6-9 passed); commit() is step 11. */
export interface Pending<T> {
  readonly info: T;
  commit(): SecResult<T>;
}

export interface LocationArg {
  readonly bandStart: bigint;
  readonly bandSize: bigint;
  readonly metadata: Uint8Array;
}

export interface SecurityArg {
  readonly readLock: LockState;
  readonly writeLock: LockState;
  readonly metadata: Uint8Array;
}

/** The view encrypted-sector-access needs at I/O time. */
export interface IoView {
  readonly mode: SecurityMode;
  readonly table: Table;
  readonly relocked: readonly Relocked[];
}

/** What the fuzz oracle compares before and after a failed request (no key material). */
export interface SecuritySnapshot {
  readonly activated: boolean;
  readonly sidDisabled: boolean;
  readonly bands: readonly {
    readonly configured: boolean; readonly startLba: number; readonly sectors: number;
    readonly readLock: number; readonly writeLock: number; readonly relockedRead: boolean; readonly relockedWrite: boolean;
    readonly locationMetadata: string; readonly securityMetadata: string;
    /** SHA-256 of the band's metadata store (its bytes can be up to 64 KiB) */
    readonly store: string;
    /** a fingerprint that changes when the media key or the credential changes; not the key */
    readonly keyGeneration: string;
  }[];
  readonly draws: number;
}

const DEFAULT_KEY_PREFERRED_BYTES = 32;

// ---- per-seed derivations, shared by every disk of one seed (docs/performance.md §2: creation cost) ----
//
// Everything below is a pure function of the seed (and the geometry named in the cache key): the same
// bytes as deriving it afresh, so records, snapshots and replays are unchanged. Nothing here is a secret a
// caller supplied: the seed-derived root key, default key and factory media keys are what anyone holding
// the seed can derive (band-management decision 4); caller-supplied SID/erase/PSID keys never enter a
// cache (they are verified eagerly, per disk, as before). Both caches are small and bounded (oldest out).

interface SeedConstants {
  readonly rng: SeededRandom;
  readonly wrapper: KeyWrapper;
  /** default keys by length (D4: the length depends on min/maxKeyLength) */
  readonly defaultKeys: Map<number, Uint8Array>;
  /** verifiers of the seed-derived PSID, by key length */
  readonly psids: Map<number, Verifier>;
}

interface FactoryParts {
  readonly slots: readonly Slot[];
  readonly sid: Verifier;
  readonly erase: Verifier;
  readonly draws: number;
}

const SEED_CACHE_MAX = 256;
const FACTORY_CACHE_MAX = 64;
/** factory tables of more slots than this are built per disk, not cached (bounds the cache's memory) */
const FACTORY_CACHE_MAX_SLOTS = 64;

const seedCache = new Map<string, SeedConstants>();
const factoryCache = new Map<string, FactoryParts>();

function cached<V>(cache: Map<string, V>, key: string, max: number, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit;
  }
  const v = make();
  cache.set(key, v);
  if (cache.size > max) cache.delete(cache.keys().next().value!);
  return v;
}

function seedConstants(seed: number | string): SeedConstants {
  return cached(seedCache, String(seed), SEED_CACHE_MAX, () => {
    const rng = new SeededRandom(seed);
    return { rng, wrapper: new KeyWrapper(rng), defaultKeys: new Map(), psids: new Map() };
  });
}

/** For tests: forget every cached derivation (each disk then derives afresh; results are identical). */
export function clearSecurityCaches(): void {
  seedCache.clear();
  factoryCache.clear();
}

/**
 * A factory slot whose media key is drawn on first use (an own enumerable getter, so the spreads that
 * derive new slots copy the key's value): a disk that never does I/O or commits never draws it.
 */
function factorySlot(id: number, metadataSize: number, rng: SeededRandom, keyDraw: number, credential: Verifier): Slot {
  let key: Uint8Array | undefined;
  return {
    configured: id === GLOBAL_BAND, startLba: 0, sectors: 0,
    readLock: PERSISTENT_UNLOCK, writeLock: PERSISTENT_UNLOCK,
    locationMetadata: new Uint8Array(SLOT_METADATA_BYTES), securityMetadata: new Uint8Array(SLOT_METADATA_BYTES),
    store: new Uint8Array(metadataSize),
    get mediaKey(): Uint8Array {
      return (key ??= newMediaKey(rng, keyDraw));
    },
    credential,
  };
}

/**
 * Hex of a table byte array for snapshots, memoised per array: the table is immutable (a change replaces
 * the array, never writes into it), so a band's metadata store — most of a snapshot's bytes — is encoded
 * once, not at every snapshot the fuzz oracle takes around every request.
 */
const HEX = new WeakMap<Uint8Array, string>();
function snapshotHex(b: Uint8Array): string {
  let h = HEX.get(b);
  if (h === undefined) {
    h = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
    HEX.set(b, h);
  }
  return h;
}

/**
 * A band's metadata store (bandMetadataSize bytes, up to 64 KiB) appears in snapshots as a SHA-256 digest,
 * memoised like the hex above: equally good for "did it change", without megabytes of JSON per snapshot.
 */
const DIGEST = new WeakMap<Uint8Array, string>();
function snapshotDigest(b: Uint8Array): string {
  let d = DIGEST.get(b);
  if (d === undefined) {
    d = `sha256:${createHash('sha256').update(b).digest('hex')}`;
    DIGEST.set(b, d);
  }
  return d;
}

export class SecuritySubsystem {
  readonly options: SecurityOptions;
  private readonly rng: SeededRandom;
  private readonly wrapper: KeyWrapper;
  /** the device's public default credential (like TCG MSID, D4); derived from the seed on first use */
  private defaultKeyValue: Uint8Array | undefined;
  /** the band table; undefined = the factory table, built on first use (`table`) */
  private current: Table | undefined;
  private relocked: Relocked[];
  private readonly tries: TryCounters;
  private readonly failing = new Set<number>();
  /** bumps at every table swap, so a Pending prepared against an older table cannot commit */
  private version = 0;

  private readonly keyLength: number;
  private psidVerifier: Verifier | undefined;

  constructor(options: SecurityOptions, private readonly link: SecurityLink, record: Uint8Array | null = null) {
    this.options = options;
    const c = seedConstants(options.seed);
    this.rng = c.rng;
    this.wrapper = c.wrapper;
    const len = Math.min(Math.max(DEFAULT_KEY_PREFERRED_BYTES, Math.max(1, options.minKeyLength)), Math.max(1, options.maxKeyLength));
    this.keyLength = len;
    // A caller's PSID is verified now and not kept; the seed-derived one is derived when first needed.
    if (options.psid) this.psidVerifier = SecuritySubsystem.psidOf(options.seed, options.psid);
    this.tries = new TryCounters(options.tryLimit);
    // The factory table is built on first use (`table`): creation itself derives nothing per slot.
    this.current = undefined;
    this.relocked = this.factoryRelocked();
    // Opening an existing record is a power-up (an image re-opened after a restart).
    if (record) this.powerUp(record);
  }

  /** The PSID is fixed for the device's life (it is printed on the label): its salt has its own label. */
  private static psidOf(seed: number | string, psid: Uint8Array): Verifier {
    return makeVerifier(psid, new SeededRandom(`${String(seed)}/psid`), 0);
  }

  private get defaultKey(): Uint8Array {
    if (this.defaultKeyValue === undefined) {
      const c = seedConstants(this.options.seed);
      let dk = c.defaultKeys.get(this.keyLength);
      if (dk === undefined) c.defaultKeys.set(this.keyLength, (dk = this.rng.bytes('default-key', 0, this.keyLength)));
      this.defaultKeyValue = dk;
    }
    return this.defaultKeyValue;
  }

  private get psid(): Verifier {
    if (this.psidVerifier === undefined) {
      const c = seedConstants(this.options.seed);
      let v = c.psids.get(this.keyLength);
      if (v === undefined) c.psids.set(this.keyLength, (v = SecuritySubsystem.psidOf(this.options.seed, this.rng.bytes('psid', 0, this.keyLength))));
      this.psidVerifier = v;
    }
    return this.psidVerifier;
  }

  /** The band table, the factory one built on first use. */
  private get table(): Table {
    return (this.current ??= this.factoryTable(this.options.mode === 'active'));
  }

  private set table(t: Table) {
    this.current = t;
  }

  /** `relocked` of a factory table: nothing relocked (only the global band, PERSISTENT_UNLOCK). */
  private factoryRelocked(): Relocked[] {
    return new Array<Relocked>(Math.max(1, this.options.maxBands)).fill(NOT_RELOCKED);
  }

  // ---- the public credential, for tests and the scenario runner's documentation (never secret) ----

  /** The default key's bytes (public, like MSID): supplying them explicitly authenticates too (§2.2). */
  defaultKeyBytes(): Uint8Array {
    return this.defaultKey.slice();
  }

  // ---- power and faults ----

  /**
   * Power-up (scsi-device.md §6, D10): the committed record is read again, NONPERSISTENT_UNLOCK locks
   * become locked, try counters and lockouts reset, injected band failures are disarmed.
   */
  powerUp(record: Uint8Array | null): void {
    // A record that does not parse keeps the factory table (restore), built lazily like at creation.
    this.current = record ? this.restore(record) : undefined;
    this.relocked = this.current
      ? this.current.slots.map((s) => (s.configured ? relockOnReset(s) : NOT_RELOCKED))
      : this.factoryRelocked();
    this.tries.reset();
    this.failing.clear();
    this.version++;
  }

  /** scenario-format.md `inject band-failure`: every operation on `bandId` fails until the next power-up. */
  injectBandFailure(bandId: number): void {
    this.failing.add(bandId);
  }

  // ---- step 2 and 6 ----

  hasBandManagement(): boolean {
    return this.options.mode !== 'none';
  }

  /** The current capability values (§2.2); answered even while the device is off (§3 rules, D12). */
  capabilities(): Capabilities {
    const o = this.options;
    return {
      capabilities: CAPS_BANDCROSSING_SUPPORTED
        | (this.table.activated ? CAPS_ACTIVATED : 0)
        | (this.table.sidDisabled ? CAPS_SID_SECURED : 0),
      keyProtectionMechanism: 0,
      minAuthKeyLength: o.minKeyLength,
      maxAuthKeyLength: o.maxKeyLength,
      maxBandCount: o.maxBands,
      maxSimultaneousReencryptionCount: 0,
      bandMetadataSize: o.bandMetadataSize,
    };
  }

  /**
   * D2 step 6. `activate` is true for ACTIVATE (which needs a device not yet activated), false for every
   * other IOCTL that has a step 6 (which needs an activated device). A device that is off cannot answer.
   */
  gate(activate: boolean): SecResult<void> {
    if (this.link.poweredOff()) return fail('device-error');
    if (activate) return this.table.activated ? fail('already-activated') : ok(undefined);
    return this.table.activated ? ok(undefined) : fail('not-activated');
  }

  /** D2 step 7's input: the configured bands, the global band first (selection itself is the silo's, D1). */
  bands(): BandView[] {
    const ss = BigInt(this.options.sectorSize);
    const out: BandView[] = [];
    this.table.slots.forEach((s, id) => {
      if (!s.configured) return;
      out.push(id === GLOBAL_BAND
        ? { bandId: 0, bandStart: 0n, bandSize: BigInt(this.options.sectors) * ss }
        : { bandId: id, bandStart: BigInt(s.startLba) * ss, bandSize: BigInt(s.sectors) * ss });
    });
    return out;
  }

  // ---- ACTIVATE / REVERT (D5) ----

  /** ACTIVATE after gate(true): SID authentication (step 8), then the commit (step 11). */
  activate(key: KeyArg, disableSid: boolean): SecResult<void> {
    const t = this.table;
    const auth = this.authSid(key);
    if (!auth.ok) return auth;
    const global = t.slots[GLOBAL_BAND]!;
    let draws = t.draws;
    const slots = t.slots.map((s, id) => (id === GLOBAL_BAND
      // §3.2: only the global band remains, default key, both locks PERSISTENT_UNLOCK; vdisk keeps its
      // media key so data written before activation stays readable.
      ? this.resetSlot(global, global.mediaKey, draws++, true)
      : { ...s, configured: false }));
    const next: Table = { ...t, activated: true, sidDisabled: disableSid, slots, draws };
    return this.commitTable(next, t.slots.map((_, id) => id), ['sid'], undefined);
  }

  /** REVERT after gate(false): SID or PSID authentication, then crypto-erase of everything (D5, §3.2). */
  revert(key: KeyArg, usePsid: boolean): SecResult<void> {
    const auth = usePsid ? this.authenticate('psid', this.psid, key) : this.authSid(key);
    if (!auth.ok) return auth;
    const fresh = this.factoryTable(false, this.table.draws);
    return this.commitTable(fresh, this.table.slots.map((_, id) => id), [usePsid ? 'psid' : 'sid'], () => this.table.slots.map(() => NOT_RELOCKED));
  }

  // ---- ENUMERATE (§3.3) ----

  /** Reads the entries of `ids` (already selected by the silo); a failing band in them → device-error. */
  entries(ids: readonly number[]): SecResult<BandEntry[]> {
    if (this.link.poweredOff()) return fail('device-error');
    const views = new Map(this.bands().map((v) => [v.bandId, v]));
    const out: BandEntry[] = [];
    for (const id of ids) {
      const v = views.get(id);
      if (v === undefined) return fail('not-found', id);
      if (this.failing.has(id)) return fail('device-error', id);
      const s = this.table.slots[id]!;
      out.push({ ...v, ...reportedLocks(s, this.relocked[id]!), locationMetadata: s.locationMetadata.slice(), securityMetadata: s.securityMetadata.slice() });
    }
    return ok(out);
  }

  // ---- CREATE_BAND (§3.4, D6) ----

  prepareCreate(loc: LocationArg, sec: SecurityArg | undefined, key: KeyArg): SecResult<Pending<BandOutcome>> {
    const t = this.table;
    const o = this.options;
    // step 9, in D2's order: overlap, table full, geometry.
    if (overlapsAnyBand(t, o.sectorSize, loc.bandStart, loc.bandSize, -1)) return fail('conflict');
    const id = freeSlot(t);
    if (id === undefined) return fail('table-full');
    if (!validGeometry(loc.bandStart, loc.bandSize, o.sectorSize, o.sectors)) return fail('invalid');
    const prev = t.slots[id]!;
    const ss = BigInt(o.sectorSize);
    const slot: Slot = {
      configured: true,
      startLba: Number(loc.bandStart / ss),
      sectors: Number(loc.bandSize / ss),
      readLock: sec?.readLock ?? PERSISTENT_UNLOCK,
      writeLock: sec?.writeLock ?? PERSISTENT_UNLOCK,
      locationMetadata: loc.metadata.slice(0, SLOT_METADATA_BYTES),
      securityMetadata: sec ? sec.metadata.slice(0, SLOT_METADATA_BYTES) : new Uint8Array(SLOT_METADATA_BYTES),
      store: new Uint8Array(o.bandMetadataSize),
      mediaKey: prev.mediaKey, // §3.4: the slot's retained media key (D11: data returns on re-create)
      credential: makeVerifier(this.keyOf(key), this.rng, t.draws),
    };
    const next: Table = { ...withSlot(t, id, slot), draws: t.draws + 1 };
    return this.pending(next, [id], [], (n) => this.outcome(n, id), () => this.relockedWith(id, NOT_RELOCKED));
  }

  // ---- SET_BAND_LOCATION (§3.5) ----

  prepareSetLocation(bandId: number, key: KeyArg, loc: LocationArg): SecResult<Pending<BandOutcome>> {
    const t = this.table;
    const o = this.options;
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    const auth = this.authenticate(`band:${bandId}`, cred.value, key, bandId); // step 8
    if (!auth.ok) return auth;
    const s = t.slots[bandId]!;
    const metadata = loc.metadata.slice(0, SLOT_METADATA_BYTES);
    if (bandId === GLOBAL_BAND) {
      // step 9 "in this order": overlap with a configured band first (band-management.md §3: "Overlap
      // compares against configured non-global bands other than the one being moved" — all of them here),
      // then the global band's only location, BandStart 0, BandSize −1 (a metadata change, §3.5).
      if (overlapsAnyBand(t, o.sectorSize, loc.bandStart, loc.bandSize, bandId)) return fail('conflict');
      if (loc.bandStart !== 0n || loc.bandSize !== -1n) return fail('invalid');
      const next = withSlot(t, bandId, { ...s, locationMetadata: metadata });
      return this.pending(next, [bandId], [`band:${bandId}`], (n) => this.outcome(n, bandId), undefined);
    }
    // step 9: overlap against the other configured bands, then geometry.
    if (overlapsAnyBand(t, o.sectorSize, loc.bandStart, loc.bandSize, bandId)) return fail('conflict');
    if (!validGeometry(loc.bandStart, loc.bandSize, o.sectorSize, o.sectors)) return fail('invalid');
    const ss = BigInt(o.sectorSize);
    const next = withSlot(t, bandId, {
      ...s, startLba: Number(loc.bandStart / ss), sectors: Number(loc.bandSize / ss), locationMetadata: metadata,
    });
    return this.pending(next, [bandId], [`band:${bandId}`], (n) => this.outcome(n, bandId), undefined);
  }

  // ---- SET_BAND_SECURITY (§3.6, D4, D10) ----

  /**
   * `newKey`: undefined = no key change (NewAuthKeyOffset 0 or equal to the current one); a KeyArg (empty =
   * back to the default key, D4). `sec`: undefined = locks and metadata unchanged.
   */
  prepareSetSecurity(
    bandId: number, currentKey: KeyArg, newKey: { readonly key: KeyArg } | undefined, sec: SecurityArg | undefined,
  ): SecResult<Pending<BandOutcome & { readonly keyChanged: boolean }>> {
    const t = this.table;
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    const auth = this.authenticate(`band:${bandId}`, cred.value, currentKey, bandId); // step 8
    if (!auth.ok) return auth;
    const s = t.slots[bandId]!;
    let slot: Slot = s;
    let draws = t.draws;
    if (newKey) slot = { ...slot, credential: makeVerifier(this.keyOf(newKey.key), this.rng, draws++) };
    if (sec) slot = { ...slot, readLock: sec.readLock, writeLock: sec.writeLock, securityMetadata: sec.metadata.slice(0, SLOT_METADATA_BYTES) };
    // Nothing to change (D10 "notify"): the same table object, so the commit step writes nothing.
    const next: Table = newKey || sec ? { ...withSlot(t, bandId, slot), draws } : t;
    // An explicit lock state replaces whatever a power cycle had relocked; without one the locks stay.
    const relock = sec ? () => this.relockedWith(bandId, NOT_RELOCKED) : undefined;
    return this.pending(next, [bandId], [`band:${bandId}`],
      (n, r) => ({ ...this.outcome(n, bandId, r), keyChanged: newKey !== undefined }), relock);
  }

  // ---- GET/SET_BAND_METADATA (§3.7) ----

  /** GET: reads `size` bytes at `offset` of the band's store (range already checked by the silo, step 10). */
  readMetadata(bandId: number, offset: number, size: number): SecResult<Uint8Array> {
    if (this.link.poweredOff()) return fail('device-error');
    const s = this.table.slots[bandId];
    if (!s || !s.configured) return fail('not-found', bandId);
    if (this.failing.has(bandId)) return fail('device-error', bandId);
    if (!(offset >= 0 && size >= 0 && offset + size <= s.store.length)) return fail('invalid');
    return ok(s.store.slice(offset, offset + size));
  }

  prepareSetMetadata(bandId: number, key: KeyArg, offset: number, data: Uint8Array): SecResult<Pending<BandOutcome>> {
    const t = this.table;
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    const auth = this.authenticate(`band:${bandId}`, cred.value, key, bandId); // step 8
    if (!auth.ok) return auth;
    const s = t.slots[bandId]!;
    // step 10 (checked by the silo first; repeated here so the device never writes outside the store)
    if (!(offset >= 0 && offset + data.length <= s.store.length)) return fail('invalid');
    const store = s.store.slice();
    store.set(data, offset);
    const next = withSlot(t, bandId, { ...s, store });
    return this.pending(next, [bandId], [`band:${bandId}`], (n) => this.outcome(n, bandId), undefined);
  }

  // ---- DELETE_BAND (§3.8, D11) ----

  prepareDelete(bandId: number, key: KeyArg, eraseFirst: boolean): SecResult<Pending<BandOutcome>> {
    const t = this.table;
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    // step 8: the band's key, or — with DELBAND_ERASE_BEFORE_DELETE — the erase credential presented with
    // the default key, as ERASE_BAND does (D11, D7).
    const credId: CredentialId = eraseFirst ? 'erase' : `band:${bandId}`;
    const auth = eraseFirst
      ? this.authenticate('erase', t.erase, undefined, bandId)
      : this.authenticate(credId, cred.value, key, bandId);
    if (!auth.ok) return auth;
    // step 9: the global band cannot be deleted; a write-locked band cannot be deleted (D11).
    if (bandId === GLOBAL_BAND) return fail('invalid');
    if (writeLocked(t.slots[bandId]!, this.relocked[bandId]!)) return fail('write-locked');
    const s = t.slots[bandId]!;
    const mediaKey = eraseFirst ? newMediaKey(this.rng, t.draws) : s.mediaKey;
    const slot = { ...this.resetSlot(s, mediaKey, t.draws + 1, false), configured: false, startLba: 0, sectors: 0 };
    const next: Table = { ...withSlot(t, bandId, slot), draws: t.draws + 2 };
    return this.pending(next, [bandId], [credId], () => ({ bandId, lockedForReadAndWrite: false }),
      () => this.relockedWith(bandId, NOT_RELOCKED));
  }

  // ---- ERASE_BAND / ERASE_ALL_BANDS (§3.8, D7, D8) ----

  prepareErase(bandId: number, newKey: KeyArg): SecResult<Pending<BandOutcome>> {
    const t = this.table;
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    // step 8: the erase credential with the default key (D7); the band's own key plays no part.
    const auth = this.authenticate('erase', t.erase, undefined, bandId);
    if (!auth.ok) return auth;
    const s = t.slots[bandId]!;
    const slot: Slot = {
      ...this.resetSlot(s, newMediaKey(this.rng, t.draws), t.draws + 1, bandId === GLOBAL_BAND),
      credential: makeVerifier(this.keyOf(newKey), this.rng, t.draws + 1),
    };
    const next: Table = { ...withSlot(t, bandId, slot), draws: t.draws + 2 };
    return this.pending(next, [bandId], ['erase'], (n) => this.outcome(n, bandId), () => this.relockedWith(bandId, NOT_RELOCKED));
  }

  /**
   * ERASE_ALL_BANDS after gate(false) (D8): every configured non-global band in ascending id, each its own
   * authentication and atomic commit; a failure does not stop the rest. Results in band order.
   */
  eraseAll(): { readonly bandId: number; readonly result: SecResult<BandOutcome> }[] {
    const ids = this.table.slots.map((s, id) => (s.configured && id !== GLOBAL_BAND ? id : -1)).filter((id) => id > 0);
    return ids.map((bandId) => {
      if (this.link.poweredOff()) return { bandId, result: fail('device-error', bandId) };
      const p = this.prepareErase(bandId, undefined);
      return { bandId, result: p.ok ? p.value.commit() : p };
    });
  }

  // ---- D10: the host's re-unlock after a power cycle ----

  /** Bands whose NONPERSISTENT_UNLOCK locks a power cycle turned into locked. */
  relockedBands(): number[] {
    return this.relocked.map((r, id) => (r.read || r.write ? id : -1)).filter((id) => id >= 0);
  }

  /**
   * Authenticates `key` against the band (a stale key fails and counts, D3) and on success restores the
   * NONPERSISTENT_UNLOCK states the power cycle relocked. Lock states are unchanged in the record (they
   * were NONPERSISTENT_UNLOCK all along), so nothing is committed.
   */
  reunlock(bandId: number, key: Uint8Array): SecResult<void> {
    if (this.link.poweredOff()) return fail('device-error');
    const cred = this.bandCredential(bandId);
    if (!cred.ok) return cred;
    const r = this.relocked[bandId]!;
    if (!r.read && !r.write) return ok(undefined);
    const auth = this.authenticate(`band:${bandId}`, cred.value, key, bandId);
    if (!auth.ok) return auth;
    this.tries.succeeded(`band:${bandId}`);
    this.relocked = this.relockedWith(bandId, NOT_RELOCKED);
    return ok(undefined);
  }

  // ---- views for I/O and the oracle ----

  ioView(): IoView {
    return { mode: this.options.mode, table: this.table, relocked: this.relocked };
  }

  /** ioView().table without building the view (per I/O request). */
  ioTable(): Table {
    return this.table;
  }

  /** Bands of [lba, lba+count) that refuse the access (D9); empty = allowed. */
  lockedBandsIn(lba: number, count: number, write: boolean): number[] {
    if (this.options.mode === 'none' || count <= 0) return [];
    return bandsTouched(this.table, lba, count).filter((id) => {
      const s = this.table.slots[id]!;
      return write ? writeLocked(s, this.relocked[id]!) : readLocked(s, this.relocked[id]!);
    });
  }

  /** lockedBandsIn(...).length > 0 without building the lists (the per-request I/O check, D9). */
  anyBandLockedIn(lba: number, count: number, write: boolean): boolean {
    if (this.options.mode === 'none' || count <= 0) return false;
    const t = this.table;
    const end = lba + count;
    let covered = 0;
    for (let id = 1; id < t.slots.length; id++) {
      const s = t.slots[id]!;
      if (!s.configured) continue;
      const a = Math.max(lba, s.startLba);
      const b = Math.min(end, s.startLba + s.sectors);
      if (a < b) {
        covered += b - a;
        if (write ? writeLocked(s, this.relocked[id]!) : readLocked(s, this.relocked[id]!)) return true;
      }
    }
    // the global band is touched unless the configured bands cover the whole range (bandsTouched)
    const g = t.slots[GLOBAL_BAND]!;
    return covered < count && (write ? writeLocked(g, this.relocked[GLOBAL_BAND]!) : readLocked(g, this.relocked[GLOBAL_BAND]!));
  }

  tryCount(id: CredentialId): number {
    return this.tries.count(id);
  }

  snapshot(): SecuritySnapshot {
    const hex = snapshotHex;
    return {
      activated: this.table.activated,
      sidDisabled: this.table.sidDisabled,
      draws: this.table.draws,
      bands: this.table.slots.map((s, id) => ({
        configured: s.configured, startLba: s.startLba, sectors: s.sectors,
        readLock: s.readLock, writeLock: s.writeLock,
        relockedRead: this.relocked[id]!.read, relockedWrite: this.relocked[id]!.write,
        locationMetadata: hex(s.locationMetadata), securityMetadata: hex(s.securityMetadata), store: snapshotDigest(s.store),
        // The verifier's salt changes with every new credential and the wrapped key's first bytes with
        // every new media key; neither reveals a key.
        keyGeneration: `${hex(s.credential.salt)}/${hex(this.wrapper.wrap(s.mediaKey).subarray(0, 8))}`,
      })),
    };
  }

  /** The committed form of the current table (for tests and VirtualDisk's first commit). */
  record(): Uint8Array {
    return serialiseTable(this.table, this.options.bandMetadataSize, this.wrapper);
  }

  // ---- internals ----

  private keyOf(key: KeyArg): Uint8Array {
    return key === undefined || key.length === 0 ? this.defaultKey : key;
  }

  private authSid(key: KeyArg): SecResult<void> {
    // §3.2: with the SID authority disabled every SID authentication fails, and it is not counted.
    if (this.table.sidDisabled) return fail('auth-failed');
    return this.authenticate('sid', this.table.sid, key);
  }

  /**
   * D2 step 8. A band-failure fault on the band answers first: the request never reaches the credential,
   * so nothing is counted (§3 rules). Otherwise one counted attempt (D3).
   */
  private authenticate(id: CredentialId, v: Verifier, key: KeyArg, band?: number): SecResult<void> {
    if (this.link.poweredOff()) return fail('device-error');
    if (band !== undefined && this.failing.has(band)) return fail('device-error', band);
    const r = this.tries.attempt(id, v, this.keyOf(key));
    return r === 'ok' ? ok(undefined) : fail('auth-failed', band);
  }

  private bandCredential(bandId: number): SecResult<Verifier> {
    if (this.link.poweredOff()) return fail('device-error');
    const s = this.table.slots[bandId];
    if (!s || !s.configured) return fail('not-found', bandId);
    return ok(s.credential);
  }

  /** A slot after an erase (or activation): default key, PERSISTENT_UNLOCK, metadata zeroed (§3.8). */
  private resetSlot(s: Slot, mediaKey: Uint8Array, draw: number, configured: boolean): Slot {
    return {
      ...s,
      configured: configured || s.configured,
      readLock: PERSISTENT_UNLOCK,
      writeLock: PERSISTENT_UNLOCK,
      locationMetadata: new Uint8Array(SLOT_METADATA_BYTES),
      securityMetadata: new Uint8Array(SLOT_METADATA_BYTES),
      store: new Uint8Array(this.options.bandMetadataSize),
      mediaKey,
      credential: makeVerifier(this.defaultKey, this.rng, draw),
    };
  }

  /** The factory state (creation, REVERT §3.2): new media keys, default credentials, global band only. */
  /**
   * The factory state (creation, REVERT §3.2): new media keys, default credentials, global band only.
   * Draw order per slot: media key, then credential salt; then the SID's and the erase credential's salts.
   * The parts that derive from the seed alone are shared through `factoryCache` (immutable values: tables
   * are replaced, never mutated) and are themselves deferred: a media key or default-key verifier is
   * derived the first time something reads it.
   */
  private factoryTable(activated: boolean, firstDraw = 0): Table {
    const o = this.options;
    const n = Math.max(1, o.maxBands);
    const build = (): FactoryParts => {
      let draws = firstDraw;
      const slots: Slot[] = [];
      for (let id = 0; id < n; id++) {
        const keyDraw = draws++;
        slots.push(factorySlot(id, o.bandMetadataSize, this.rng, keyDraw, publicKeyVerifier(this.defaultKey, this.rng, draws++)));
      }
      const sid = publicKeyVerifier(this.defaultKey, this.rng, draws++);
      const erase = publicKeyVerifier(this.defaultKey, this.rng, draws++);
      return { slots, sid, erase, draws };
    };
    const parts = n <= FACTORY_CACHE_MAX_SLOTS
      ? cached(factoryCache, JSON.stringify([String(o.seed), this.keyLength, n, o.bandMetadataSize, firstDraw]), FACTORY_CACHE_MAX, build)
      : build();
    // A revert returns the credentials to factory state too (§3.2): SID and erase = the default key. A
    // caller's SID/erase key (creation only) is verified now, per disk, at the same draws.
    const factory = firstDraw === 0;
    const sid = factory && o.sidKey ? makeVerifier(o.sidKey, this.rng, parts.draws - 2) : parts.sid;
    const erase = factory && o.eraseKey ? makeVerifier(o.eraseKey, this.rng, parts.draws - 1) : parts.erase;
    return { activated, sidDisabled: false, sid, erase, draws: parts.draws, slots: parts.slots };
  }

  /**
   * The table of a committed record, or undefined: a record that does not parse belongs to another
   * configuration; keeping the factory table is what a drive does with an unreadable Locking table after
   * a reformat. The store's checksum already rejected torn records, so this is not the power-loss path.
   */
  private restore(record: Uint8Array): Table | undefined {
    return parseTable(record, Math.max(1, this.options.maxBands), this.options.bandMetadataSize, this.wrapper);
  }

  private relockedWith(bandId: number, r: Relocked): Relocked[] {
    const out = this.relocked.slice();
    out[bandId] = r;
    return out;
  }

  private outcome(t: Table, bandId: number, relocked: readonly Relocked[] = this.relocked): BandOutcome {
    const s = t.slots[bandId]!;
    const r = relocked[bandId] ?? NOT_RELOCKED;
    return { bandId, lockedForReadAndWrite: readLocked(s, r) && writeLocked(s, r) };
  }

  private pending<T>(
    next: Table, touched: readonly number[], creds: readonly CredentialId[],
    info: (next: Table, relocked: readonly Relocked[]) => T, relock: (() => Relocked[]) | undefined,
  ): SecResult<Pending<T>> {
    const version = this.version;
    const relocked = relock ? relock() : this.relocked;
    const value = info(next, relocked);
    return ok({
      info: value,
      commit: (): SecResult<T> => {
        if (version !== this.version) return fail('device-error'); // prepared against an older table
        const r = this.commitTable(next, touched, creds, () => relocked);
        return r.ok ? ok(value) : r;
      },
    });
  }

  /** D2 step 11: one record, committed atomically; memory changes only after the store said ok. */
  private commitTable(next: Table, touched: readonly number[], creds: readonly CredentialId[], relock: (() => Relocked[]) | undefined): SecResult<void> {
    if (this.link.poweredOff()) return fail('device-error');
    for (const id of touched) if (this.failing.has(id)) return fail('device-error', id);
    // A request that changes no table state (the "notify" case of SET_BAND_SECURITY, D10) writes nothing.
    if (next !== this.table) {
      const r = this.link.commit(serialiseTable(next, this.options.bandMetadataSize, this.wrapper));
      if (!r.ok) return fail('device-error');
    }
    const relocked = relock ? relock() : this.relocked;
    this.table = next;
    this.relocked = relocked;
    for (const c of creds) this.tries.succeeded(c);
    this.version++;
    return ok(undefined);
  }
}
