// CHAP for the iSCSI security negotiation stage (RFC 7143 §12.1.3, RFC 1994 §4.1): the binary value
// encodings of §6.1 (hex "0x…", base64 "0b…"), the MD5 response and its constant-time check. Every value
// a peer sends is bounded by its string length before it is decoded, so nothing is allocated from a
// length the peer chose beyond what the (already bounded, login.ts MAX_TEXT_BYTES) text itself holds.

import crypto from 'node:crypto';

/** RFC 1994 §4.1 / RFC 7143 §12.1.3: CHAP_A 5 = MD5, the only algorithm implemented (and the only one iSCSI requires). */
export const CHAP_ALGORITHM_MD5 = 5;
/** Length of the target's challenge, bytes (RFC 7143 §12.1.3 wants it unpredictable; 16 = the MD5 output size). */
export const TARGET_CHALLENGE_BYTES = 16;
/** Bound on the initiator's (mutual) CHAP_C: this target's choice, not a number from the RFC. */
export const MAX_CHALLENGE_BYTES = 1024;
/** Bound on CHAP_N (RFC 1994 has none; 255 bytes covers iSCSI names, §4.2.7 allows 223). */
export const MAX_NAME_BYTES = 255;
/** Bound on a configured secret (RFC 1994 §2.2: at least 1 octet, preferably ≥ 16 for MD5; no minimum enforced). */
export const MAX_SECRET_BYTES = 255;
/** MD5 output, bytes: the only CHAP_R length accepted for algorithm 5. */
export const MD5_BYTES = 16;
/** Longest encoded large-binary-value accepted: "0x" + two hex digits per byte of a maximal challenge. */
const MAX_ENCODED_LENGTH = 2 + 2 * MAX_CHALLENGE_BYTES;

export interface ChapSecret {
  readonly user: string;
  readonly secret: Uint8Array;
}

/** The target's CHAP configuration: the initiator's credentials, and optionally the target's own for mutual CHAP. */
export interface ChapConfig extends ChapSecret {
  /** mutual CHAP: the name and secret the target answers the initiator's challenge with (§12.1.3) */
  readonly target?: ChapSecret;
}

export type Decoded = { readonly ok: true; readonly bytes: Buffer } | { readonly ok: false; readonly message: string };

/**
 * RFC 7143 §6.1 binary value: "0x"/"0X" + hex digits (an odd count has an implicit leading zero: byte length
 * (n+1)/2) or "0b"/"0B" + base64 (RFC 4648, padded). Decimal is not a large-binary-value, so it is refused.
 */
export function decodeBinary(value: string, maxBytes: number): Decoded {
  if (value.length > MAX_ENCODED_LENGTH || value.length < 3) return { ok: false, message: 'binary value length out of range' };
  const prefix = value.slice(0, 2).toLowerCase();
  const body = value.slice(2);
  let bytes: Buffer;
  if (prefix === '0x') {
    if (!/^[0-9a-fA-F]+$/.test(body)) return { ok: false, message: 'malformed hex value' };
    bytes = Buffer.from(body.length % 2 === 1 ? `0${body}` : body, 'hex');
  } else if (prefix === '0b') {
    if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return { ok: false, message: 'malformed base64 value' };
    bytes = Buffer.from(body, 'base64');
    // Buffer's decoder is lenient (non-zero trailing bits); only the canonical encoding is accepted
    if (bytes.toString('base64') !== body) return { ok: false, message: 'malformed base64 value' };
  } else {
    return { ok: false, message: 'binary value without 0x or 0b prefix' };
  }
  if (bytes.length === 0 || bytes.length > maxBytes) return { ok: false, message: 'binary value length out of range' };
  return { ok: true, bytes };
}

/** The target's encoding of a binary value (§6.1 hex-constant). */
export function encodeHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** CHAP_I (§12.1.3): a numeric value 0-255, decimal or hex (§6.1 numerical-value). */
export function parseIdentifier(value: string): number | undefined {
  if (!/^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3})$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 255 ? n : undefined;
}

/** RFC 1994 §4.1: Response = MD5(Identifier || secret || Challenge). */
export function chapResponse(identifier: number, secret: Uint8Array, challenge: Uint8Array): Buffer {
  return crypto.createHash('md5').update(Uint8Array.of(identifier)).update(secret).update(challenge).digest();
}

/**
 * Checks CHAP_N and CHAP_R against the configured credentials in time independent of where they differ:
 * both comparisons always run (timingSafeEqual on equal-length digests / MD5 outputs), the results are
 * combined without short-circuit, and the caller learns only pass or fail.
 */
export function verifyResponse(expected: ChapSecret, identifier: number, challenge: Uint8Array, name: string, response: Uint8Array): boolean {
  const digest = (s: string): Buffer => crypto.createHash('sha256').update(s, 'utf8').digest();
  const nameOk = crypto.timingSafeEqual(digest(name), digest(expected.user));
  const want = chapResponse(identifier, expected.secret, challenge);
  const given = response.length === want.length ? Buffer.from(response) : Buffer.alloc(want.length);
  const responseOk = crypto.timingSafeEqual(given, want) && response.length === want.length;
  return nameOk && responseOk;
}

/** A configuration error (never containing the secret), or undefined when the configuration is usable. */
export function checkConfig(config: ChapConfig): string | undefined {
  const check = (who: string, c: ChapSecret): string | undefined => {
    if (c.user.length === 0 || Buffer.byteLength(c.user, 'utf8') > MAX_NAME_BYTES || c.user.includes('\0')) {
      return `${who} CHAP user name must be 1-${MAX_NAME_BYTES} bytes without NUL`;
    }
    if (c.secret.length === 0 || c.secret.length > MAX_SECRET_BYTES) return `${who} CHAP secret must be 1-${MAX_SECRET_BYTES} bytes`;
    return undefined;
  };
  const own = check('initiator', config);
  if (own !== undefined) return own;
  if (config.target !== undefined) {
    const t = check('target', config.target);
    if (t !== undefined) return t;
    // RFC 7143 CHAP considerations (§9.2.1): one secret is not to be used for both directions
    if (Buffer.compare(Buffer.from(config.target.secret), Buffer.from(config.secret)) === 0) {
      return 'mutual CHAP needs a target secret different from the initiator secret';
    }
  }
  return undefined;
}
