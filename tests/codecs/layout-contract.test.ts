// Every declaration in src/codecs/layouts.ts against spec/data/layouts.json, read at test time (no size or
// offset retyped here): the same set of structures, sizes, alignments, field rows and padding; plus the
// round trip every fixed layout must satisfy on arbitrary bytes.
import fc from 'fast-check';
import { layouts } from '../../src/codecs/layouts';
import type { Layout } from '../../src/codecs/layout';
import { specJson } from '../support/spec';

interface JsonField { name: string; offset: number; size: number; type: string; bitOffset?: number; bitWidth?: number }
interface JsonLayout { name: string; size: number; alignment: number; family: string; fields: JsonField[]; padding: { offset: number; size: number }[] }

const spec = specJson<JsonLayout[]>('layouts');
const byName = layouts as Record<string, Layout<unknown>>;
const row = (f: { name: string; offset: number; size: number; bitOffset?: number; bitWidth?: number }) => ({
  name: f.name, offset: f.offset, size: f.size,
  ...(f.bitWidth !== undefined ? { bitOffset: f.bitOffset, bitWidth: f.bitWidth } : {}),
});

describe('layouts.ts declares exactly the structures of spec/data/layouts.json', () => {
  test('every json structure has a layout', () => {
    expect(spec.map((s) => s.name).filter((n) => !(n in byName))).toEqual([]);
  });
  test('no layout is missing from the json', () => {
    const names = new Set(spec.map((s) => s.name));
    expect(Object.keys(layouts).filter((n) => !names.has(n))).toEqual([]);
  });
  test('each layout is registered under its own name', () => {
    for (const [key, layout] of Object.entries(byName)) expect(layout.name).toBe(key);
  });
});

describe.each(spec.map((s) => [s.name, s] as const))('%s matches layouts.json', (name, s) => {
  const layout = byName[name]!;
  test('size and alignment', () => {
    expect({ size: layout.size, align: layout.align }).toEqual({ size: s.size, align: s.alignment });
  });
  test.each(s.fields.map((f) => [f.name, f] as const))('field %s: offset, size and bit position', (_n, f) => {
    expect(layout.fields.map(row)).toContainEqual(row(f));
  });
  test('no field row beyond the json table', () => {
    const names = new Set(s.fields.map((f) => f.name));
    expect(layout.fields.map((f) => f.name).filter((n) => !names.has(n))).toEqual([]);
  });
  test('padding', () => {
    expect(layout.padding).toEqual(s.padding);
  });
});

// A fixed layout decodes any buffer of its size and encodes the value back to the same bytes, except that
// padding comes back zero (layouts.md §0). Layouts with a variable part are covered in byte-vectors.
describe('decode then encode reproduces the bytes of every fixed layout', () => {
  const fixed = Object.entries(byName).filter(([, l]) => !l.varLeaf && !l.tailLeaf);
  test.each(fixed.map(([n, l]) => [n, l] as const))('%s', (_n, layout) => {
    fc.assert(fc.property(fc.uint8Array({ minLength: layout.size, maxLength: layout.size, size: 'max' }), (b) => {
      const d = layout.decode(b);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      const e = layout.encode(d.value as never);
      expect(e.ok).toBe(true);
      if (!e.ok) return;
      const expected = Uint8Array.from(b);
      for (const p of layout.padding) expected.fill(0, p.offset, p.offset + p.size);
      expect(Buffer.from(e.value).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    }), { numRuns: 50 });
  });
});

describe('decoding never reads past the buffer', () => {
  test.each(Object.entries(byName).map(([n, l]) => [n, l] as const))('%s: one byte short is a short error naming a field', (_n, layout) => {
    const r = layout.decode(new Uint8Array(layout.headerSize - 1));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ layout: layout.name, reason: 'short' });
  });
});
