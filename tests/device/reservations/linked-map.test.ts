// LinkedMap behaves exactly like a Map whose delete-then-set moves a key to the end (the §9.1 list order of
// registrations), whatever the sequence of operations, including compaction after many deletes.
import fc from 'fast-check';
import { LinkedMap } from '../../../src/device/reservations/linked-map';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'delete'; key: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(20), value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.nat(20) }),
);

test('agrees with a plain Map on every sequence of set and delete (order, size, get, has)', () => {
  fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
    const model = new Map<number, number>();
    const m = new LinkedMap<number, number>();
    for (const o of ops) {
      if (o.kind === 'set') {
        model.set(o.key, o.value);
        m.set(o.key, o.value);
      } else {
        expect(m.delete(o.key)).toBe(model.delete(o.key));
      }
      expect(m.size).toBe(model.size);
    }
    expect([...m]).toEqual([...model]);
    expect([...m.keys()]).toEqual([...model.keys()]);
    expect([...m.values()]).toEqual([...model.values()]);
    for (let k = 0; k <= 20; k++) {
      expect(m.get(k)).toBe(model.get(k));
      expect(m.has(k)).toBe(model.has(k));
    }
  }));
});

test('setting a live key keeps its place; deleting and setting again moves it to the end', () => {
  const m = LinkedMap.from<string, number>([['a', 1], ['b', 2], ['c', 3]]);
  m.set('a', 10);
  expect([...m.keys()]).toEqual(['a', 'b', 'c']);
  m.delete('a');
  m.set('a', 11);
  expect([...m]).toEqual([['b', 2], ['c', 3], ['a', 11]]);
});

test('thousands of delete/set cycles of one key beside many live keys keep every answer right', () => {
  const m = new LinkedMap<number, number>();
  for (let i = 0; i < 2000; i++) m.set(i, i);
  for (let i = 0; i < 10_000; i++) {
    if (i % 2 === 0) m.set(-1, i);
    else m.delete(-1);
    if (i % 7 === 0) { m.delete(i % 2000); m.set(i % 2000, i); }
  }
  expect(m.size).toBe(2000);
  expect(m.has(-1)).toBe(false);
  expect(new Set(m.keys()).size).toBe(2000);
});
