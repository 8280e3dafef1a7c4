// SPC-4 persistent reservations on vdisk's logical unit: persistent-reservations.md, section by section.
//
// Implements `PersistentReservationEngine` (engine.ts): the LU owns the order of checks, the SCSI-2
// reservation (§4.1 check 1), the unit-attention queues and the metadata commit (it asks `needsCommit()`
// after a GOOD PR OUT and stores `serialize()`; after a power loss it calls `restore` then `powerOn`).
//
// Shape of the engine (STYLE.md "validate everything, then act"): every PR OUT is first turned into a
// Plan by pure functions that read the state and return either a failure outcome or the complete change
// (registrations to drop and to upsert, the new reservation, generation, APTPL, unit attentions). Only a
// finished plan is applied, and applying cannot fail. The registrations are NOT copied per command: that
// would make every PR OUT O(n) in the number of registrations, which the read/write path and clusters
// with thousands of nexuses cannot afford; applying is a short, non-failing run of Map operations, and
// the scalar part (reservation, generation, APTPL) is committed in one assignment.
//
// Data structures (all O(1) per lookup):
//   registrations  LinkedMap<initiator, record> (linked-map.ts: a Map that stays O(1) under register/unregister
//                  churn) — it iterates in insertion order, which is exactly §9.1's
//                  list order: a key change (`set` on an existing entry) keeps the place, an unregister
//                  (`delete`) followed by a new registration appends at the end.
//   byKey          LinkedMap<key, LinkedMap<initiator, true>> — PREEMPT's "registrations with key SARK" in O(k), not O(n).
//   fullStatusLength  Σ descriptor sizes, so READ FULL STATUS's ADDITIONAL LENGTH is O(1).

import type { CommandOutcome, Initiator, SenseTriple } from '../scsi';
import { layouts } from '../../codecs/layouts';
import { CDB_FIELDS } from '../cdb-fields';
import { SENSE } from '../sense-codes';
import type { UnitAttentions } from '../unit-attentions';
import type {
  CrhDecision, PersistentReservationContext, PersistentReservationEngine, PersistentReservationEngineFactory,
} from './engine';
import {
  buildReadFullStatus, buildReadKeys, buildReadReservation, buildReportCapabilities, isAllRegistrantsType,
  PR_IN_FULL_STATUS_DESCRIPTOR_SIZE, RELATIVE_TARGET_PORT_ID,
  type PrInStateView, type RegistrationRecord, type ReservationRecord,
} from './pr-in-data';
import { decodeTransportId, transportIdLength } from './transport-id';
import { LinkedMap } from './linked-map';
import {
  SCSIOP_INQUIRY, SCSIOP_MEDIUM_REMOVAL, SCSIOP_PERSISTENT_RESERVE_IN, SCSIOP_PERSISTENT_RESERVE_OUT, SCSIOP_READ, SCSIOP_READ16, SCSIOP_READ_CAPACITY, SCSIOP_RELEASE_UNIT, SCSIOP_RELEASE_UNIT10, SCSIOP_RESERVE_UNIT, SCSIOP_RESERVE_UNIT10, SCSIOP_SERVICE_ACTION_IN16, SCSIOP_START_STOP_UNIT, SCSIOP_TEST_UNIT_READY, SCSIOP_WRITE, SCSIOP_WRITE16,
} from '../../codecs/scsi/cdb';

export type { RegistrationRecord, ReservationRecord } from './pr-in-data';

// ---- codes (scsi-device.md §7), from the device's sense table (itself an adapter for codecs/scsi/sense.ts) ----

const {
  PARAMETER_LIST_LENGTH_ERROR, INVALID_FIELD_IN_CDB, INVALID_FIELD_IN_PARAMETER_LIST,
  INVALID_RELEASE_OF_PERSISTENT_RESERVATION,
} = SENSE;

/** Unit attention ASC/ASCQ of §7 (ASC 2Ah). */
export const ASC_RESERVATIONS = 0x2a;
export const ASCQ_RESERVATIONS_PREEMPTED = 0x03;
export const ASCQ_RESERVATIONS_RELEASED = 0x04;
export const ASCQ_REGISTRATIONS_PREEMPTED = 0x05;

// The opcodes the conflict table (§5) names are the codec's SCSIOP_* constants (src/codecs/scsi/cdb.ts).

/** PR OUT service actions (§1). */
export const PR_OUT = {
  REGISTER: 0,
  RESERVE: 1,
  RELEASE: 2,
  CLEAR: 3,
  PREEMPT: 4,
  PREEMPT_AND_ABORT: 5,
  REGISTER_AND_IGNORE_EXISTING_KEY: 6,
  REGISTER_AND_MOVE: 7,
  REPLACE_LOST_RESERVATION: 8,
} as const;

/** PR IN service actions (§1). */
export const PR_IN = { READ_KEYS: 0, READ_RESERVATION: 1, REPORT_CAPABILITIES: 2, READ_FULL_STATUS: 3 } as const;

