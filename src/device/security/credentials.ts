// Credentials of the self-encrypting device (band-management.md §2.2 "Credentials", D3, D4, D5, D7):
// SID, PSID, the erase credential and one credential per band slot. A credential is stored only as a
// salted verifier — never the key — and compared in constant time.
//
// Verifier = HKDF-SHA256(ikm = key, salt = 16 random bytes from the seed, info = label), 32 bytes.
// Why HKDF and not scrypt/pbkdf2 with a work factor: vdisk is an emulator that a fuzzer drives at hundreds
// of thousands of requests a second, and the property the verifier must give here is that key bytes never
// appear in a snapshot, an image or the committed record — not resistance to an offline guessing attack
// on a stolen image (a real drive hides its verifiers in hardware). HKDF is a one-way PRF of the key under
// a per-credential salt, costs a few microseconds, and needs no tuning that could make tests slow.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SeededRandom } from './media-keys';

export const VERIFIER_SALT_BYTES = 16;
export const VERIFIER_HASH_BYTES = 32;
export const VERIFIER_BYTES = VERIFIER_SALT_BYTES + VERIFIER_HASH_BYTES;

export interface Verifier {
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

const INFO = 'vdisk credential verifier v1';

const INFO_BLOCK_1 = Buffer.concat([Buffer.from(INFO, 'utf8'), Buffer.of(1)]);

/**
 * HKDF-SHA256 (RFC 5869) with a 32-byte output, written out as its two HMACs: Extract PRK = HMAC(salt, key),
 * Expand T(1) = HMAC(PRK, info ‖ 0x01). Byte-identical to `hkdfSync('sha256', key, salt, INFO, 32)` (a
 * test checks it) at half its cost here: hkdfSync builds key objects for both inputs on every call.
 */
function derive(key: Uint8Array, salt: Uint8Array): Uint8Array {
  // A zero-length key cannot reach here: KeySize 0 means "the default key" (D4) and is replaced before
  // any verifier is made.
  const prk = createHmac('sha256', salt).update(key).digest();
  const okm = createHmac('sha256', prk).update(INFO_BLOCK_1).digest();
  prk.fill(0);
  return new Uint8Array(okm.subarray(0, VERIFIER_HASH_BYTES));
}

/** A verifier for `key` with a salt drawn from the seed at `draw` (see SeededRandom). */
export function makeVerifier(key: Uint8Array, rng: SeededRandom, draw: number): Verifier {
  const salt = rng.bytes('verifier-salt', draw, VERIFIER_SALT_BYTES);
  return { salt, hash: derive(key, salt) };
}

/**
 * A verifier of a PUBLIC key (the seed-derived default key, D4) whose salt and hash are computed on first
 * use: the same bytes as makeVerifier(key, rng, draw), so records and replays are unchanged, but a disk
 * that never authenticates, commits or snapshots never pays for them. Never for a caller's key: that one
 * would then be held in memory past the request (credentials.md: keys are not kept).
 */
class DeferredVerifier implements Verifier {
  private s: Uint8Array | undefined;
  private h: Uint8Array | undefined;

  constructor(private readonly publicKey: Uint8Array, private readonly rng: SeededRandom, private readonly draw: number) {}

  get salt(): Uint8Array {
    return (this.s ??= this.rng.bytes('verifier-salt', this.draw, VERIFIER_SALT_BYTES));
  }

  get hash(): Uint8Array {
    return (this.h ??= derive(this.publicKey, this.salt));
  }
}

/** makeVerifier for a public key (the default key), deferred until first used. */
export function publicKeyVerifier(publicKey: Uint8Array, rng: SeededRandom, draw: number): Verifier {
  return new DeferredVerifier(publicKey, rng, draw);
}

/** Constant-time comparison of `key` against the verifier (timingSafeEqual over equal-length digests). */
export function verifies(v: Verifier, key: Uint8Array): boolean {
  return timingSafeEqual(derive(key, v.salt), v.hash);
}

export function serialiseVerifier(v: Verifier, out: Uint8Array, at: number): void {
  out.set(v.salt, at);
  out.set(v.hash, at + VERIFIER_SALT_BYTES);
}

export function parseVerifier(b: Uint8Array, at: number): Verifier {
  return {
    salt: b.slice(at, at + VERIFIER_SALT_BYTES),
    hash: b.slice(at + VERIFIER_SALT_BYTES, at + VERIFIER_BYTES),
  };
}

/** Which credential an authentication is against; try counters are kept per credential (D3). */
export type CredentialId = 'sid' | 'psid' | 'erase' | `band:${number}`;

export type AuthOutcome = 'ok' | 'wrong-key' | 'locked-out' | 'disabled';

/**
 * Failed-attempt counters, volatile like TCG's Tries column: a power cycle resets them (D10), and a
 * credential at the limit is locked out until then (D3). `limit` 0 means no limit (TCG TryLimit 0).
 */
export class TryCounters {
  private readonly failures = new Map<CredentialId, number>();

  constructor(private readonly limit: number) {}

  lockedOut(id: CredentialId): boolean {
    return this.limit > 0 && (this.failures.get(id) ?? 0) >= this.limit;
  }

  /**
   * One authentication attempt (D2 step 8). A locked-out credential refuses every key without comparing
   * it; a wrong key counts (the one side effect D3 allows on a failed request). A success does NOT reset
   * the counter here: D3 lets nothing but the count change on a failed request, so the reset happens in
   * the final commit of a request that succeeds (`succeeded`).
   */
  attempt(id: CredentialId, v: Verifier, key: Uint8Array): AuthOutcome {
    if (this.lockedOut(id)) return 'locked-out';
    if (verifies(v, key)) return 'ok';
    this.failures.set(id, (this.failures.get(id) ?? 0) + 1);
    return 'wrong-key';
  }

  /** A request that authenticated as `id` succeeded: its counter returns to zero (D3, TCG Tries). */
  succeeded(id: CredentialId): void {
    this.failures.delete(id);
  }

  count(id: CredentialId): number {
    return this.failures.get(id) ?? 0;
  }

  /** Power cycle (D10): every counter and lockout is forgotten. */
  reset(): void {
    this.failures.clear();
  }

  /** For the fuzz oracle's state snapshot. */
  snapshot(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.failures);
  }
}
