// Model-based test (fc.commands + fc.modelRun): random PR OUT (every service action, keys from a small
// pool so collisions happen, types 0-9, scopes 0-2), PR IN, reads/writes through conflicts(), CRH and
// power-on from 2-4 initiators, checked against a small reference model written here from
// persistent-reservations.md alone — plain arrays and filters, nothing imported from the engine.

import fc from 'fast-check';
import { Lab, moveList, outcomeOf, paramList, prInCdb, prOutCdb, tidOf, CDBS, type Outcome } from './helpers';

const NAMES = ['iqn.a', 'iqn.b', 'iqn.c', 'iqn.d'] as const;
const KEYS = [0n, 1n, 2n, 3n] as const;

// ---------------------------------------------------------------------------------------------------
// The reference model.

interface MReg { who: string; key: bigint; atp: boolean }
interface Model {
  n: number;
  regs: MReg[];
  /** holder '*' = all registrants (types 7, 8) */
  res: { holder: string; type: number } | null;
  gen: number;
  aptpl: boolean;
  uas: Record<string, string[]>;
  commitDue: boolean;
}

const VALID_TYPES = [1, 3, 5, 6, 7, 8];
const allRegistrants = (t: number): boolean => t === 7 || t === 8;

function isHolder(m: Model, who: string): boolean {
  if (m.res === null) return false;
  return m.res.holder === '*' ? m.regs.some((r) => r.who === who) : m.res.holder === who;
}

function ua(m: Model, whom: string[], code: string): void {
  for (const w of whom) {
    const q = (m.uas[w] ??= []);
    if (!q.includes(code)) q.push(code);
  }
}

interface OutSpec {
  who: string; sa: number; type: number; scope: number; rk: bigint; sark: bigint;
  aptpl: boolean; atp: boolean; specIPt: boolean; pll: number;
  // REGISTER AND MOVE
  unreg: boolean; rtpi: number; dest: string | 'garbage'; tidLen: number;
}

/** §4: returns the outcome; changes `m` only on success. */
function modelOut(m: Model, c: OutSpec): Outcome {
  const { who, sa, type } = c;
  const me = m.regs.find((r) => r.who === who);
  const others = (): string[] => m.regs.filter((r) => r.who !== who).map((r) => r.who);
  const t = m.res?.type ?? 0;
  // §4.1 check 2 — §5's PR OUT rows for a non-holder
  if (m.res !== null && !isHolder(m, who)) {
    const blocked = sa === 1 ? !(me && t >= 5) : sa >= 2 && sa <= 5 ? !me : sa === 7;
    if (blocked) return 'RC';
  }
  if (c.pll < 24) return '5/1Ah/00h';
  if (sa !== 7 && c.specIPt) return '5/26h/00h';
  if (sa !== 7 && c.pll !== 24) return '5/1Ah/00h';
  if (sa >= 8) return '5/24h/00h';
  if ([1, 2, 4, 5].includes(sa) && (!VALID_TYPES.includes(type) || c.scope !== 0)) return '5/24h/00h';
  if (sa !== 6) {
    if (me && c.rk !== me.key) return 'RC';
    if (!me && (sa !== 0 || c.rk !== 0n)) return 'RC';
  }
  const newRes = { holder: allRegistrants(type) ? '*' : who, type };
  const wasAptpl = m.aptpl;
  const done = (aptpl = m.aptpl): Outcome => {
    m.aptpl = aptpl;
    m.commitDue = wasAptpl || aptpl;
    return 'GOOD';
  };
  switch (sa) {
    case 0: case 6:
      if (!me) {
        if (c.sark === 0n) return 'GOOD';
        m.regs.push({ who, key: c.sark, atp: c.atp });
      } else if (c.sark !== 0n) {
        me.key = c.sark;
      } else {
        m.regs = m.regs.filter((r) => r.who !== who);
        if (m.res?.holder === who) {
          if (t === 5 || t === 6) ua(m, others(), '2Ah/04h');
          m.res = null;
        } else if (m.res?.holder === '*' && m.regs.length === 0) {
          m.res = null;
        }
      }
      m.gen++;
      return done(c.aptpl);
    case 1:
      if (m.res === null) { m.res = newRes; return done(); }
      return isHolder(m, who) && t === type ? 'GOOD' : 'RC';
    case 2:
      if (m.res === null || !isHolder(m, who)) return 'GOOD';
      if (t !== type) return '5/26h/04h';
      if (t >= 5) ua(m, others(), '2Ah/04h');
      m.res = null;
      return done();
    case 3: {
      const told = others();
      m.regs = [];
      m.res = null;
      m.gen++;
      ua(m, told, '2Ah/03h');
      return done(false);
    }
    case 4: case 5: {
      if (c.sark === 0n) {
        if (m.res?.holder !== '*') return '5/26h/00h';
        const removed = others();
        m.regs = m.regs.filter((r) => r.who === who);
        m.res = newRes;
        ua(m, removed, '2Ah/05h');
        m.gen++;
        return done();
      }
      if (!m.regs.some((r) => r.key === c.sark)) return 'RC';
      const holderKey = m.res !== null && m.res.holder !== '*' ? m.regs.find((r) => r.who === m.res!.holder)!.key : undefined;
      const removed = m.regs.filter((r) => r.key === c.sark && r.who !== who).map((r) => r.who);
      m.regs = m.regs.filter((r) => !removed.includes(r.who));
      ua(m, removed, '2Ah/05h');
      if (holderKey === c.sark) {
        m.res = newRes;
        if (type !== t) ua(m, others(), '2Ah/04h');
      }
      m.gen++;
      return done();
    }
    default: { // 7 REGISTER AND MOVE
      if (c.sark === 0n || c.tidLen + 24 !== c.pll || c.rtpi !== 1 || c.dest === 'garbage' || c.dest === who) return '5/26h/00h';
      if (m.res === null) return '5/24h/00h';
      if (m.res.holder !== who) return 'RC';
      const dest = m.regs.find((r) => r.who === c.dest);
      if (dest) dest.key = c.sark;
      else m.regs.push({ who: c.dest, key: c.sark, atp: false });
      m.res = { holder: c.dest, type: t };
      if (c.unreg) m.regs = m.regs.filter((r) => r.who !== who);
      m.gen++;
      return done(c.aptpl);
    }
  }
}

