// The virtual disk: owns the store, the medium, the logical unit, the unit-attention queues, the SCSI-2
// and persistent reservation state, the band-management subsystem and the metadata registry; powers the
// device up, cycles it, and injects faults (scenario-format.md `inject`). The host (src/dispatch) talks
// to it only through `execute` (SCSI) and the `security` subsystem.
//
// Two ways to make one: `VirtualDisk.create(options)` returns `{ok, disk}` or `{ok:false, error}` (the
// library and scenario runner use this); `new VirtualDisk(options)` throws, and only on invalid options
// or a store that cannot be created — for tests and trusted callers.

import { CountingStore } from './counting-store';
import { resolveDiskOptions, type DiskOptionError, type DiskOptions, type ResolvedDiskOptions } from './disk-options';
import { LogicalUnit } from './logical-unit';
import { Media, type MediaSnapshot } from './media';
import { MetadataRegistry } from './metadata';
import {
  NoPersistentReservations, type PersistentReservationEngine, type PersistentReservationEngineFactory,
} from './reservations/engine';
import { createPersistentReservations } from './reservations/persistent';
import { Scsi2Reservation } from './reservations/scsi2';
import type { Initiator, ScsiCommand, ScsiResult } from './scsi';
import { PlainSectorAccess, type SectorAccess } from './sector-access';
import { EncryptedSectorAccess } from './security/encrypted-sector-access';
import { SecuritySubsystem, type SecuritySnapshot } from './security/security-subsystem';
import { createMemoryStore, type BlockStore, type OpenError, type StoreResult } from './store';
import { UnitAttentions, type UnitAttentionsSnapshot } from './unit-attentions';

/** The persistent-reservation engine a disk gets unless the `persistentReservationEngine` option says otherwise. */
export const DEFAULT_PERSISTENT_RESERVATION_ENGINE: PersistentReservationEngineFactory = createPersistentReservations;

/** Every piece of device state, deep-copied and JSON-comparable (no bigint, no typed arrays). */
export interface DeviceSnapshot {
  readonly off: boolean;
  readonly medium: MediaSnapshot;
  readonly scsi2Holder: Initiator | null;
  readonly unitAttentions: UnitAttentionsSnapshot;
  readonly persistentReservations: unknown;
  readonly security: SecuritySnapshot;
  /** band ids with an injected band failure armed since the last power-up */
  readonly bandFailures: readonly number[];
  /** stand-in for a digest of the store: sector writes that reached it, and the committed metadata generation */
  readonly store: { readonly sectorWrites: number; readonly metadataGeneration: number };
}

export type VirtualDiskError =
  | DiskOptionError
  | { readonly code: 'store'; readonly option: 'store'; readonly message: string; readonly cause: OpenError };

export type CreateResult = { readonly ok: true; readonly disk: VirtualDisk } | { readonly ok: false; readonly error: VirtualDiskError };

/** What `prepare` hands the constructor: resolved options and an open store. */
export interface PreparedDisk {
  readonly options: ResolvedDiskOptions;
  readonly store: BlockStore;
}

export type PrepareResult = { readonly ok: true; readonly value: PreparedDisk } | { readonly ok: false; readonly error: VirtualDiskError };

export type PowerResult = { readonly ok: true; readonly warnings: readonly string[] } | { readonly ok: false; readonly message: string };

const SECTION_PR = 'pr';
const SECTION_SECURITY = 'security';
const SECTION_MEDIUM = 'medium';

export class VirtualDisk {
  readonly options: ResolvedDiskOptions;
  readonly store: CountingStore;
  readonly media: Media;
  readonly unitAttentions = new UnitAttentions();
  readonly scsi2 = new Scsi2Reservation();
  readonly persistent: PersistentReservationEngine;
  readonly security: SecuritySubsystem;
  readonly sectorAccess: SectorAccess;
  readonly metadata = new MetadataRegistry();
  readonly lu: LogicalUnit;
  /** the security section as last committed (or being committed): the band table's record */
  private securityRecord: Uint8Array | undefined;
  private bandFailures: number[] = [];

