// An insertion-ordered map that stays O(1) under delete/re-insert churn of the same key.
//
// Why not a plain Map: V8's Map keeps a deleted entry in its bucket chain until the next rehash, so a key
// that is deleted and set again over and over (a nexus that registers and unregisters, a reservation key
// that comes and goes) lengthens its chain by one entry each time. Measured here: alternating delete/set of
// one key next to 10,000 live keys costs ~16 µs per operation against ~60 ns next to 10 (bench/growth.ts,
// docs/performance.md). That made PR OUT REGISTER O(n) in the number of registrations.
//
// Here the Map from key to node is only ever *added to*: a delete unlinks the node from the order list and
// marks it dead, a later set revives it at the tail (persistent-reservations.md §9.1: re-registering goes to
// the end; changing the value of a live key keeps its place). Dead nodes are dropped by a rebuild once they
// outnumber the live ones (and 64), which is O(n) after at least n deletes: O(1) amortised, memory bounded.

interface Node<K, V> {
  readonly key: K;
  value: V;
  live: boolean;
  prev: Node<K, V> | undefined;
  next: Node<K, V> | undefined;
}

export class LinkedMap<K, V> implements ReadonlyMap<K, V> {
  private index = new Map<K, Node<K, V>>();
  private head: Node<K, V> | undefined;
  private tail: Node<K, V> | undefined;
  private live = 0;

  static from<K, V>(entries: Iterable<readonly [K, V]>): LinkedMap<K, V> {
    const m = new LinkedMap<K, V>();
    for (const [k, v] of entries) m.set(k, v);
    return m;
  }

  get size(): number {
    return this.live;
  }

  get(key: K): V | undefined {
    const n = this.index.get(key);
    return n !== undefined && n.live ? n.value : undefined;
  }

  has(key: K): boolean {
    const n = this.index.get(key);
    return n !== undefined && n.live;
  }

  /** A live key keeps its place; a new or deleted one goes to the end. */
  set(key: K, value: V): this {
    const n = this.index.get(key);
    if (n !== undefined && n.live) {
      n.value = value;
      return this;
    }
    const node: Node<K, V> = n ?? { key, value, live: true, prev: undefined, next: undefined };
    node.value = value;
    node.live = true;
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    if (n === undefined) this.index.set(key, node);
    this.live++;
    return this;
  }

  delete(key: K): boolean {
    const n = this.index.get(key);
    if (n === undefined || !n.live) return false;
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    n.live = false;
    n.prev = undefined;
    n.next = undefined;
    this.live--;
    const dead = this.index.size - this.live;
    if (dead > 64 && dead > this.live) this.compact();
    return true;
  }

  clear(): void {
    this.index = new Map();
    this.head = undefined;
    this.tail = undefined;
    this.live = 0;
  }

  private compact(): void {
    const index = new Map<K, Node<K, V>>();
    for (let n = this.head; n !== undefined; n = n.next) index.set(n.key, n);
    this.index = index;
  }

  *entries(): MapIterator<[K, V]> {
    for (let n = this.head; n !== undefined; n = n.next) yield [n.key, n.value];
  }

  *keys(): MapIterator<K> {
    for (let n = this.head; n !== undefined; n = n.next) yield n.key;
  }

  *values(): MapIterator<V> {
    for (let n = this.head; n !== undefined; n = n.next) yield n.value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (let n = this.head; n !== undefined; n = n.next) fn(n.value, n.key, this);
  }
}