function be(n: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}
function be64(k: bigint): number[] {
  const out: number[] = [];
  for (let i = 7; i >= 0; i--) out.push(Number((k >> BigInt(8 * i)) & 0xffn));
  return out;
}

/** §9: the full PR IN data, before truncation. */
function modelIn(m: Model, sa: number): number[] | undefined {
  const header = (len: number): number[] => [...be(m.gen, 4), ...be(len, 4)];
  switch (sa) {
    case 0: return [...header(8 * m.regs.length), ...m.regs.flatMap((r) => be64(r.key))];
    case 1: {
      if (m.res === null) return header(0);
      const key = m.res.holder === '*' ? 0n : m.regs.find((r) => r.who === m.res!.holder)!.key;
      return [...header(16), ...be64(key), 0, 0, 0, 0, 0, m.res.type, 0, 0];
    }
    case 2: return [0, 8, 0x15, 0x90 | (m.aptpl ? 1 : 0), 0xea, 0x01, 0, 0];
    case 3: {
      const descs = m.regs.flatMap((r) => {
        const h = isHolder(m, r.who);
        const tid = [...tidOf(r.who)];
        return [...be64(r.key), 0, 0, 0, 0, (h ? 1 : 0) | (r.atp ? 2 : 0), h ? m.res!.type : 0, 0, 0, 0, 0, 0, 1, ...be(tid.length, 4), ...tid];
      });
      return [...header(descs.length), ...descs];
    }
    default: return undefined;
  }
}

type Access = 'READ' | 'WRITE' | 'MEDIUM' | 'ALWAYS';
/** §5 for a non-holder, written as a table lookup. */
function modelConflicts(m: Model, who: string, access: Access): boolean {
  if (m.res === null || isHolder(m, who) || access === 'ALWAYS') return false;
  const reg = m.regs.some((r) => r.who === who);
  const t = m.res.type;
  if (access === 'READ') return t === 3 || ((t === 6 || t === 8) && !reg);
  return t === 1 || t === 3 || !reg; // WRITE and MEDIUM (START STOP / PREVENT ALLOW) alike
}

function modelCrh(m: Model, who: string): string {
  if (isHolder(m, who)) return 'no-op';
  if (m.res !== null && m.res.type >= 5 && m.regs.some((r) => r.who === who)) return 'no-op';
  return m.regs.length > 0 ? 'conflict' : 'spc2';
}

function modelSnapshot(m: Model): unknown {
  return {
    generation: m.gen,
    aptpl: m.aptpl,
    registrations: m.regs.map((r) => ({ initiator: r.who, key: r.key.toString(16).padStart(16, '0'), allTgPt: r.atp })),
    reservation: m.res === null ? null : { holder: m.res.holder === '*' ? null : m.res.holder, type: m.res.type, scope: 0 },
  };
}