  /** Validates the options and opens the store: everything `new VirtualDisk` needs, or an error value. */
  static prepare(options: DiskOptions = {}): PrepareResult {
    const resolved = resolveDiskOptions(options);
    if (!resolved.ok) return resolved;
    let store = resolved.value.store;
    if (store === undefined) {
      const made = createMemoryStore({ sectorSize: resolved.value.sectorSize, sectors: resolved.value.sectors });
      if (!made.ok) return { ok: false, error: { code: 'store', option: 'store', message: made.error.message, cause: made.error } };
      store = made.store;
    }
    return { ok: true, value: { options: resolved.value, store } };
  }

  static create(options: DiskOptions = {}): CreateResult {
    const prepared = VirtualDisk.prepare(options);
    return prepared.ok ? { ok: true, disk: new VirtualDisk(options, prepared.value) } : prepared;
  }

  /** Throws only when the options are invalid or the store cannot be created (use `create` for a value). */
  constructor(options: DiskOptions = {}, prepared?: PreparedDisk) {
    let p = prepared;
    if (p === undefined) {
      const r = VirtualDisk.prepare(options);
      if (!r.ok) throw new Error(r.error.message);
      p = r.value;
    }
    const o = p.options;
    const store = p.store;
    this.options = o;
    this.store = new CountingStore(store);
    this.media = new Media(o.removable, o.medium === 'present');
    this.persistent = o.persistentReservations
      ? (o.persistentReservationEngine ?? DEFAULT_PERSISTENT_RESERVATION_ENGINE)({ unitAttentions: this.unitAttentions })
      : new NoPersistentReservations();

    const committed = this.committedSections();
    this.securityRecord = committed.get(SECTION_SECURITY);
    this.security = new SecuritySubsystem(
      {
        mode: o.security, sectorSize: o.sectorSize, sectors: o.sectors, maxBands: o.maxBands,
        minKeyLength: o.minKeyLength, maxKeyLength: o.maxKeyLength, bandMetadataSize: o.bandMetadataSize,
        tryLimit: o.tryLimit, seed: o.seed,
        ...(o.eraseKey ? { eraseKey: o.eraseKey } : {}), ...(o.psid ? { psid: o.psid } : {}), ...(o.sidKey ? { sidKey: o.sidKey } : {}),
      },
      {
        poweredOff: () => this.store.poweredOff,
        commit: (record) => this.commitSecurity(record),
      },
      this.securityRecord ?? null,
    );
    // security "none" stores plaintext; "inactive" and "active" encrypt (band-management.md §2.2)
    this.sectorAccess = o.security === 'none' ? new PlainSectorAccess(this.store) : new EncryptedSectorAccess(this.store, this.security);

    this.metadata.register(SECTION_PR, {
      serialize: () => this.persistent.serialize(),
      restore: (bytes) => this.persistent.restore(bytes),
    });
    this.metadata.register(SECTION_SECURITY, {
      serialize: () => this.securityRecord,
      restore: (bytes) => {
        this.securityRecord = bytes;
        this.security.powerUp(bytes ?? null);
        return true;
      },
    });
    this.metadata.register(SECTION_MEDIUM, {
      serialize: () => Uint8Array.of(this.media.present ? 1 : 0),
      restore: (bytes) => {
        if (bytes === undefined) return true;
        if (bytes.length !== 1 || bytes[0]! > 1) return false;
        this.media.restorePresence(bytes[0] === 1);
        return true;
      },
    });

    this.lu = new LogicalUnit({
      sectorSize: o.sectorSize,
      sectors: o.sectors,
      media: this.media,
      unitAttentions: this.unitAttentions,
      scsi2: this.scsi2,
      persistentReservations: o.persistentReservations,
      persistent: this.persistent,
      sectorAccess: this.sectorAccess,
      store: this.store,
      commitMetadata: () => this.commitMetadata(),
    });

    // Creation from an existing store restores what it committed (the medium only when the options do
    // not name it); then the device is as after a power-up whose unit attentions the host consumed
    // (io-manager.md §6).
    if (!o.mediumGiven) this.media.restorePresence(decodeMedium(committed.get(SECTION_MEDIUM)) ?? this.media.present);
    this.persistent.restore(committed.get(SECTION_PR));
    this.persistent.powerOn();
    this.unitAttentions.clearAll();
  }