/** Reservation types (§1); 0, 2, 4 and > 8 are invalid. */
export const PR_TYPE = { WE: 1, EA: 3, WE_RO: 5, EA_RO: 6, WE_AR: 7, EA_AR: 8 } as const;

export function isValidType(type: number): boolean {
  return type === 1 || type === 3 || (type >= 5 && type <= 8);
}

const PR_OUT_PARAMETER_LIST_SIZE = 24;

/** Deep, JSON-comparable copy of the state (tests, the fuzz oracle's "unchanged on error"). */
export interface PrSnapshot {
  readonly generation: number;
  readonly aptpl: boolean;
  /** in list order; keys as 16 hex digits */
  readonly registrations: readonly { initiator: Initiator; key: string; allTgPt: boolean }[];
  readonly reservation: { holder: Initiator | null; type: number; scope: number } | null;
}

// ---- decoded inputs ----
// The CDB is read in place through cdb-fields.ts (the LU's accessors over layouts.md §3, checked against
// layouts.json there): conflicts() runs on every command and must not allocate. The parameter lists go
// through the layout DSL (layouts.PR_OUT_PARAMETER_LIST, PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST).

interface PrOutCdb {
  readonly serviceAction: number;
  readonly type: number;
  readonly scope: number;
  readonly parameterListLength: number;
}

const PRO = CDB_FIELDS.PERSISTENT_RESERVE_OUT;
const PRI = CDB_FIELDS.PERSISTENT_RESERVE_IN;

/**
 * §10: `5F`, SA byte 1 bits 0-4, SCOPE byte 2 bits 4-7, TYPE bits 0-3, PARAMETER LIST LENGTH bytes 5-8
 * (positions from cdb-fields.ts, checked there against layouts.json; read in place, no allocation).
 */
function decodePrOutCdb(cdb: Uint8Array): PrOutCdb | undefined {
  if (cdb.length < 10) return undefined;
  return {
    serviceAction: PRO.SERVICE_ACTION(cdb, 0),
    type: PRO.TYPE(cdb, 0),
    scope: PRO.SCOPE(cdb, 0),
    parameterListLength: PRO.PARAMETER_LIST_LENGTH(cdb, 0),
  };
}

// ---- plans ----

interface Attention {
  readonly initiators: Initiator[];
  readonly ascq: number;
}

interface Upsert {
  readonly initiator: Initiator;
  readonly key: bigint;
  /** recorded only when the nexus is not yet registered (§4.2 "vdisk") */
  readonly allTgPt: boolean;
}

/** The complete change one PR OUT makes; computed before anything is touched. */
interface Plan {
  /** CLEAR: drop every registration */
  readonly clearAll: boolean;
  readonly remove: readonly Initiator[];
  readonly upsert: readonly Upsert[];
  readonly reservation: ReservationRecord | undefined;
  readonly bumpGeneration: boolean;
  readonly aptpl: boolean;
  readonly attentions: readonly Attention[];
}

type Planned = { readonly plan: Plan } | { readonly outcome: CommandOutcome };

const GOOD: CommandOutcome = { ok: true };
const CONFLICT: CommandOutcome = { ok: false, conflict: true };
function check(sense: SenseTriple): CommandOutcome {
  return { ok: false, sense };
}

/** The scalar part of the state, replaced in one assignment. */
interface Scalars {
  readonly reservation: ReservationRecord | undefined;
  readonly generation: number;
  readonly aptpl: boolean;
}

const EMPTY_SCALARS: Scalars = { reservation: undefined, generation: 0, aptpl: false };

export class PersistentReservations implements PersistentReservationEngine, PrInStateView {
  private readonly unitAttentions: UnitAttentions;
  private regs = new LinkedMap<Initiator, RegistrationRecord>();
  private byKey = new LinkedMap<bigint, LinkedMap<Initiator, true>>();
  private scalars: Scalars = EMPTY_SCALARS;
  private fullStatus = 0;
  /** §8: the last PR OUT changed APTPL-persistent state (engine.ts `needsCommit`) */
  private commitDue = false;

  constructor(context: PersistentReservationContext) {
    this.unitAttentions = context.unitAttentions;
  }

  // PrInStateView (read-only; the PR IN builders read the live state without copying)
  get generation(): number { return this.scalars.generation; }
  get aptpl(): boolean { return this.scalars.aptpl; }
  get reservation(): ReservationRecord | undefined { return this.scalars.reservation; }
  get registrations(): ReadonlyMap<Initiator, RegistrationRecord> { return this.regs; }
  get fullStatusLength(): number { return this.fullStatus; }

  /** A holder (§1): the reservation's nexus, or under types 7/8 every registrant. O(1). */
  isHolder(initiator: Initiator): boolean {
    const r = this.scalars.reservation;
    if (r === undefined) return false;
    return r.holder === undefined ? this.regs.has(initiator) : r.holder === initiator;
  }

  isRegistered(initiator: Initiator): boolean {
    return this.regs.has(initiator);
  }