// ---------------------------------------------------------------------------------------------------
// The system under test, driven like the LU drives it (commit when asked; restore + powerOn at power-on).

interface Real { lab: Lab; committed: Uint8Array | undefined }

function compare(m: Model, r: Real): void {
  expect(r.lab.pr.snapshot()).toEqual(modelSnapshot(m));
  for (const who of NAMES.slice(0, m.n)) expect(r.lab.uas(who)).toEqual(m.uas[who] ?? []);
}

const who = (m: { n: number }, i: number): string => NAMES[i % m.n]!;

class OutCommand implements fc.Command<Model, Real> {
  constructor(
    readonly whoIdx: number, readonly sa: number, readonly type: number, readonly scope: number,
    readonly rkOwn: boolean, readonly rk: bigint, readonly sark: bigint,
    readonly aptpl: boolean, readonly atp: boolean, readonly specIPt: boolean,
    readonly badLength: number | undefined,
    readonly unreg: boolean, readonly rtpi: number, readonly destIdx: number | 'garbage',
  ) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const w = who(m, this.whoIdx);
    const rk = this.rkOwn ? (m.regs.find((x) => x.who === w)?.key ?? 0n) : this.rk;
    const dest = this.destIdx === 'garbage' ? 'garbage' : who(m, this.destIdx);
    let pl: Uint8Array;
    let tidLen = 0;
    if (this.sa === 7) {
      const tid = dest === 'garbage' ? Uint8Array.from([0x05, 0, 0, 20, ...new Array<number>(20).fill(0x41)]) : tidOf(dest);
      tidLen = tid.length;
      pl = moveList({ rk, sark: this.sark, aptpl: this.aptpl, unreg: this.unreg, rtpi: this.rtpi, tid });
    } else {
      pl = paramList({ rk, sark: this.sark, aptpl: this.aptpl, allTgPt: this.atp, specIPt: this.specIPt });
    }
    if (this.badLength !== undefined) {
      const resized = new Uint8Array(this.badLength);
      resized.set(pl.subarray(0, this.badLength));
      pl = resized;
    }
    const spec: OutSpec = {
      who: w, sa: this.sa, type: this.type, scope: this.scope, rk, sark: this.sark, aptpl: this.aptpl, atp: this.atp,
      specIPt: this.specIPt, pll: pl.length, unreg: this.unreg, rtpi: this.rtpi, dest, tidLen,
    };
    const before = r.lab.pr.snapshot();
    m.commitDue = false;
    const expected = modelOut(m, spec);
    const got = outcomeOf(r.lab.pr.out(w, prOutCdb(this.sa, this.type, this.scope, pl.length), pl));
    expect(got).toBe(expected);
    if (got !== 'GOOD') expect(r.lab.pr.snapshot()).toEqual(before); // a failing PR OUT changes nothing
    expect(r.lab.pr.needsCommit()).toBe(m.commitDue);
    if (r.lab.pr.needsCommit()) r.committed = r.lab.pr.serialize();
    compare(m, r);
  }
  toString(): string {
    return `out(${this.whoIdx}, sa=${this.sa}, type=${this.type}, scope=${this.scope}, rk=${this.rkOwn ? 'own' : this.rk}, sark=${this.sark}, aptpl=${this.aptpl}, spec=${this.specIPt}, len=${this.badLength}, unreg=${this.unreg}, rtpi=${this.rtpi}, dest=${this.destIdx})`;
  }
}

class InCommand implements fc.Command<Model, Real> {
  constructor(readonly whoIdx: number, readonly sa: number, readonly alloc: number) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const full = modelIn(m, this.sa);
    const o = r.lab.pr.in(who(m, this.whoIdx), prInCdb(this.sa, this.alloc), this.alloc);
    if (full === undefined) {
      expect(outcomeOf(o)).toBe('5/24h/00h');
    } else {
      expect(o.ok).toBe(true);
      expect([...(o.ok ? o.data ?? [] : [])]).toEqual(full.slice(0, this.alloc));
    }
    compare(m, r);
  }
  toString(): string { return `in(${this.whoIdx}, sa=${this.sa}, alloc=${this.alloc})`; }
}