  /** One SCSI command from one initiator (scsi-device.md §2); `{kind:'timeout'}` while the device is off. */
  execute(initiator: Initiator, command: ScsiCommand): ScsiResult {
    return this.lu.execute(initiator, command);
  }

  /** true from an injected power loss until the next power cycle or reboot (§6). */
  get isOff(): boolean {
    return this.store.poweredOff;
  }

  /** `power-cycle` (scsi-device.md §6): a power-on reset; every initiator then has 29h/00h pending. */
  powerCycle(): PowerResult {
    return this.powerUp({ consumeUnitAttentions: false });
  }

  /**
   * Power-on reset (scsi-device.md §6). With `consumeUnitAttentions` (the device half of `reboot`, and
   * creation) the host's start-up has consumed the 29h/00h conditions, so none is pending afterwards
   * (io-manager.md §6). Clears the SCSI-2 reservation, every prevention, non-APTPL PR state (PRgeneration
   * 0), the band table's volatile state and armed faults; keeps the medium's presence, the sectors and
   * everything committed — restored from the store, so a commit a power loss interrupted is not seen.
   */
  powerUp(opts: { readonly consumeUnitAttentions: boolean }): PowerResult {
    const r = this.store.powerOn(); // disarms an unfired power loss, re-reads the committed record
    if (!r.ok) return { ok: false, message: r.message };
    const warnings = [...r.warnings];
    this.scsi2.powerOn();
    this.media.powerOn();
    const committed = this.committedSections(warnings);
    this.persistent.restore(committed.get(SECTION_PR));
    this.persistent.powerOn();
    this.securityRecord = committed.get(SECTION_SECURITY);
    this.security.powerUp(this.securityRecord ?? null); // also disarms band failures (D10)
    this.bandFailures = [];
    if (opts.consumeUnitAttentions) this.unitAttentions.clearAll();
    else this.unitAttentions.powerOn();
    return { ok: true, warnings };
  }

  /** `inject power-loss afterWrites n`: n more write steps reach the store, the next one loses power. */
  injectPowerLoss(afterWrites: number): StoreResult {
    return this.store.armPowerLoss(afterWrites);
  }

  /** `inject band-failure band n`: the security subsystem fails every operation on the band until power-up. */
  injectBandFailure(bandId: number): void {
    this.security.injectBandFailure(bandId);
    if (!this.bandFailures.includes(bandId)) this.bandFailures = [...this.bandFailures, bandId].sort((a, b) => a - b);
  }

  /** Serialises every metadata section into one record and commits it atomically through the store. */
  commitMetadata(): StoreResult {
    return this.metadata.commit(this.store);
  }

  snapshot(): DeviceSnapshot {
    return {
      off: this.store.poweredOff,
      medium: this.media.snapshot(),
      scsi2Holder: this.scsi2.holder ?? null,
      unitAttentions: this.unitAttentions.snapshot(),
      persistentReservations: this.persistent.snapshot(),
      security: this.security.snapshot(),
      bandFailures: [...this.bandFailures],
      store: { sectorWrites: this.store.sectorWrites, metadataGeneration: this.store.metadataGeneration },
    };
  }

  /** SecurityLink.commit: the whole record with the new security section, all-or-nothing. */
  private commitSecurity(record: Uint8Array): { readonly ok: boolean } {
    const previous = this.securityRecord;
    this.securityRecord = record;
    const r = this.commitMetadata();
    if (!r.ok) this.securityRecord = previous;
    return { ok: r.ok };
  }

  private committedSections(warnings?: string[]): ReadonlyMap<string, Uint8Array> {
    const record = this.store.loadMetadata();
    if (record === null) return new Map();
    const decoded = MetadataRegistry.decode(record);
    if (decoded.ok) return decoded.sections;
    warnings?.push(`committed metadata ignored: ${decoded.error}`);
    return new Map();
  }
}

function decodeMedium(bytes: Uint8Array | undefined): boolean | undefined {
  return bytes !== undefined && bytes.length === 1 && bytes[0]! <= 1 ? bytes[0] === 1 : undefined;
}