  // ---- §5: access while a persistent reservation exists ----

  /**
   * True when `cdb` from `initiator` must get RESERVATION CONFLICT because of the persistent reservation
   * (§5; scsi-device.md §2 step 3, after the LU's own SCSI-2 check). O(1): one Map lookup, no scans.
   * RESERVE/RELEASE(6/10) are not decided here but by `scsi2Decision` (§6).
   */
  conflicts(initiator: Initiator, cdb: Uint8Array): boolean {
    const r = this.scalars.reservation;
    if (r === undefined || cdb.length === 0) return false;
    if (this.isHolder(initiator)) return false; // "A holder is never blocked"
    const registered = this.regs.has(initiator);
    const t = r.type;
    switch (cdb[0]) {
      // always allowed (§5 row "TEST UNIT READY, INQUIRY, READ CAPACITY(10/16), PERSISTENT RESERVE IN")
      case SCSIOP_TEST_UNIT_READY:
      case SCSIOP_INQUIRY:
      case SCSIOP_READ_CAPACITY:
      case SCSIOP_PERSISTENT_RESERVE_IN:
        return false;
      case SCSIOP_SERVICE_ACTION_IN16:
        // READ CAPACITY(16) is allowed; another service action is a read-class command that the LU then
        // rejects with 24h/00h (LIO `core_scsi3_pr_seq_non_holder` treats it as "other", like a read).
        return (cdb.length > 1 && (cdb[1]! & 0x1f) === 0x10) ? false : readConflicts(t, registered);
      case SCSIOP_READ:
      case SCSIOP_READ16:
        return readConflicts(t, registered);
      case SCSIOP_WRITE:
      case SCSIOP_WRITE16:
      // vdisk: START STOP UNIT and PREVENT ALLOW change the medium's state and count as writes (§5).
      case SCSIOP_START_STOP_UNIT:
      case SCSIOP_MEDIUM_REMOVAL:
        return writeConflicts(t, registered);
      case SCSIOP_PERSISTENT_RESERVE_OUT:
        return cdb.length > 1 && prOutConflicts(cdb[1]! & 0x1f, t, registered);
      case SCSIOP_RESERVE_UNIT:
      case SCSIOP_RELEASE_UNIT:
      case SCSIOP_RESERVE_UNIT10:
      case SCSIOP_RELEASE_UNIT10:
        return false; // §6, see scsi2Decision
      default:
        // Not in §5: the LU answers 20h/00h for unsupported opcodes before its reservation step, so this
        // is reached only by a caller bypassing it; be conservative and treat it like a write.
        return writeConflicts(t, registered);
    }
  }

  /**
   * §6 CRH, for RESERVE(6/10) and RELEASE(6/10): the PR holder, or a registrant under a Registrants-Only
   * or All-Registrants reservation (types 5-8) → GOOD, nothing happens; otherwise any registration at all
   * → RC; none → plain SPC-2. O(1).
   */
  crh(initiator: Initiator): CrhDecision {
    const r = this.scalars.reservation;
    if (this.isHolder(initiator)) return 'no-op';
    if (r !== undefined && r.type >= PR_TYPE.WE_RO && this.regs.has(initiator)) return 'no-op';
    return this.regs.size > 0 ? 'conflict' : 'spc2';
  }

  // ---- §4: PERSISTENT RESERVE OUT ----

  /**
   * §4.1 checks 2-9 in order (check 1, a SCSI-2 reservation, is the LU's: it holds that state), then the
   * service action. `parameterList` is the data-out buffer. A failing PR OUT changes nothing.
   */
  out(initiator: Initiator, cdb: Uint8Array, parameterList: Uint8Array): CommandOutcome {
    this.commitDue = false; // engine.ts: "the next `out` resets it"
    const planned = this.plan(initiator, cdb, parameterList);
    if ('outcome' in planned) return planned.outcome;
    return this.execute(planned.plan);
  }

  /**
   * §8: true when the last `out` returned GOOD after changing state while APTPL was active, or after
   * turning APTPL on or off; the LU then commits `serialize()` before answering. No-ops (REGISTER of an
   * unregistered nexus with SARK 0, RESERVE of the same type, RELEASE without effect) need none.
   */
  needsCommit(): boolean {
    return this.commitDue;
  }

