// Decode and encode errors are values (STYLE.md "Errors flow as values"; zod's safeParse): a closed union
// of reasons, naming the structure, the field and the byte position, with need/have for short input
// (deku's `Incomplete`).

export type DecodeReason = 'short' | 'out-of-range offset' | 'overflow' | 'bad value';

export interface DecodeError {
  readonly layout: string;
  /** dotted field path, or "(start)" when the starting offset itself is bad */
  readonly field: string;
  readonly reason: DecodeReason;
  /** absolute byte position in the buffer where the offending field starts */
  readonly offset: number;
  /** bytes needed from the start of the buffer, and bytes the buffer has */
  readonly need: number;
  readonly have: number;
  readonly message: string;
}

export interface EncodeError {
  readonly layout: string;
  readonly field: string;
  readonly reason: 'bad value';
  readonly message: string;
}

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
export type DecodeResult<T> = Result<T, DecodeError>;
export type EncodeResult = Result<Uint8Array, EncodeError>;

/** Largest value a 32-bit offset or length may reach: an end past it would wrap in a driver's ULONG math. */
export const U32_LIMIT = 0x1_0000_0000;

export function decodeError(
  layout: string, field: string, reason: DecodeReason, offset: number, need: number, have: number,
): { ok: false; error: DecodeError } {
  const what =
    reason === 'short' ? `needs ${need} bytes, buffer has ${have}` :
    reason === 'overflow' ? `offset + size = ${need} wraps 2^32` :
    reason === 'out-of-range offset' ? `offset ${offset} is outside the ${have}-byte buffer` :
    `bad value`;
  return {
    ok: false,
    error: { layout, field, reason, offset, need, have, message: `${layout}.${field}: ${reason}: ${what}` },
  };
}

export function encodeError(layout: string, field: string, detail: string): { ok: false; error: EncodeError } {
  return { ok: false, error: { layout, field, reason: 'bad value', message: `${layout}.${field}: ${detail}` } };
}
