// restructure 3.0.2 ships no TypeScript declarations (TOOLCHAIN.md). Only src/codecs/layout/reference.ts
// imports it, and only the few classes it needs are declared here.
declare module 'restructure' {
  export interface DecodeStream {
    buffer: Uint8Array;
    pos: number;
    length: number;
  }
  export interface EncodeStream {
    writeBuffer(buffer: Uint8Array): void;
  }
  export interface Type {
    decode(stream: DecodeStream, parent?: unknown): unknown;
    size(value?: unknown, parent?: unknown): number;
    encode?(stream: EncodeStream, value: unknown, parent?: unknown): void;
  }
  export class DecodeStream {
    constructor(buffer: Uint8Array);
  }
  export class Struct implements Type {
    constructor(fields?: Record<string, Type>);
    decode(stream: DecodeStream, parent?: unknown): unknown;
    fromBuffer(buffer: Uint8Array): unknown;
    size(value?: unknown, parent?: unknown): number;
  }
  export class Buffer implements Type {
    constructor(length: number | string);
    decode(stream: DecodeStream, parent?: unknown): unknown;
    size(value?: unknown, parent?: unknown): number;
  }
  export class Reserved implements Type {
    constructor(type: Type, count?: number);
    decode(stream: DecodeStream, parent?: unknown): unknown;
    size(value?: unknown, parent?: unknown): number;
  }
  export const uint8: Type;
  export const int8: Type;
  export const uint16le: Type;
  export const uint16be: Type;
  export const uint32le: Type;
  export const uint32be: Type;
  export const int32le: Type;
}
