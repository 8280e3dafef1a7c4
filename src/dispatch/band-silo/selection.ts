// Band selection, D2 step 7 (band-management.md §1.2 "Band selection", §3 rules for step 7, D1). The silo
// selects from its view of the table (the device's `bands()`), which an injected band failure does not
// affect. A malformed selector → STATUS_INVALID_PARAMETER; a well-formed one that matches nothing →
// STATUS_NOT_FOUND (D1).

import { STATUS_INVALID_PARAMETER, STATUS_NOT_FOUND } from '../../codecs/ntstatus';
import type { BandView } from '../../device/security/security-subsystem';
import type { Checked } from './parts';

export const SELECT_BY_START = 0xffffffff; // (ULONG)−1
const GLOBAL = 0;

export interface Selector {
  readonly bandId: number;
  readonly bandStart: bigint;
}

export interface SelectLimits {
  readonly maxBandCount: number;
  readonly sectorSize: number;
}

const notFound: Checked<never> = { ok: false, status: STATUS_NOT_FOUND };
const malformed: Checked<never> = { ok: false, status: STATUS_INVALID_PARAMETER };

/** The non-global band with the smallest BandStart ≥ `start` that satisfies `fits`. */
function firstAtOrAfter(view: readonly BandView[], start: bigint, fits: (v: BandView) => boolean): BandView | undefined {
  let best: BandView | undefined;
  for (const v of view) {
    if (v.bandId === GLOBAL || v.bandStart < start || !fits(v)) continue;
    if (best === undefined || v.bandStart < best.bandStart) best = v;
  }
  return best;
}

/**
 * D1 for DELETE, ERASE, GET/SET_METADATA, SET_LOCATION, SET_SECURITY:
 * BandId 0 → the global band; BandId = BandStart = −1 → the global band; BandId −1 → the configured
 * non-global band with the smallest BandStart ≥ BandStart (BandStart negative or not a multiple of the
 * sector size is malformed); 1 ≤ BandId < MaxBandCount → that slot if configured; any other BandId is
 * malformed. BandStart is looked at only when BandId is −1 (BandId wins, §1.2).
 */
export function selectBand(view: readonly BandView[], sel: Selector, limits: SelectLimits): Checked<number> {
  if (sel.bandId === GLOBAL) return { ok: true, value: GLOBAL };
  if (sel.bandId === SELECT_BY_START) {
    if (sel.bandStart === -1n) return { ok: true, value: GLOBAL };
    if (sel.bandStart < 0n || sel.bandStart % BigInt(limits.sectorSize) !== 0n) return malformed;
    const hit = firstAtOrAfter(view, sel.bandStart, () => true);
    return hit ? { ok: true, value: hit.bandId } : notFound;
  }
  if (sel.bandId >= limits.maxBandCount) return malformed;
  return view.some((v) => v.bandId === sel.bandId) ? { ok: true, value: sel.bandId } : notFound;
}

export interface EnumerateSelector extends Selector {
  readonly bandSize: bigint;
  readonly all: boolean;
}

/**
 * ENUMERATE_BANDS' selection (§1.2, §3.3): ENUMBANDS_ENUM_ALL_BANDS → the global band and every
 * configured band, selector ignored. Otherwise D1 with BandSize: with BandId −1 the first band at or after
 * BandStart whose size equals BandSize (any size for 0; BandSize negative or not a multiple of the sector
 * size is malformed); BandId 0 → the global band; and when no band is configured, a well-formed selector
 * returns the global band. Ids come back global first, then ascending.
 */
export function selectForEnumerate(view: readonly BandView[], sel: EnumerateSelector, limits: SelectLimits): Checked<number[]> {
  const ids = view.map((v) => v.bandId).sort((a, b) => a - b);
  if (sel.all) return { ok: true, value: ids };
  // malformed selectors first (D1), whatever the table holds
  if (sel.bandId === SELECT_BY_START && sel.bandStart !== -1n) {
    const ss = BigInt(limits.sectorSize);
    if (sel.bandStart < 0n || sel.bandStart % ss !== 0n) return malformed;
    if (sel.bandSize < 0n || sel.bandSize % ss !== 0n) return malformed;
  } else if (sel.bandId !== SELECT_BY_START && sel.bandId !== GLOBAL && sel.bandId >= limits.maxBandCount) {
    return malformed;
  }
  const noBands = !view.some((v) => v.bandId !== GLOBAL);
  if (sel.bandId === GLOBAL || noBands) return { ok: true, value: [GLOBAL] };
  if (sel.bandId === SELECT_BY_START) {
    if (sel.bandStart === -1n) return { ok: true, value: [GLOBAL] };
    const hit = firstAtOrAfter(view, sel.bandStart, (v) => sel.bandSize === 0n || v.bandSize === sel.bandSize);
    return hit ? { ok: true, value: [hit.bandId] } : notFound;
  }
  return view.some((v) => v.bandId === sel.bandId) ? { ok: true, value: [sel.bandId] } : notFound;
}