  private plan(initiator: Initiator, cdb: Uint8Array, pl: Uint8Array): Planned {
    const c = decodePrOutCdb(cdb);
    // vdisk: a CDB shorter than PR OUT's 10 bytes has no service action to check (the LU sizes CDBs).
    if (c === undefined) return { outcome: check(INVALID_FIELD_IN_CDB) };
    const sa = c.serviceAction;
    const reg = this.regs.get(initiator);
    const r = this.scalars.reservation;
    // 2. conflict table, PR OUT rows
    if (r !== undefined && !this.isHolder(initiator) && prOutConflicts(sa, r.type, reg !== undefined)) {
      return { outcome: CONFLICT };
    }
    // 3. PARAMETER LIST LENGTH < 24. vdisk: a data-out buffer that is not exactly PARAMETER LIST LENGTH
    //    bytes (§4.1 "exactly") is the same error: the list the CDB describes is not there.
    if (c.parameterListLength < PR_OUT_PARAMETER_LIST_SIZE || pl.length !== c.parameterListLength) {
      return { outcome: check(PARAMETER_LIST_LENGTH_ERROR) };
    }
    // RESERVATION KEY and SERVICE ACTION RESERVATION KEY sit at 0-7 / 8-15 in both list formats; the
    // rest of this decode means something only for service actions ≠ 7. pl.length ≥ 24 here, so the
    // decode cannot fail; a failure would still be answered, never thrown.
    const decoded = layouts.PR_OUT_PARAMETER_LIST.decode(pl);
    if (!decoded.ok) return { outcome: check(PARAMETER_LIST_LENGTH_ERROR) };
    const list = decoded.value;
    if (sa !== PR_OUT.REGISTER_AND_MOVE) {
      // 4. SPEC_I_PT is not supported (SIP_C = 0)
      if (list.SPEC_I_PT !== 0) return { outcome: check(INVALID_FIELD_IN_PARAMETER_LIST) };
      // 5. LIO quoting SPC-4: the list is exactly 24 bytes without SPEC_I_PT
      if (c.parameterListLength !== PR_OUT_PARAMETER_LIST_SIZE) return { outcome: check(PARAMETER_LIST_LENGTH_ERROR) };
    }
    // 6. REPLACE LOST RESERVATION (8) and beyond
    if (sa >= PR_OUT.REPLACE_LOST_RESERVATION) return { outcome: check(INVALID_FIELD_IN_CDB) };
    // 7. TYPE and SCOPE matter only to RESERVE, RELEASE, PREEMPT, PREEMPT AND ABORT
    const typed = sa === PR_OUT.RESERVE || sa === PR_OUT.RELEASE || sa === PR_OUT.PREEMPT || sa === PR_OUT.PREEMPT_AND_ABORT;
    if (typed && (!isValidType(c.type) || c.scope !== 0)) return { outcome: check(INVALID_FIELD_IN_CDB) };
    const rk = list.RESERVATION_KEY;
    const sark = list.SERVICE_ACTION_RESERVATION_KEY;
    // 8. reservation key, up front as CTL does (REGISTER AND IGNORE EXISTING KEY skips it)
    if (sa !== PR_OUT.REGISTER_AND_IGNORE_EXISTING_KEY) {
      if (reg !== undefined ? rk !== reg.key : sa !== PR_OUT.REGISTER || rk !== 0n) return { outcome: CONFLICT };
    }
    // 9. the service action
    switch (sa) {
      case PR_OUT.REGISTER:
      case PR_OUT.REGISTER_AND_IGNORE_EXISTING_KEY:
        return this.planRegister(initiator, reg, sark, list.ALL_TG_PT !== 0, list.APTPL !== 0);
      case PR_OUT.RESERVE:
        return this.planReserve(initiator, c.type);
      case PR_OUT.RELEASE:
        return this.planRelease(initiator, c.type);
      case PR_OUT.CLEAR:
        return this.planClear(initiator);
      case PR_OUT.PREEMPT:
      case PR_OUT.PREEMPT_AND_ABORT:
        // vdisk completes every command synchronously: PREEMPT AND ABORT has no tasks to abort (§4.6)
        return this.planPreempt(initiator, sark, c.type);
      default:
        return this.planRegisterAndMove(initiator, c.parameterListLength, pl, sark);
    }
  }

  /**
   * A plan: the given fields, the rest as they stand (nothing cleared, removed, added or told; reservation
   * and APTPL unchanged). Built as one object literal, not `{ ...base, field }`: V8 copies a spread that
   * later properties override on its slow path, ~1 µs per plan (docs/performance.md, PR OUT).
   */
  private makePlan(p: Partial<Plan> & Pick<Plan, 'bumpGeneration'>): Plan {
    const s = this.scalars;
    return {
      clearAll: p.clearAll ?? false,
      remove: p.remove ?? [],
      upsert: p.upsert ?? [],
      reservation: 'reservation' in p ? p.reservation : s.reservation,
      bumpGeneration: p.bumpGeneration,
      aptpl: p.aptpl ?? s.aptpl,
      attentions: p.attentions ?? [],
    };
  }

