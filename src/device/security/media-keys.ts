// Media (data-encryption) keys and the device's seeded randomness (band-management.md §2.2 "Encryption";
// ARCHITECTURE.md "Randomness … come in through the device's options").
//
// Every random choice the security subsystem makes — media keys, verifier salts, the default key, the
// PSID — is drawn from the disk `seed` through HMAC-SHA256 in counter mode, with a label naming what the
// bytes are for and a counter that the committed record carries. So a replay of the same scenario gives
// byte-identical keys, and a key is never drawn twice: the counter only grows and is committed with the
// record that uses the key (a power-up resumes after the last committed draw, never before it).

import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { isValidXtsKey, XTS_KEY_BYTES } from './xts';

/** HMAC-SHA256(seedKey, label ‖ counter ‖ block) — a deterministic byte source keyed by the disk seed. */
export class SeededRandom {
  private key: Buffer | undefined;

  constructor(private readonly seed: number | string) {}

  /** derived on the first draw: a disk that never draws (security "none", no band IOCTL) never pays */
  private get seedKey(): Buffer {
    return (this.key ??= createHmac('sha256', 'vdisk seed').update(String(this.seed)).digest());
  }

  /** `n` bytes for (`label`, `counter`); the same arguments always give the same bytes. */
  bytes(label: string, counter: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let block = 0, at = 0; at < n; block++) {
      const h = createHmac('sha256', this.seedKey).update(label).update(`:${counter}:${block}`).digest();
      out.set(h.subarray(0, Math.min(h.length, n - at)), at);
      at += h.length;
    }
    return out;
  }
}

/**
 * A fresh AES-256-XTS media key: 64 bytes with distinct halves (TOOLCHAIN.md: OpenSSL rejects equal
 * halves). `counter` is the subsystem's committed draw counter, so every key is drawn once.
 */
export function newMediaKey(rng: SeededRandom, counter: number): Uint8Array {
  for (let attempt = 0; ; attempt++) {
    const k = rng.bytes(`media-key/${attempt}`, counter, XTS_KEY_BYTES);
    if (isValidXtsKey(k)) return k; // equal halves: probability 2^-256, but the rule is the cipher's
  }
}

/**
 * Media keys never appear in the committed record in the clear (band-management.md §2.2 "Commit":
 * "wrapped media keys"): they are wrapped with RFC 3394 AES key wrap under a device root key derived from
 * the seed — the stand-in for a drive's fused hardware key. Only the device (which knows the seed) unwraps.
 */
export class KeyWrapper {
  private key: Buffer | undefined;
  /**
   * Each media key's wrapped form, by key object (docs/performance.md: a commit used to re-wrap every
   * slot's key). Media keys are immutable values — a new key is always a new object — so a slot whose key
   * did not change hits here and only changed keys are wrapped. Weak: a key no table holds is dropped.
   */
  private readonly wrapped = new WeakMap<Uint8Array, Uint8Array>();
  /** Unwrapped keys by their wrapped bytes (hex), so a power-up re-reading a known record costs no AES. */
  private readonly unwrapped = new Map<string, Uint8Array>();

  constructor(private readonly rng: SeededRandom) {}

  /** the device root key, derived on first use */
  private get kek(): Buffer {
    return (this.key ??= Buffer.from(this.rng.bytes('root-key-encryption-key', 0, 32)));
  }

  /** 64-byte key → 72 wrapped bytes. The result is shared (cached): callers copy it, never mutate it. */
  wrap(key: Uint8Array): Uint8Array {
    const hit = this.wrapped.get(key);
    if (hit !== undefined) return hit;
    const c = createCipheriv('id-aes256-wrap', this.kek, WRAP_IV);
    const w = Buffer.concat([c.update(key), c.final()]);
    this.wrapped.set(key, w);
    this.remember(w, key);
    return w;
  }

  /** 72 wrapped bytes → the key, or undefined when the integrity check fails (a corrupt record). */
  unwrap(wrapped: Uint8Array): Uint8Array | undefined {
    if (wrapped.length !== XTS_KEY_BYTES + 8) return undefined;
    const id = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.length).toString('hex');
    const hit = this.unwrapped.get(id);
    if (hit !== undefined) return hit;
    const d = createDecipheriv('id-aes256-wrap', this.kek, WRAP_IV);
    // OpenSSL signals a failed integrity check by throwing from final(); this is the one place where a
    // library reports a bad value only by exception, and the input is our own committed record.
    let k: Buffer;
    try {
      k = Buffer.concat([d.update(wrapped), d.final()]);
    } catch {
      return undefined;
    }
    if (!isValidXtsKey(k)) return undefined;
    const key = new Uint8Array(k);
    this.wrapped.set(key, Uint8Array.from(wrapped));
    this.unwrapped.set(id, key);
    this.trim();
    return key;
  }

  private remember(w: Uint8Array, key: Uint8Array): void {
    this.unwrapped.set(Buffer.from(w.buffer, w.byteOffset, w.length).toString('hex'), key);
    this.trim();
  }

  private trim(): void {
    // Bounded: a wrapper is shared by every disk of one seed (security-subsystem.ts) and lives as long as
    // its cache entry; the oldest entries go first.
    while (this.unwrapped.size > UNWRAP_CACHE_MAX) this.unwrapped.delete(this.unwrapped.keys().next().value!);
  }
}

const WRAP_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex'); // RFC 3394 default IV; createCipheriv copies it
const UNWRAP_CACHE_MAX = 4096;

export const WRAPPED_MEDIA_KEY_BYTES = XTS_KEY_BYTES + 8;