const ACCESS: Record<string, [Uint8Array, Access]> = {
  READ10: [CDBS.READ10, 'READ'], READ16: [CDBS.READ16, 'READ'],
  WRITE10: [CDBS.WRITE10, 'WRITE'], WRITE16: [CDBS.WRITE16, 'WRITE'],
  START_STOP_UNIT: [CDBS.START_STOP_UNIT, 'MEDIUM'], PREVENT_ALLOW: [CDBS.PREVENT_ALLOW, 'MEDIUM'],
  TEST_UNIT_READY: [CDBS.TEST_UNIT_READY, 'ALWAYS'], READ_CAPACITY16: [CDBS.READ_CAPACITY16, 'ALWAYS'],
};

class AccessCommand implements fc.Command<Model, Real> {
  constructor(readonly whoIdx: number, readonly name: string) {}
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    const w = who(m, this.whoIdx);
    const [cdb, access] = ACCESS[this.name]!;
    expect(r.lab.pr.conflicts(w, cdb)).toBe(modelConflicts(m, w, access));
    expect(r.lab.pr.crh(w)).toBe(modelCrh(m, w));
  }
  toString(): string { return `access(${this.whoIdx}, ${this.name})`; }
}

class PowerOnCommand implements fc.Command<Model, Real> {
  check(): boolean { return true; }
  run(m: Model, r: Real): void {
    // §8: APTPL keeps registrations and reservation; otherwise all gone; generation 0 either way;
    // scsi-device.md §6: every nexus gets 29h/00h, replacing everything pending
    if (!m.aptpl) { m.regs = []; m.res = null; }
    m.gen = 0;
    for (const w of NAMES.slice(0, m.n)) m.uas[w] = ['29h/00h'];
    r.lab.ua.powerOn();
    expect(r.lab.pr.restore(r.committed)).toBe(true);
    r.lab.pr.powerOn();
    compare(m, r);
  }
  toString(): string { return 'powerOn()'; }
}

const idx = fc.nat({ max: 3 });
const key = fc.constantFrom(...KEYS);
const outCommand = fc.record({
  whoIdx: idx,
    sa: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(0, 6) }, // registrations first, so the other actions get past check 8
      { weight: 2, arbitrary: fc.constant(1) }, // RESERVE, so that reservations of every type exist
      { weight: 8, arbitrary: fc.nat({ max: 7 }) },
      { weight: 1, arbitrary: fc.constantFrom(8, 9) },
    ),
    type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 3, 5, 6, 7, 8) }, { weight: 1, arbitrary: fc.nat({ max: 9 }) }),
    scope: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat({ max: 2 }) }),
    // mostly the caller's own key, so that sequences get past §4.1 check 8 and reach the actions
    rkOwn: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    rk: key,
    sark: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(1n, 2n, 3n) }, { weight: 1, arbitrary: fc.constant(0n) }),
    aptpl: fc.boolean(), atp: fc.boolean(),
    specIPt: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    badLength: fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(0, 23, 25, 28) }),
    unreg: fc.boolean(),
    rtpi: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }),
    destIdx: fc.oneof({ weight: 5, arbitrary: idx }, { weight: 1, arbitrary: fc.constant('garbage' as const) }),
}).map((c) => new OutCommand(c.whoIdx, c.sa, c.type, c.scope, c.rkOwn, c.rk, c.sark, c.aptpl, c.atp, c.specIPt, c.badLength, c.unreg, c.rtpi, c.destIdx));
// fc.commands picks uniformly among the arbitraries: listing one several times weights it
const commands = [
  outCommand, outCommand, outCommand, outCommand,
  fc.tuple(idx, fc.nat({ max: 4 }), fc.constantFrom(0, 4, 8, 12, 16, 24, 40, 60, 0xffff)).map(([w, sa, a]) => new InCommand(w, sa, a)),
  fc.tuple(idx, fc.constantFrom(...Object.keys(ACCESS))).map(([w, n]) => new AccessCommand(w, n)),
  fc.tuple(idx, fc.constantFrom(...Object.keys(ACCESS))).map(([w, n]) => new AccessCommand(w, n)),
  fc.constant(new PowerOnCommand()),
];

describe('persistent reservations against a reference model (fc.commands)', () => {
  it('random PR OUT / PR IN / access / power-on sequences from 2-4 initiators match the model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.commands(commands, { maxCommands: 50, size: 'max' }), (n, cmds) => {
        const setup = (): { model: Model; real: Real } => ({
          model: { n, regs: [], res: null, gen: 0, aptpl: false, uas: {}, commitDue: false },
          real: { lab: new Lab(), committed: undefined },
        });
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 300 },
    );
  });
});