  /** §4.2 and §4.2.1 */
  private planRegister(
    initiator: Initiator, reg: RegistrationRecord | undefined, sark: bigint, allTgPt: boolean, aptpl: boolean,
  ): Planned {
    if (reg === undefined) {
      if (sark === 0n) return { outcome: GOOD }; // unregistered, SARK 0: nothing changes, APTPL untouched
      return { plan: this.makePlan({ upsert: [{ initiator, key: sark, allTgPt }], bumpGeneration: true, aptpl }) };
    }
    if (sark !== 0n) {
      // key replaced in place; a reservation it holds stays with it (holder is by nexus, not by key)
      return { plan: this.makePlan({ upsert: [{ initiator, key: sark, allTgPt }], bumpGeneration: true, aptpl }) };
    }
    // §4.2.1 unregister
    const r = this.scalars.reservation;
    let reservation = r;
    const attentions: Attention[] = [];
    if (r !== undefined) {
      if (r.holder === initiator) {
        // types 1, 3, 5, 6: released; 5 and 6 tell every other remaining registrant (2Ah/04h)
        reservation = undefined;
        if (r.type === PR_TYPE.WE_RO || r.type === PR_TYPE.EA_RO) {
          attentions.push({ initiators: this.othersThan([initiator]), ascq: ASCQ_RESERVATIONS_RELEASED });
        }
      } else if (r.holder === undefined && this.regs.size === 1) {
        reservation = undefined; // types 7/8: gone with the last registrant, nobody left to tell
      }
    }
    return { plan: this.makePlan({ remove: [initiator], reservation, bumpGeneration: true, aptpl, attentions }) };
  }

  /** §4.3 — no PRgeneration change, no unit attention. */
  private planReserve(initiator: Initiator, type: number): Planned {
    const r = this.scalars.reservation;
    if (r === undefined) {
      const holder = isAllRegistrantsType(type) ? undefined : initiator;
      return { plan: this.makePlan({ reservation: { holder, type, scope: 0 }, bumpGeneration: false }) };
    }
    if (this.isHolder(initiator) && r.type === type) return { outcome: GOOD };
    return { outcome: CONFLICT }; // holder asking for another type (use PREEMPT), or someone else holds it
  }

  /** §4.4 */
  private planRelease(initiator: Initiator, type: number): Planned {
    const r = this.scalars.reservation;
    if (r === undefined || !this.isHolder(initiator)) return { outcome: GOOD };
    if (r.type !== type) return { outcome: check(INVALID_RELEASE_OF_PERSISTENT_RESERVATION) };
    const attentions: Attention[] = r.type >= PR_TYPE.WE_RO
      ? [{ initiators: this.othersThan([initiator]), ascq: ASCQ_RESERVATIONS_RELEASED }]
      : [];
    return { plan: this.makePlan({ reservation: undefined, bumpGeneration: false, attentions }) };
  }

  /** §4.5 */
  private planClear(initiator: Initiator): Planned {
    return {
      plan: this.makePlan({
        clearAll: true,
        reservation: undefined,
        bumpGeneration: true,
        aptpl: false,
        attentions: [{ initiators: this.othersThan([initiator]), ascq: ASCQ_RESERVATIONS_PREEMPTED }],
      }),
    };
  }

  /** §4.6, cases in the table's order: C, D, B', A, E, B. */
  private planPreempt(initiator: Initiator, sark: bigint, type: number): Planned {
    const r = this.scalars.reservation;
    const allRegistrants = r !== undefined && r.holder === undefined;
    const newHolder: ReservationRecord = { holder: isAllRegistrantsType(type) ? undefined : initiator, type, scope: 0 };
    if (sark === 0n) {
      if (!allRegistrants) return { outcome: check(INVALID_FIELD_IN_PARAMETER_LIST) }; // C
      const removed = this.othersThan([initiator]); // D
      return {
        plan: this.makePlan({
          remove: removed, reservation: newHolder, bumpGeneration: true,
          attentions: [{ initiators: removed, ascq: ASCQ_REGISTRATIONS_PREEMPTED }],
        }),
      };
    }
    const withKey = this.byKey.get(sark);
    if (withKey === undefined || withKey.size === 0) return { outcome: CONFLICT }; // B'
    // vdisk: the caller's own registration is never removed by its PREEMPT
    const removed: Initiator[] = [];
    for (const i of withKey.keys()) if (i !== initiator) removed.push(i);
    const preempted: Attention = { initiators: removed, ascq: ASCQ_REGISTRATIONS_PREEMPTED };
    if (r !== undefined && r.holder !== undefined && this.regs.get(r.holder)?.key === sark) {
      // A: the holder's key — the reservation is taken over (the caller may be preempting itself)
      const attentions: Attention[] = [preempted];
      if (type !== r.type) {
        attentions.push({ initiators: this.othersThan([initiator, ...removed]), ascq: ASCQ_RESERVATIONS_RELEASED });
      }
      return { plan: this.makePlan({ remove: removed, reservation: newHolder, bumpGeneration: true, attentions }) };
    }
    // E (All-Registrants: the reservation continues) and B (no reservation or another key: untouched,
    // TYPE ignored) differ only in what they leave alone, which is the reservation in both
    return { plan: this.makePlan({ remove: removed, bumpGeneration: true, attentions: [preempted] }) };
  }

