// Properties every declared structure must have (issue 2 "Must show"), run over all of `layouts` with the
// generators derived from the declarations. Seeds are fixed by tests/setup/fast-check.ts.
import fc from 'fast-check';
import { layouts } from '../../src/codecs/layouts';
import type { Layout } from '../../src/codecs/layout';
import { validValue, validBuffer, fuzzBuffer } from '../../src/codecs/layout/generators';
import { referenceDecode } from '../../src/codecs/layout/reference';

const all = Object.values(layouts) as Layout<unknown>[];
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const RUNS = { numRuns: 60 };

function fixedPart(layout: Layout<unknown>, value: unknown): unknown {
  const out = { ...(value as Record<string, unknown>) };
  for (const l of layout.leaves) if (l.kind === 'varBytes' || l.kind === 'tail') delete out[l.path[0]!];
  return out;
}

describe.each(all.map((l) => [l.name, l] as const))('%s', (_name, layout) => {
  test('encode then decode is the identity on valid values, and re-encoding gives the same bytes', () => {
    fc.assert(fc.property(validValue(layout), (v) => {
      const e = layout.encode(v);
      expect(e.ok).toBe(true);
      if (!e.ok) return;
      const d = layout.decode(e.value);
      expect(d.ok).toBe(true);
      if (!d.ok) return;
      expect(d.value).toMatchObject(v as object);
      const again = layout.encode(d.value as never);
      expect(again.ok && hex(again.value)).toBe(hex(e.value));
    }), RUNS);
  });

  test('the compiled decoder agrees with restructure on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: layout.size, maxLength: layout.size + 4 }), fc.nat(4), (b, shift) => {
      const at = Math.min(shift, b.length - layout.size);
      const d = layout.decode(b, at);
      if (!d.ok) {
        // only an ANYSIZE part may make a buffer holding the fixed structure too short
        expect(layout.varLeaf).toBeDefined();
        return;
      }
      expect(fixedPart(layout, d.value)).toEqual(referenceDecode(layout, b, at));
    }), RUNS);
  });

  test('every truncated prefix of a valid buffer decodes to a value or a short error, never a throw', () => {
    fc.assert(fc.property(validBuffer(layout), ({ bytes }) => {
      for (let n = 0; n <= bytes.length; n++) {
        const r = layout.decode(bytes.subarray(0, n));
        if (n < layout.headerSize) expect(r).toMatchObject({ ok: false, error: { reason: 'short', layout: layout.name } });
        else if (!r.ok) expect(['short', 'overflow']).toContain(r.error.reason);
      }
    }), { numRuns: 15 });
  });

  test('fuzz buffers and random start offsets never throw; offsets near 2^32 are rejected', () => {
    fc.assert(fc.property(fuzzBuffer(layout), fc.oneof(fc.nat(64), fc.integer({ min: 0xfffffff0, max: 0xffffffff })), (g, at) => {
      const r = layout.decode(g.bytes, at);
      if (at > g.bytes.length) expect(r).toMatchObject({ ok: false, error: { reason: 'out-of-range offset' } });
      if (!r.ok) expect(r.error.message).toContain(layout.name);
    }), RUNS);
  });
});
