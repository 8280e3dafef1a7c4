// Stateful property: random sequences of writes, reads, commits, injected power losses and power-ups
// against a model written from the contract (block-store.ts), not from the implementation: a write is one
// step per sector, a commit is COMMIT_WRITE_STEPS steps and lands only if all of them do.
import fc from 'fast-check';
import { COMMIT_WRITE_STEPS, type BlockStore } from '../../../src/device/store';
import { FACTORIES, removeTmpRoot } from './store-factories';

afterAll(removeTmpRoot);

const SECTOR = 512;
const SECTORS = 16;
const MAX_RECORD = 64;

interface Model {
  /** first byte of every sector written (each write fills its sectors with one value) */
  sectors: number[];
  record: Uint8Array | null;
  generation: number;
  countdown: number | null;
  off: boolean;
}

type Real = BlockStore;

/** steps granted before the loss fires; mirrors the contract of armPowerLoss */
function take(m: Model, n: number): number {
  if (m.countdown === null) return n;
  const granted = Math.min(n, m.countdown);
  m.countdown -= granted;
  if (granted < n) {
    m.countdown = null;
    m.off = true;
  }
  return granted;
}

class WriteCommand implements fc.Command<Model, Real> {
  constructor(readonly lba: number, readonly count: number, readonly fill: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    const r = s.write(this.lba, new Uint8Array(this.count * SECTOR).fill(this.fill));
    if (m.off) {
      expect(r).toEqual(expect.objectContaining({ reason: 'power-lost' }));
      return;
    }
    const granted = take(m, this.count);
    for (let i = 0; i < granted; i++) m.sectors[this.lba + i] = this.fill;
    expect(r.ok).toBe(granted === this.count);
    if (!r.ok) expect(r.reason).toBe('power-lost');
    expect(s.poweredOff).toBe(m.off);
  }
  toString(): string {
    return `write(${this.lba}, ${this.count}, ${this.fill})`;
  }
}

class ReadCommand implements fc.Command<Model, Real> {
  constructor(readonly lba: number, readonly count: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    const out = new Uint8Array(this.count * SECTOR);
    const r = s.read(this.lba, this.count, out);
    if (m.off) {
      expect(r).toEqual(expect.objectContaining({ reason: 'power-lost' }));
      return;
    }
    expect(r).toEqual({ ok: true });
    for (let i = 0; i < this.count; i++) {
      const want = m.sectors[this.lba + i]!;
      expect({ lba: this.lba + i, first: out[i * SECTOR], last: out[i * SECTOR + SECTOR - 1] })
        .toEqual({ lba: this.lba + i, first: want, last: want });
    }
  }
  toString(): string {
    return `read(${this.lba}, ${this.count})`;
  }
}

class CommitCommand implements fc.Command<Model, Real> {
  constructor(readonly record: Uint8Array) {}
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    const r = s.commitMetadata(this.record);
    if (m.off) {
      expect(r).toEqual(expect.objectContaining({ reason: 'power-lost' }));
      return;
    }
    const granted = take(m, COMMIT_WRITE_STEPS);
    if (granted === COMMIT_WRITE_STEPS) {
      expect(r).toEqual({ ok: true });
      m.record = this.record.slice();
      m.generation += 1;
    } else {
      expect(r).toEqual(expect.objectContaining({ reason: 'power-lost' }));
    }
    expect(s.poweredOff).toBe(m.off);
    expect(s.loadMetadata()).toEqual(m.record);
  }
  toString(): string {
    return `commit([${Array.from(this.record).join(',')}])`;
  }
}

class ArmCommand implements fc.Command<Model, Real> {
  constructor(readonly afterWrites: number) {}
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    expect(s.armPowerLoss(this.afterWrites)).toEqual({ ok: true });
    m.countdown = this.afterWrites;
  }
  toString(): string {
    return `arm(${this.afterWrites})`;
  }
}

class DisarmCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    s.disarmPowerLoss();
    m.countdown = null;
  }
  toString(): string {
    return 'disarm';
  }
}

class PowerOnCommand implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  run(m: Model, s: Real): void {
    const r = s.powerOn();
    expect(r.ok).toBe(true);
    m.countdown = null;
    m.off = false;
    expect(s.poweredOff).toBe(false);
    expect(s.loadMetadata()).toEqual(m.record);
    expect(s.metadataGeneration).toBe(m.generation);
  }
  toString(): string {
    return 'powerOn';
  }
}

const range = fc.integer({ min: 0, max: SECTORS - 1 }).chain((lba) =>
  fc.tuple(fc.constant(lba), fc.integer({ min: 1, max: Math.min(4, SECTORS - lba) })));

const commands = [
  fc.tuple(range, fc.integer({ min: 1, max: 255 })).map(([[lba, count], fill]) => new WriteCommand(lba, count, fill)),
  range.map(([lba, count]) => new ReadCommand(lba, count)),
  fc.uint8Array({ maxLength: MAX_RECORD, size: 'max' }).map((r) => new CommitCommand(r)),
  fc.integer({ min: 0, max: 10 }).map((n) => new ArmCommand(n)),
  fc.constant(new DisarmCommand()),
  fc.constant(new PowerOnCommand()),
];

describe.each(FACTORIES)('model run: $name store', (factory) => {
  test('writes, commits, power losses and power-ups agree with the model', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        const store = factory.create({ sectorSize: SECTOR, sectors: SECTORS, maxMetadataBytes: MAX_RECORD });
        const model: Model = { sectors: new Array(SECTORS).fill(0), record: null, generation: 0, countdown: null, off: false };
        try {
          fc.modelRun(() => ({ model, real: store }), cmds);
          // finally: a power-up shows exactly what the model says survived
          new PowerOnCommand().run(model, store);
          new ReadCommand(0, SECTORS).run(model, store);
        } finally {
          store.close();
        }
      }),
      { numRuns: factory.name === 'image' ? 60 : 200 },
    );
  });
});