  /** §4.7, LIO `core_scsi3_emulate_pro_register_and_move` order, after check 8. */
  private planRegisterAndMove(initiator: Initiator, pll: number, pl: Uint8Array, sark: bigint): Planned {
    // Steps 1-4 all answer 26h/00h, so their order is not observable; a list whose TransportID runs
    // past its end fails the decode ('short'/'overflow') and is step 2's error.
    const invalidList = { outcome: check(INVALID_FIELD_IN_PARAMETER_LIST) };
    if (sark === 0n) return invalidList; // 1
    const decoded = layouts.PR_OUT_REGISTER_AND_MOVE_PARAMETER_LIST.decode(pl);
    if (!decoded.ok) return invalidList;
    const list = decoded.value;
    // 2 (computed exactly: JS numbers do not wrap at 2^32)
    if (list.TRANSPORTID_PARAMETER_DATA_LENGTH + PR_OUT_PARAMETER_LIST_SIZE !== pll) return invalidList;
    if (list.RELATIVE_TARGET_PORT_IDENTIFIER !== RELATIVE_TARGET_PORT_ID) return invalidList; // 3
    const tid = decodeTransportId(list.TransportID);
    if (!tid.ok || tid.value === initiator) return invalidList; // 4
    const r = this.scalars.reservation;
    if (r === undefined) return { outcome: check(INVALID_FIELD_IN_CDB) }; // 5
    if (r.holder !== initiator) return { outcome: CONFLICT }; // 6 (covers types 7/8: holder undefined)
    const destination = tid.value;
    const unreg = list.UNREG !== 0;
    return {
      plan: this.makePlan({
        // vdisk: a new destination registration has ALL_TG_PT 0 (the list carries none)
        upsert: [{ initiator: destination, key: sark, allTgPt: false }],
        remove: unreg ? [initiator] : [],
        reservation: { holder: destination, type: r.type, scope: r.scope },
        bumpGeneration: true,
        aptpl: list.APTPL !== 0,
      }),
    };
  }

  /** Every registered nexus except `excluded` (UA recipients; inherently O(n)). */
  private othersThan(excluded: readonly Initiator[]): Initiator[] {
    const skip = new Set(excluded);
    const out: Initiator[] = [];
    for (const i of this.regs.keys()) if (!skip.has(i)) out.push(i);
    return out;
  }

  /**
   * Applies a finished plan and establishes its unit attentions (§7). A commit is due when APTPL was or
   * becomes active (§8). If that commit then fails (injected power loss), the LU answers nothing and
   * power-up runs `restore(committed bytes)` + `powerOn()`: the old state, never a mix.
   */
  private execute(plan: Plan): CommandOutcome {
    const due = this.scalars.aptpl || plan.aptpl;
    this.apply(plan);
    this.commitDue = due;
    for (const a of plan.attentions) {
      if (a.initiators.length > 0) this.unitAttentions.establish(a.initiators, ASC_RESERVATIONS, a.ascq);
    }
    return GOOD;
  }

  private apply(plan: Plan): void {
    const g = this.scalars.generation;
    if (plan.clearAll) this.load(new Map(), this.scalars);
    for (const i of plan.remove) this.removeRegistration(i);
    for (const u of plan.upsert) this.upsertRegistration(u);
    this.scalars = {
      reservation: plan.reservation,
      generation: plan.bumpGeneration ? (g + 1) >>> 0 : g, // 32-bit, wraps (§2)
      aptpl: plan.aptpl,
    };
  }

  private removeRegistration(initiator: Initiator): void {
    const reg = this.regs.get(initiator);
    if (reg === undefined) return;
    this.regs.delete(initiator);
    const set = this.byKey.get(reg.key);
    set?.delete(initiator);
    if (set !== undefined && set.size === 0) this.byKey.delete(reg.key);
    this.fullStatus -= PR_IN_FULL_STATUS_DESCRIPTOR_SIZE + reg.transportIdLength;
  }

  private upsertRegistration(u: Upsert): void {
    const old = this.regs.get(u.initiator);
    if (old !== undefined) {
      const set = this.byKey.get(old.key);
      set?.delete(u.initiator);
      if (set !== undefined && set.size === 0) this.byKey.delete(old.key);
      // set on an existing entry keeps its place; a literal, not `{ ...old, key }` (V8's slow spread path, ~1 µs)
      this.regs.set(u.initiator, { key: u.key, allTgPt: old.allTgPt, transportIdLength: old.transportIdLength });
    } else {
      const transportIdLength_ = transportIdLength(u.initiator);
      this.regs.set(u.initiator, { key: u.key, allTgPt: u.allTgPt, transportIdLength: transportIdLength_ });
      this.fullStatus += PR_IN_FULL_STATUS_DESCRIPTOR_SIZE + transportIdLength_;
    }
    let set = this.byKey.get(u.key);
    if (set === undefined) {
      set = new LinkedMap();
      this.byKey.set(u.key, set);
    }
    set.set(u.initiator, true);
  }

  /** Replaces the whole state (power-on, restore, failed commit), rebuilding the indexes. O(n). */
  private load(registrations: ReadonlyMap<Initiator, RegistrationRecord>, scalars: Scalars): void {
    const regs = LinkedMap.from(registrations);
    const byKey = new LinkedMap<bigint, LinkedMap<Initiator, true>>();
    let fullStatus = 0;
    for (const [i, reg] of registrations) {
      let set = byKey.get(reg.key);
      if (set === undefined) byKey.set(reg.key, (set = new LinkedMap()));
      set.set(i, true);
      fullStatus += PR_IN_FULL_STATUS_DESCRIPTOR_SIZE + reg.transportIdLength;
    }
    this.regs = regs;
    this.byKey = byKey;
    this.fullStatus = fullStatus;
    this.scalars = scalars;
  }

  // ---- §9: PERSISTENT RESERVE IN ----

  /**
   * §9: the SCSI-2 conflict (RC for everyone) is the LU's check. Returns min(allocation length, full
   * length) bytes; `allocationLength` is the LU's data-in limit and is further bounded by the CDB's own
   * ALLOCATION LENGTH (bytes 7-8), so the output never exceeds 65535 bytes whatever the caller passes.
   */
  in(initiator: Initiator, cdb: Uint8Array, allocationLength: number): CommandOutcome {
    void initiator; // PR IN is answered alike for every nexus (§9)
    if (cdb.length < 10) return check(INVALID_FIELD_IN_CDB);
    const limit = Math.min(PRI.ALLOCATION_LENGTH(cdb, 0), Number.isFinite(allocationLength) ? Math.max(0, Math.floor(allocationLength)) : 0);
    switch (PRI.SERVICE_ACTION(cdb, 0)) {
      case PR_IN.READ_KEYS: return { ok: true, data: buildReadKeys(this, limit) };
      case PR_IN.READ_RESERVATION: return { ok: true, data: buildReadReservation(this, limit) };
      case PR_IN.REPORT_CAPABILITIES: return { ok: true, data: buildReportCapabilities(this.aptpl, limit) };
      case PR_IN.READ_FULL_STATUS: return { ok: true, data: buildReadFullStatus(this, limit) };
      default: return check(INVALID_FIELD_IN_CDB); // §9: the command exists, the field is wrong
    }
  }

  // ---- §8: APTPL and power ----

  /**
   * Power-on (power cycle, reboot): with APTPL active the registrations and the reservation stay (they
   * equal what the last commit stored, since every change under APTPL was committed); otherwise all PR
   * state is gone. PRgeneration is 0 either way. The 29h/00h unit attentions are the LU's (scsi-device.md §6).
   */
  powerOn(): void {
    const s = this.scalars;
    if (s.aptpl) this.scalars = { reservation: s.reservation, generation: 0, aptpl: true };
    else this.load(new Map(), EMPTY_SCALARS);
  }

  /**
   * The persistent state the metadata commit stores: undefined unless APTPL is active (then nothing
   * survives a power loss). O(n). Format (vdisk-internal, big-endian):
   *   "VPR1", u8 flags (bit 0: reservation present), u8 type, u8 scope, u8 reserved,
   *   u32 holder index (FFFFFFFFh: all registrants), u32 count,
   *   count × { u64 key, u8 flags (bit 0: ALL_TG_PT), u16 name length, UTF-8 name }
   */
  serialize(): Uint8Array | undefined {
    if (!this.scalars.aptpl) return undefined;
    const r = this.scalars.reservation;
    const names: Buffer[] = [];
    let size = 16;
    let holderIndex = 0xffffffff;
    for (const i of this.regs.keys()) {
      if (r !== undefined && r.holder === i) holderIndex = names.length;
      const b = Buffer.from(i, 'utf8');
      names.push(b);
      size += 11 + b.length;
    }
    const out = Buffer.alloc(size);
    out.write('VPR1', 0, 'latin1');
    out[4] = r === undefined ? 0 : 1;
    out[5] = r?.type ?? 0;
    out[6] = r?.scope ?? 0;
    out.writeUInt32BE(holderIndex, 8);
    out.writeUInt32BE(this.regs.size, 12);
    let at = 16;
    let n = 0;
    for (const reg of this.regs.values()) {
      const name = names[n++]!;
      out.writeBigUInt64BE(reg.key, at);
      out[at + 8] = reg.allTgPt ? 1 : 0;
      out.writeUInt16BE(name.length, at + 9);
      name.copy(out, at + 11);
      at += 11 + name.length;
    }
    return out;
  }

  /**
   * Replaces the whole state with a committed section (engine.ts): `undefined` = nothing persisted →
   * empty state, APTPL off. Bytes that do not decode leave the empty state and return false. PRgeneration
   * is 0 and APTPL active after a successful restore of bytes (only APTPL state is ever serialized).
   */
  restore(bytes: Uint8Array | undefined): boolean {
    const result = bytes === undefined ? undefined : decodeSerialized(bytes);
    this.commitDue = false;
    if (result === undefined || !result.ok) {
      this.load(new Map(), EMPTY_SCALARS);
      return bytes === undefined;
    }
    this.load(result.registrations, result.scalars);
    return true;
  }

  /** Deep, JSON-comparable copy of the whole PR state. O(n). */
  snapshot(): PrSnapshot {
    const r = this.scalars.reservation;
    return {
      generation: this.scalars.generation,
      aptpl: this.scalars.aptpl,
      registrations: [...this.regs].map(([initiator, reg]) => ({
        initiator, key: reg.key.toString(16).padStart(16, '0'), allTgPt: reg.allTgPt,
      })),
      reservation: r === undefined ? null : { holder: r.holder ?? null, type: r.type, scope: r.scope },
    };
  }
}

/** engine.ts factory: what the VirtualDisk calls when it creates a disk with persistent reservations. */
export const createPersistentReservations: PersistentReservationEngineFactory = (context) =>
  new PersistentReservations(context);

type Decoded =
  | { readonly ok: true; readonly registrations: Map<Initiator, RegistrationRecord>; readonly scalars: Scalars }
  | { readonly ok: false; readonly error: string };

/** Inverse of `serialize()`; validates every byte, never throws, bounds the count by the bytes present. */
function decodeSerialized(bytes: Uint8Array): Decoded {
  if (bytes.length < 16) return { ok: false, error: 'short header' };
  if (bytes[0] !== 0x56 || bytes[1] !== 0x50 || bytes[2] !== 0x52 || bytes[3] !== 0x31) return { ok: false, error: 'magic' };
  const hasReservation = bytes[4] === 1;
  if (bytes[4]! > 1) return { ok: false, error: 'flags' };
  const type = bytes[5]!;
  const scope = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const holderIndex = dv.getUint32(8);
  const count = dv.getUint32(12);
  // each record is at least 11 bytes: bound the count by the bytes present before looping
  if (count > (bytes.length - 16) / 11) return { ok: false, error: 'count' };
  const regs = new Map<Initiator, RegistrationRecord>();
  let holder: Initiator | undefined;
  let at = 16;
  for (let n = 0; n < count; n++) {
    if (at + 11 > bytes.length) return { ok: false, error: `record ${n} short` };
    const key = dv.getBigUint64(at);
    const len = dv.getUint16(at + 9);
    if (at + 11 + len > bytes.length) return { ok: false, error: `record ${n} name short` };
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + at + 11, len);
    const name = raw.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(raw)) return { ok: false, error: `record ${n} name not UTF-8` };
    if (key === 0n || regs.has(name) || bytes[at + 8]! > 1) return { ok: false, error: `record ${n} invalid` };
    regs.set(name, { key, allTgPt: bytes[at + 8] === 1, transportIdLength: transportIdLength(name) });
    if (n === holderIndex) holder = name;
    at += 11 + len;
  }
  if (at !== bytes.length) return { ok: false, error: 'trailing bytes' };
  let reservation: ReservationRecord | undefined;
  if (hasReservation) {
    if (!isValidType(type) || scope !== 0 || count === 0) return { ok: false, error: 'reservation' };
    if (isAllRegistrantsType(type) !== (holderIndex === 0xffffffff) || (holderIndex !== 0xffffffff && holder === undefined)) {
      return { ok: false, error: 'holder' };
    }
    reservation = { holder, type, scope };
  }
  return { ok: true, registrations: regs, scalars: { reservation, generation: 0, aptpl: true } };
}

// ---- §5 as data: who may do what while a persistent reservation exists (non-holders only) ----

/** READ(10/16): blocked under EA for everyone, under EA_RO/EA_AR for non-registrants. */
function readConflicts(type: number, registered: boolean): boolean {
  switch (type) {
    case PR_TYPE.WE: case PR_TYPE.WE_RO: case PR_TYPE.WE_AR: return false;
    case PR_TYPE.EA: return true;
    default: return !registered; // EA_RO, EA_AR
  }
}

/** WRITE(10/16), START STOP UNIT, PREVENT ALLOW: blocked under WE/EA, for non-registrants under RO/AR. */
function writeConflicts(type: number, registered: boolean): boolean {
  if (type === PR_TYPE.WE || type === PR_TYPE.EA) return true;
  return !registered;
}

/** PR OUT rows of §5, by service action. Service actions ≥ 8 are not in the table (check 6 answers). */
function prOutConflicts(serviceAction: number, type: number, registered: boolean): boolean {
  switch (serviceAction) {
    case PR_OUT.REGISTER:
    case PR_OUT.REGISTER_AND_IGNORE_EXISTING_KEY:
      return false;
    case PR_OUT.RESERVE:
      // registrants may send it under the Registrants-Only/All-Registrants types (the action then answers RC)
      return type === PR_TYPE.WE || type === PR_TYPE.EA || !registered;
    case PR_OUT.RELEASE:
    case PR_OUT.CLEAR:
    case PR_OUT.PREEMPT:
    case PR_OUT.PREEMPT_AND_ABORT:
      return !registered;
    case PR_OUT.REGISTER_AND_MOVE:
      return true;
    default:
      return false;
  }
}
