// persistent-reservations.md, table by table, with several initiators. Expected values are transcribed
// from the spec here; the engine is only ever driven with real CDB and parameter-list bytes.

import fc from 'fast-check';
import { layouts } from '../../../src/codecs/layouts';
import { PersistentReservations } from '../../../src/device/reservations/persistent';
import { UnitAttentions } from '../../../src/device/unit-attentions';
import {
  CDBS, Lab, moveList, outcomeOf, paramList, prInCdb, prOutCdb, tidOf, type Outcome,
} from './helpers';

const K = { A: 0xaaaan, B: 0xbbbbn, C: 0xccccn, D: 0xddddn } as const;
const SA = { REGISTER: 0, RESERVE: 1, RELEASE: 2, CLEAR: 3, PREEMPT: 4, PREEMPT_AND_ABORT: 5, REGISTER_IGNORE: 6, MOVE: 7 } as const;
const TYPES = [1, 3, 5, 6, 7, 8] as const;
const AR = (t: number): boolean => t === 7 || t === 8;

/** A: holder (key A), B: registrant (key B), C: registrant (key C), U: unregistered. */
function reserved(type: number): Lab {
  const lab = new Lab();
  expect(lab.register('A', K.A)).toBe('GOOD');
  expect(lab.register('B', K.B)).toBe('GOOD');
  expect(lab.register('C', K.C)).toBe('GOOD');
  expect(lab.reserve('A', K.A, type)).toBe('GOOD');
  return lab;
}

function reservation(lab: Lab): { holder: string | null; type: number } | null {
  const r = lab.pr.snapshot().reservation;
  return r === null ? null : { holder: r.holder, type: r.type };
}

// ---------------------------------------------------------------------------------------------------
// §5 transcribed: [registered non-holder, unregistered] for each reservation-type column.
type Cell = readonly [reg: '✓' | '✗', unreg: '✓' | '✗'];
interface Row { readonly cdbs: readonly Uint8Array[]; readonly we: Cell; readonly ea: Cell; readonly weRoAr: Cell; readonly eaRoAr: Cell }
const ok: Cell = ['✓', '✓'];
const no: Cell = ['✗', '✗'];
const regOnly: Cell = ['✓', '✗'];
const prOut = (sa: number, type = 1): Uint8Array => prOutCdb(sa, type);
const TABLE_5: Record<string, Row> = {
  'READ(10), READ(16)': { cdbs: [CDBS.READ10, CDBS.READ16], we: ok, ea: no, weRoAr: ok, eaRoAr: regOnly },
  'WRITE(10), WRITE(16)': { cdbs: [CDBS.WRITE10, CDBS.WRITE16], we: no, ea: no, weRoAr: regOnly, eaRoAr: regOnly },
  'START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL': { cdbs: [CDBS.START_STOP_UNIT, CDBS.PREVENT_ALLOW], we: no, ea: no, weRoAr: regOnly, eaRoAr: regOnly },
  'TEST UNIT READY, INQUIRY, READ CAPACITY(10/16), PERSISTENT RESERVE IN': {
    cdbs: [CDBS.TEST_UNIT_READY, CDBS.INQUIRY, CDBS.READ_CAPACITY10, CDBS.READ_CAPACITY16, CDBS.PERSISTENT_RESERVE_IN],
    we: ok, ea: ok, weRoAr: ok, eaRoAr: ok,
  },
  'PR OUT REGISTER, REGISTER AND IGNORE EXISTING KEY': { cdbs: [prOut(0), prOut(6)], we: ok, ea: ok, weRoAr: ok, eaRoAr: ok },
  'PR OUT RESERVE': { cdbs: [prOut(1)], we: no, ea: no, weRoAr: regOnly, eaRoAr: regOnly },
  'PR OUT RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT': { cdbs: [prOut(2), prOut(3), prOut(4), prOut(5)], we: regOnly, ea: regOnly, weRoAr: regOnly, eaRoAr: regOnly },
  'PR OUT REGISTER AND MOVE': { cdbs: [prOut(7)], we: no, ea: no, weRoAr: no, eaRoAr: no },
};
function column(row: Row, type: number): Cell {
  return type === 1 ? row.we : type === 3 ? row.ea : type === 5 || type === 7 ? row.weRoAr : row.eaRoAr;
}

describe('§5 access while a persistent reservation exists (conflicts(), real CDB bytes)', () => {
  for (const type of TYPES) {
    for (const [name, row] of Object.entries(TABLE_5)) {
      const [reg, unreg] = column(row, type);
      // under 7/8 every registrant is a holder: the "reg" column is never consulted (§5 note)
      const regExpect = AR(type) ? '✓' : reg;
      it(`type ${type}: ${name} — holder ✓, registrant ${regExpect}, unregistered ${unreg}`, () => {
        const lab = reserved(type);
        for (const cdb of row.cdbs) {
          expect(lab.pr.conflicts('A', cdb)).toBe(false);
          expect(lab.pr.conflicts('B', cdb)).toBe(regExpect === '✗');
          expect(lab.pr.conflicts('U', cdb)).toBe(unreg === '✗');
        }
      });
    }
  }

  it('nothing conflicts without a reservation, registered or not', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    for (const row of Object.values(TABLE_5)) {
      for (const cdb of row.cdbs) {
        expect(lab.pr.conflicts('A', cdb)).toBe(false);
        expect(lab.pr.conflicts('U', cdb)).toBe(false);
      }
    }
  });

  it('PR OUT service actions ≥ 8 are not in the table: no conflict, §4.1 check 6 answers 24h/00h', () => {
    const lab = reserved(3);
    expect(lab.pr.conflicts('U', prOut(8))).toBe(false);
    expect(outcomeOf(lab.pr.out('U', prOut(8), paramList()))).toBe('5/24h/00h');
  });

  it('RESERVE/RELEASE(6/10) are left to crh() (§6)', () => {
    const lab = reserved(3);
    for (const op of [0x16, 0x17, 0x56, 0x57]) {
      const cdb = new Uint8Array(16);
      cdb[0] = op;
      expect(lab.pr.conflicts('U', cdb)).toBe(false);
    }
  });

  it('out() repeats check 2 itself: a ✗ PR OUT row answers RC even with a valid key', () => {
    const lab = reserved(1);
    // B is a registered non-holder under WE: RESERVE ✗ → RC before anything else
    expect(lab.out('B', SA.RESERVE, { rk: K.B, type: 1 })).toBe('RC');
    // U is unregistered: RELEASE ✗ → RC
    expect(lab.out('U', SA.RELEASE, { type: 1 })).toBe('RC');
    // REGISTER AND MOVE from a non-holder registrant: RC at check 2, even with a broken list
    expect(outcomeOf(lab.pr.out('B', prOutCdb(7, 0, 0, 10), new Uint8Array(10)))).toBe('RC');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§6 CRH: RESERVE/RELEASE(6/10) next to persistent reservations', () => {
  it('no registration at all → plain SPC-2', () => {
    expect(new Lab().pr.crh('X')).toBe('spc2');
  });
  it('registrations but no reservation → RC for everyone, registrants included', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    expect(lab.pr.crh('A')).toBe('conflict');
    expect(lab.pr.crh('U')).toBe('conflict');
  });
  for (const type of TYPES) {
    it(`type ${type}: holder no-op, registrant ${type >= 5 ? 'no-op' : 'conflict'}, unregistered conflict`, () => {
      const lab = reserved(type);
      expect(lab.pr.crh('A')).toBe('no-op');
      expect(lab.pr.crh('B')).toBe(type >= 5 ? 'no-op' : 'conflict');
      expect(lab.pr.crh('U')).toBe('conflict');
    });
  }
});

// ---------------------------------------------------------------------------------------------------
describe('§4.1 order of checks', () => {
  it('3: PARAMETER LIST LENGTH < 24 → 1Ah/00h', () => {
    const lab = new Lab();
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 23), new Uint8Array(23)))).toBe('5/1Ah/00h');
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 0), new Uint8Array(0)))).toBe('5/1Ah/00h');
  });
  it('3 (vdisk): a data-out buffer that differs from PARAMETER LIST LENGTH → 1Ah/00h', () => {
    const lab = new Lab();
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 24), new Uint8Array(23)))).toBe('5/1Ah/00h');
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 0xffffffff), paramList({ sark: 1n })))).toBe('5/1Ah/00h');
  });
  it('4 before 5: SPEC_I_PT with a 28-byte list → 26h/00h, not 1Ah/00h', () => {
    const lab = new Lab();
    const pl = new Uint8Array(28);
    pl.set(paramList({ sark: 1n, specIPt: true }));
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 28), pl))).toBe('5/26h/00h');
  });
  it('5: service action ≠ 7 with a list longer than 24 → 1Ah/00h', () => {
    const lab = new Lab();
    const pl = new Uint8Array(32);
    pl.set(paramList({ sark: 1n }));
    expect(outcomeOf(lab.pr.out('A', prOutCdb(0, 0, 0, 32), pl))).toBe('5/1Ah/00h');
  });
  it('6 before 7 and 8: REPLACE LOST RESERVATION and beyond → 24h/00h', () => {
    const lab = new Lab();
    for (const sa of [8, 9, 0x1f]) expect(lab.out('U', sa, { rk: 99n, type: 0 })).toBe('5/24h/00h');
  });
  it('7 before 8: invalid TYPE or SCOPE ≠ 0 on RESERVE/RELEASE/PREEMPT/PREEMPT AND ABORT → 24h/00h even with a wrong key', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    for (const sa of [1, 2, 4, 5]) {
      for (const type of [0, 2, 4, 9, 15]) expect(lab.out('A', sa, { rk: 12345n, sark: K.A, type })).toBe('5/24h/00h');
      for (const scope of [1, 2, 15]) expect(lab.out('A', sa, { rk: 12345n, sark: K.A, type: 1, scope })).toBe('5/24h/00h');
    }
  });
  it('7: TYPE and SCOPE are ignored by REGISTER, REGISTER AND IGNORE and CLEAR', () => {
    const lab = new Lab();
    expect(lab.out('A', SA.REGISTER, { sark: K.A, type: 0, scope: 2 })).toBe('GOOD');
    expect(lab.out('B', SA.REGISTER_IGNORE, { sark: K.B, type: 15, scope: 15 })).toBe('GOOD');
    expect(lab.out('A', SA.CLEAR, { rk: K.A, type: 9, scope: 1 })).toBe('GOOD');
  });
  it('8: registered with the wrong RK → RC; unregistered and not REGISTER → RC; unregistered REGISTER with RK ≠ 0 → RC', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    for (const sa of [0, 1, 2, 3, 4, 5]) expect(lab.out('A', sa, { rk: K.B, sark: K.C, type: 1 })).toBe('RC');
    for (const sa of [1, 2, 3, 4, 5]) expect(lab.out('U', sa, { rk: 0n, sark: K.A, type: 1 })).toBe('RC');
    expect(lab.out('U', SA.REGISTER, { rk: 1n, sark: K.C })).toBe('RC');
    expect(outcomeOf(lab.pr.out('U', prOutCdb(7, 0, 0, 48), moveList({ sark: 1n, tid: tidOf('X') })))).toBe('RC');
  });
  it('8: REGISTER AND IGNORE EXISTING KEY skips the key check', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    expect(lab.out('A', SA.REGISTER_IGNORE, { rk: 777n, sark: K.D })).toBe('GOOD');
    expect(lab.keys()).toEqual([K.D]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§4.2 REGISTER and REGISTER AND IGNORE EXISTING KEY', () => {
  for (const sa of [SA.REGISTER, SA.REGISTER_IGNORE]) {
    const name = sa === 0 ? 'REGISTER' : 'REGISTER AND IGNORE';
    it(`${name}: unregistered, SARK 0 → GOOD, nothing changes (no generation, APTPL untouched)`, () => {
      const lab = new Lab();
      lab.register('A', K.A, { aptpl: true });
      const before = lab.pr.snapshot();
      expect(lab.out('U', sa, { sark: 0n, aptpl: false })).toBe('GOOD');
      expect(lab.pr.snapshot()).toEqual(before);
      expect(lab.pr.needsCommit()).toBe(false);
    });
    it(`${name}: new registration appended, ALL_TG_PT recorded, generation +1, APTPL := bit`, () => {
      const lab = new Lab();
      expect(lab.out('A', sa, { sark: K.A, allTgPt: true, aptpl: true })).toBe('GOOD');
      expect(lab.out('B', sa, { sark: K.B })).toBe('GOOD');
      expect(lab.pr.snapshot()).toEqual({
        generation: 2, aptpl: false, reservation: null,
        registrations: [
          { initiator: 'A', key: '000000000000aaaa', allTgPt: true },
          { initiator: 'B', key: '000000000000bbbb', allTgPt: false },
        ],
      });
    });
    it(`${name}: key change keeps the place and the reservation; ALL_TG_PT of the change is ignored`, () => {
      const lab = reserved(1);
      expect(lab.out('A', sa, { rk: K.A, sark: K.D, allTgPt: true })).toBe('GOOD');
      expect(lab.keys()).toEqual([K.D, K.B, K.C]);
      expect(reservation(lab)).toEqual({ holder: 'A', type: 1 });
      expect(lab.pr.snapshot().registrations[0]!.allTgPt).toBe(false);
      expect(lab.pr.snapshot().generation).toBe(4);
    });
  }

  it('duplicate keys are accepted (no implementation rejects them)', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    expect(lab.register('B', K.A)).toBe('GOOD');
    expect(lab.keys()).toEqual([K.A, K.A]);
  });

  it('re-registering after unregister goes to the end of the list (§9.1)', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    lab.register('B', K.B);
    lab.out('A', SA.REGISTER, { rk: K.A, sark: 0n });
    lab.register('A', K.C);
    expect(lab.keys()).toEqual([K.B, K.C]);
  });
});

describe('§4.2.1 unregister', () => {
  for (const type of [1, 3] as const) {
    it(`holder of type ${type} unregisters: reservation released, nobody gets a unit attention`, () => {
      const lab = reserved(type);
      expect(lab.out('A', SA.REGISTER, { rk: K.A, sark: 0n })).toBe('GOOD');
      expect(reservation(lab)).toBeNull();
      for (const who of ['A', 'B', 'C', 'U']) expect(lab.uas(who)).toEqual([]);
      expect(lab.keys()).toEqual([K.B, K.C]);
    });
  }
  for (const type of [5, 6] as const) {
    it(`holder of type ${type} unregisters: released, every OTHER remaining registrant gets 2Ah/04h, not itself`, () => {
      const lab = reserved(type);
      expect(lab.out('A', SA.REGISTER_IGNORE, { sark: 0n })).toBe('GOOD');
      expect(reservation(lab)).toBeNull();
      expect(lab.uas('B')).toEqual(['2Ah/04h']);
      expect(lab.uas('C')).toEqual(['2Ah/04h']);
      expect(lab.uas('A')).toEqual([]);
      expect(lab.uas('U')).toEqual([]);
    });
  }
  for (const type of [7, 8] as const) {
    it(`type ${type}: the reservation stays while any registrant is left, goes with the last; no unit attentions`, () => {
      const lab = reserved(type);
      lab.out('A', SA.REGISTER, { rk: K.A, sark: 0n });
      expect(reservation(lab)).toEqual({ holder: null, type });
      lab.out('B', SA.REGISTER, { rk: K.B, sark: 0n });
      expect(reservation(lab)).toEqual({ holder: null, type });
      lab.out('C', SA.REGISTER, { rk: K.C, sark: 0n });
      expect(reservation(lab)).toBeNull();
      for (const who of ['A', 'B', 'C']) expect(lab.uas(who)).toEqual([]);
    });
  }
  it('a non-holder unregistering leaves the reservation alone', () => {
    const lab = reserved(5);
    lab.out('B', SA.REGISTER, { rk: K.B, sark: 0n });
    expect(reservation(lab)).toEqual({ holder: 'A', type: 5 });
    expect(lab.uas('C')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§4.3 RESERVE', () => {
  for (const type of TYPES) {
    it(`type ${type}: no reservation → holder with TYPE, no generation change, no unit attention`, () => {
      const lab = new Lab();
      lab.register('A', K.A);
      lab.register('B', K.B);
      const gen = lab.pr.snapshot().generation;
      expect(lab.reserve('A', K.A, type)).toBe('GOOD');
      expect(reservation(lab)).toEqual({ holder: AR(type) ? null : 'A', type });
      expect(lab.pr.snapshot().generation).toBe(gen);
      expect(lab.uas('B')).toEqual([]);
    });
    it(`type ${type}: holder again with the same TYPE → GOOD, no change; another TYPE → RC`, () => {
      const lab = reserved(type);
      const before = lab.pr.snapshot();
      expect(lab.reserve('A', K.A, type)).toBe('GOOD');
      expect(lab.pr.snapshot()).toEqual(before);
      const other = type === 1 ? 3 : 1;
      expect(lab.reserve('A', K.A, other)).toBe('RC');
      expect(lab.pr.snapshot()).toEqual(before);
    });
    it(`type ${type}: someone else holds it → RC (registrant B, same type${AR(type) ? ', but B is a holder under 7/8 → GOOD' : ''})`, () => {
      const lab = reserved(type);
      expect(lab.reserve('B', K.B, type)).toBe(AR(type) ? 'GOOD' : 'RC');
    });
  }
});

describe('§4.4 RELEASE', () => {
  it('no reservation → GOOD, no change', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    const before = lab.pr.snapshot();
    expect(lab.out('A', SA.RELEASE, { rk: K.A, type: 1 })).toBe('GOOD');
    expect(lab.pr.snapshot()).toEqual(before);
  });
  for (const type of TYPES) {
    it(`type ${type}: holder with the wrong TYPE → 5/26h/04h INVALID RELEASE OF PERSISTENT RESERVATION, nothing changes`, () => {
      const lab = reserved(type);
      const before = lab.pr.snapshot();
      const wrong = type === 3 ? 1 : 3;
      expect(lab.out('A', SA.RELEASE, { rk: K.A, type: wrong })).toBe('5/26h/04h');
      expect(lab.pr.snapshot()).toEqual(before);
    });
    it(`type ${type}: holder releases → registrations kept, generation unchanged, ${type >= 5 ? 'others get 2Ah/04h' : 'no unit attention'}`, () => {
      const lab = reserved(type);
      const gen = lab.pr.snapshot().generation;
      expect(lab.out('A', SA.RELEASE, { rk: K.A, type })).toBe('GOOD');
      expect(reservation(lab)).toBeNull();
      expect(lab.keys()).toEqual([K.A, K.B, K.C]);
      expect(lab.pr.snapshot().generation).toBe(gen);
      const expected = type >= 5 ? ['2Ah/04h'] : [];
      expect(lab.uas('B')).toEqual(expected);
      expect(lab.uas('C')).toEqual(expected);
      expect(lab.uas('A')).toEqual([]);
      expect(lab.uas('U')).toEqual([]);
    });
    if (!AR(type)) {
      it(`type ${type}: a registered non-holder's RELEASE → GOOD, no change`, () => {
        const lab = reserved(type);
        const before = lab.pr.snapshot();
        expect(lab.out('B', SA.RELEASE, { rk: K.B, type })).toBe('GOOD');
        expect(lab.pr.snapshot()).toEqual(before);
      });
    }
  }
  for (const type of [7, 8] as const) {
    it(`type ${type}: any registrant may release and the whole reservation goes; the others get 2Ah/04h`, () => {
      const lab = reserved(type);
      expect(lab.out('C', SA.RELEASE, { rk: K.C, type })).toBe('GOOD');
      expect(reservation(lab)).toBeNull();
      expect(lab.uas('A')).toEqual(['2Ah/04h']);
      expect(lab.uas('B')).toEqual(['2Ah/04h']);
      expect(lab.uas('C')).toEqual([]);
    });
  }
});

describe('§4.5 CLEAR', () => {
  for (const type of TYPES) {
    it(`type ${type}, from registrant B: everything removed, generation +1 once, APTPL off, others get 2Ah/03h`, () => {
      const lab = new Lab();
      lab.register('A', K.A);
      lab.register('B', K.B, { aptpl: true });
      lab.register('C', K.C, { aptpl: true });
      lab.reserve('A', K.A, type);
      const gen = lab.pr.snapshot().generation;
      expect(lab.out('B', SA.CLEAR, { rk: K.B })).toBe('GOOD');
      expect(lab.pr.snapshot()).toEqual({ generation: gen + 1, aptpl: false, registrations: [], reservation: null });
      expect(lab.pr.needsCommit()).toBe(true); // APTPL turned off (§8)
      expect(lab.uas('A')).toEqual(['2Ah/03h']);
      expect(lab.uas('C')).toEqual(['2Ah/03h']);
      expect(lab.uas('B')).toEqual([]);
      expect(lab.uas('U')).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
describe('§4.6 PREEMPT and PREEMPT AND ABORT', () => {
  for (const sa of [SA.PREEMPT, SA.PREEMPT_AND_ABORT]) {
    const n = sa === 4 ? 'PREEMPT' : 'PREEMPT AND ABORT';
    it(`${n} C: SARK 0 without an All-Registrants reservation → 26h/00h, nothing changes`, () => {
      for (const lab of [reserved(1), reserved(5), (() => { const l = new Lab(); l.register('B', K.B); return l; })()]) {
        const before = lab.pr.snapshot();
        expect(lab.out('B', sa, { rk: K.B, sark: 0n, type: 1 })).toBe('5/26h/00h');
        expect(lab.pr.snapshot()).toEqual(before);
      }
    });
    for (const type of [7, 8] as const) {
      it(`${n} D (type ${type}): SARK 0 → all others removed (2Ah/05h), caller holds the CDB's TYPE`, () => {
        const lab = reserved(type);
        const gen = lab.pr.snapshot().generation;
        expect(lab.out('B', sa, { rk: K.B, sark: 0n, type: 3 })).toBe('GOOD');
        expect(lab.keys()).toEqual([K.B]);
        expect(reservation(lab)).toEqual({ holder: 'B', type: 3 });
        expect(lab.uas('A')).toEqual(['2Ah/05h']);
        expect(lab.uas('C')).toEqual(['2Ah/05h']);
        expect(lab.uas('B')).toEqual([]);
        expect(lab.pr.snapshot().generation).toBe(gen + 1);
      });
    }
    it(`${n} B': SARK names no registration → RC, nothing changes`, () => {
      const lab = reserved(1);
      const before = lab.pr.snapshot();
      expect(lab.out('B', sa, { rk: K.B, sark: K.D, type: 1 })).toBe('RC');
      expect(lab.pr.snapshot()).toEqual(before);
    });
    for (const type of [1, 3, 5, 6] as const) {
      it(`${n} A (type ${type}): preempting the holder — holder removed (2Ah/05h), caller holds; same TYPE → no 2Ah/04h`, () => {
        const lab = reserved(type);
        const gen = lab.pr.snapshot().generation;
        expect(lab.out('B', sa, { rk: K.B, sark: K.A, type })).toBe('GOOD');
        expect(lab.keys()).toEqual([K.B, K.C]);
        expect(reservation(lab)).toEqual({ holder: 'B', type });
        expect(lab.uas('A')).toEqual(['2Ah/05h']);
        expect(lab.uas('C')).toEqual([]);
        expect(lab.uas('B')).toEqual([]);
        expect(lab.pr.snapshot().generation).toBe(gen + 1);
      });
      it(`${n} A (type ${type}): changing TYPE → remaining registrants except the caller get 2Ah/04h`, () => {
        const lab = reserved(type);
        const newType = type === 6 ? 8 : 6;
        expect(lab.out('B', sa, { rk: K.B, sark: K.A, type: newType })).toBe('GOOD');
        expect(reservation(lab)).toEqual({ holder: AR(newType) ? null : 'B', type: newType });
        expect(lab.uas('A')).toEqual(['2Ah/05h']);
        expect(lab.uas('C')).toEqual(['2Ah/04h']);
        expect(lab.uas('B')).toEqual([]);
      });
    }
    it(`${n} A: the holder preempting itself changes the type and keeps its registration`, () => {
      const lab = reserved(1);
      lab.register('D', K.A); // another registrant sharing the holder's key
      expect(lab.out('A', sa, { rk: K.A, sark: K.A, type: 3 })).toBe('GOOD');
      expect(reservation(lab)).toEqual({ holder: 'A', type: 3 });
      expect(lab.keys()).toEqual([K.A, K.B, K.C]);
      expect(lab.uas('D')).toEqual(['2Ah/05h']);
      expect(lab.uas('B')).toEqual(['2Ah/04h']);
      expect(lab.uas('A')).toEqual([]);
    });
    for (const type of [7, 8] as const) {
      it(`${n} E (type ${type}): SARK ≠ 0 removes those registrations, the reservation continues unchanged`, () => {
        const lab = reserved(type);
        expect(lab.out('B', sa, { rk: K.B, sark: K.C, type: 1 })).toBe('GOOD');
        expect(lab.keys()).toEqual([K.A, K.B]);
        expect(reservation(lab)).toEqual({ holder: null, type });
        expect(lab.uas('C')).toEqual(['2Ah/05h']);
        expect(lab.uas('A')).toEqual([]);
      });
    }
    it(`${n} B: SARK ≠ the holder's key removes those registrations, reservation and TYPE untouched`, () => {
      const lab = reserved(5);
      lab.register('D', K.C);
      expect(lab.out('B', sa, { rk: K.B, sark: K.C, type: 3 })).toBe('GOOD');
      expect(lab.keys()).toEqual([K.A, K.B]);
      expect(reservation(lab)).toEqual({ holder: 'A', type: 5 });
      expect(lab.uas('C')).toEqual(['2Ah/05h']);
      expect(lab.uas('D')).toEqual(['2Ah/05h']);
      expect(lab.uas('A')).toEqual([]);
    });
    it(`${n} B without a reservation; the caller's own registration is never removed (vdisk)`, () => {
      const lab = new Lab();
      lab.register('A', K.A);
      lab.register('B', K.A);
      const gen = lab.pr.snapshot().generation;
      expect(lab.out('A', sa, { rk: K.A, sark: K.A, type: 1 })).toBe('GOOD');
      expect(lab.pr.snapshot().registrations.map((r) => r.initiator)).toEqual(['A']);
      expect(reservation(lab)).toBeNull();
      expect(lab.uas('B')).toEqual(['2Ah/05h']);
      expect(lab.pr.snapshot().generation).toBe(gen + 1);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
describe('§4.7 REGISTER AND MOVE', () => {
  const move = (lab: Lab, who: string, f: Parameters<typeof moveList>[0]): Outcome => {
    const pl = moveList(f);
    return outcomeOf(lab.pr.out(who, prOutCdb(7, 0, 0, pl.length), pl));
  };
  it('moves the reservation: destination registered with SARK, caller keeps its registration, generation +1, no UA', () => {
    const lab = reserved(5);
    const gen = lab.pr.snapshot().generation;
    expect(move(lab, 'A', { rk: K.A, sark: K.D, tid: tidOf('N') })).toBe('GOOD');
    expect(reservation(lab)).toEqual({ holder: 'N', type: 5 });
    expect(lab.keys()).toEqual([K.A, K.B, K.C, K.D]);
    expect(lab.pr.snapshot().generation).toBe(gen + 1);
    for (const who of ['A', 'B', 'C', 'N']) expect(lab.uas(who)).toEqual([]);
  });
  it('UNREG = 1 removes the caller; an already registered destination keeps its place with the new key; APTPL := bit', () => {
    const lab = reserved(3);
    expect(move(lab, 'A', { rk: K.A, sark: K.D, unreg: true, aptpl: true, tid: tidOf('C') })).toBe('GOOD');
    expect(lab.pr.snapshot().registrations.map((r) => [r.initiator, r.key])).toEqual([['B', '000000000000bbbb'], ['C', '000000000000dddd']]);
    expect(reservation(lab)).toEqual({ holder: 'C', type: 3 });
    expect(lab.pr.snapshot().aptpl).toBe(true);
  });
  const bad: [string, Parameters<typeof moveList>[0], Outcome][] = [
    ['1 SARK = 0', { rk: K.A, sark: 0n, tid: tidOf('N') }, '5/26h/00h'],
    ['2 TRANSPORTID PARAMETER DATA LENGTH + 24 ≠ PARAMETER LIST LENGTH', { rk: K.A, sark: K.D, tid: tidOf('N'), tidLength: 20 }, '5/26h/00h'],
    ['3 RELATIVE TARGET PORT IDENTIFIER ≠ 1', { rk: K.A, sark: K.D, tid: tidOf('N'), rtpi: 2 }, '5/26h/00h'],
    ['4 a TransportID naming the caller', { rk: K.A, sark: K.D, tid: tidOf('A') }, '5/26h/00h'],
    ['4 a TransportID of another protocol (FC, 00h)', { rk: K.A, sark: K.D, tid: (() => { const t = tidOf('N'); t[0] = 0; return t; })() }, '5/26h/00h'],
    ['4 a name field shorter than 20 bytes', { rk: K.A, sark: K.D, tid: Uint8Array.from([5, 0, 0, 4, 0x4e, 0, 0, 0]) }, '5/26h/00h'],
    ['4 a name without its NUL', { rk: K.A, sark: K.D, tid: (() => { const t = tidOf('N'); t.fill(0x41, 4); return t; })() }, '5/26h/00h'],
  ];
  for (const [name, f, expected] of bad) {
    it(`step ${name} → ${expected}, nothing changes`, () => {
      const lab = reserved(1);
      const before = lab.pr.snapshot();
      expect(move(lab, 'A', f)).toBe(expected);
      expect(lab.pr.snapshot()).toEqual(before);
    });
  }
  it('step 5: no reservation → 24h/00h', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    expect(move(lab, 'A', { rk: K.A, sark: K.D, tid: tidOf('N') })).toBe('5/24h/00h');
  });
  for (const type of [7, 8] as const) {
    it(`step 6: type ${type} → RC (a registrant is a holder, but All-Registrants cannot move)`, () => {
      const lab = reserved(type);
      expect(move(lab, 'A', { rk: K.A, sark: K.D, tid: tidOf('N') })).toBe('RC');
    });
  }
  it('step 6: a registered non-holder → RC (already at §4.1 check 2)', () => {
    const lab = reserved(1);
    expect(move(lab, 'B', { rk: K.B, sark: K.D, tid: tidOf('N') })).toBe('RC');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§3 PRgeneration counts exactly', () => {
  it('+1 for state-changing REGISTER/REGISTER AND IGNORE, CLEAR, PREEMPT, PREEMPT AND ABORT, REGISTER AND MOVE; 0 for the rest', () => {
    const lab = new Lab();
    const gen = (): number => lab.pr.snapshot().generation;
    const steps: [() => Outcome, number][] = [
      [() => lab.register('A', K.A), 1],                                   // new registration
      [() => lab.out('U', SA.REGISTER, { sark: 0n }), 0],                  // no-op
      [() => lab.out('B', SA.REGISTER_IGNORE, { sark: K.B }), 1],          // new registration
      [() => lab.out('A', SA.REGISTER, { rk: K.A, sark: K.A }), 1],        // "key change" to the same key
      [() => lab.reserve('A', K.A, 1), 0],                                 // RESERVE
      [() => lab.reserve('A', K.A, 1), 0],                                 // RESERVE again
      [() => lab.out('A', SA.RELEASE, { rk: K.A, type: 1 }), 0],           // RELEASE
      [() => lab.in('A', 0).length === 0 ? 'RC' : 'GOOD', 0],              // PR IN
      [() => lab.out('A', SA.PREEMPT, { rk: K.A, sark: K.B, type: 1 }), 1],
      [() => lab.out('A', SA.PREEMPT, { rk: K.A, sark: 0n, type: 1 }), 0], // fails (C)
      [() => lab.out('A', SA.REGISTER, { rk: 5n, sark: 7n }), 0],          // fails (RC)
      [() => lab.register('B', K.B), 1],
      [() => lab.reserve('A', K.A, 3), 0],
      [() => outcomeOf(lab.pr.out('A', prOutCdb(7, 0, 0, 48), moveList({ rk: K.A, sark: K.C, tid: tidOf('C') }))), 1],
      [() => lab.out('B', SA.PREEMPT_AND_ABORT, { rk: K.B, sark: K.A, type: 3 }), 1],
      [() => lab.out('B', SA.CLEAR, { rk: K.B }), 1],
      [() => lab.register('A', K.A), 1],
      [() => lab.out('A', SA.REGISTER, { rk: K.A, sark: 0n }), 1],         // unregister: vdisk bumps
    ];
    for (const [step, delta] of steps) {
      const before = gen();
      step();
      expect(gen() - before).toBe(delta);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§9 PERSISTENT RESERVE IN data', () => {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  it('§9.1 READ KEYS: generation, ADDITIONAL LENGTH 8 × n, keys in list order', () => {
    const lab = new Lab();
    lab.register('A', 0x0102030405060708n);
    lab.register('B', 0xffffffffffffffffn);
    expect(hex(lab.in('X', 0))).toBe('00000002' + '00000010' + '0102030405060708' + 'ffffffffffffffff');
  });
  it('§9.2 READ RESERVATION: 8 bytes without, 24 with a reservation; key 0 under 7/8', () => {
    const lab = new Lab();
    lab.register('A', 0x1122n);
    expect(hex(lab.in('X', 1))).toBe('00000001' + '00000000');
    lab.reserve('A', 0x1122n, 6);
    expect(hex(lab.in('X', 1))).toBe('00000001' + '00000010' + '0000000000001122' + '00000000' + '00' + '06' + '0000');
    lab.out('A', SA.RELEASE, { rk: 0x1122n, type: 6 });
    lab.reserve('A', 0x1122n, 8);
    expect(hex(lab.in('X', 1))).toBe('00000001' + '00000010' + '0000000000000000' + '00000000' + '00' + '08' + '0000');
  });
  it('§9.3 REPORT CAPABILITIES: 00 08 15 90 EA 01 00 00, byte 3 91h while APTPL is active', () => {
    const lab = new Lab();
    expect(hex(lab.in('X', 2))).toBe('0008159' + '0ea010000');
    lab.register('A', K.A, { aptpl: true });
    expect(hex(lab.in('X', 2))).toBe('00081591ea010000');
  });
  it('§9.4 READ FULL STATUS: one descriptor per registration with R_HOLDER, TYPE/SCOPE, ALL_TG_PT, RTPI 1 and the TransportID', () => {
    const lab = new Lab();
    lab.register('host-a', 0xan, { allTgPt: true });
    lab.register('host-b', 0xbn);
    lab.reserve('host-b', 0xbn, 5);
    const tidA = '05000014' + Buffer.from('host-a').toString('hex') + '00'.repeat(14);
    const tidB = '05000014' + Buffer.from('host-b').toString('hex') + '00'.repeat(14);
    expect(hex(lab.in('X', 3))).toBe(
      '00000002' + '00000060'
      + '000000000000000a' + '00000000' + '02' + '00' + '00000000' + '0001' + '00000018' + tidA
      + '000000000000000b' + '00000000' + '01' + '05' + '00000000' + '0001' + '00000018' + tidB,
    );
  });
  it('§9.4 under types 7/8 every registrant is R_HOLDER with the type', () => {
    const lab = reserved(8);
    const d = lab.in('X', 3);
    const stride = 24 + 24;
    for (let i = 0; i < 3; i++) {
      expect(d[8 + i * stride + 12]! & 1).toBe(1);
      expect(d[8 + i * stride + 13]).toBe(0x08);
    }
  });
  it('truncation: min(ALLOCATION LENGTH, full) bytes, ADDITIONAL LENGTH always the full length, < header is not an error', () => {
    const lab = reserved(1);
    const full = lab.in('X', 0);
    for (const alloc of [0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 33, 1000]) {
      const d = lab.in('X', 0, alloc);
      expect(d.length).toBe(Math.min(alloc, 32));
      expect(Buffer.from(d).equals(Buffer.from(full.subarray(0, d.length)))).toBe(true);
    }
    const fs = lab.in('X', 3);
    expect(fs.length).toBe(8 + 3 * 48);
    for (const alloc of [0, 4, 8, 10, 30, 40, 56, 57, 100]) {
      const d = lab.in('X', 3, alloc);
      expect(Buffer.from(d).equals(Buffer.from(fs.subarray(0, Math.min(alloc, fs.length))))).toBe(true);
      if (alloc >= 8) expect(Buffer.from(d).readUInt32BE(4)).toBe(3 * 48);
    }
    expect(lab.in('X', 1, 10).length).toBe(10);
    expect([...lab.in('X', 2, 3)]).toEqual([0x00, 0x08, 0x15]);
  });
  it('the smaller of the CDB ALLOCATION LENGTH and the LU-given limit applies', () => {
    const lab = reserved(1);
    const o = lab.pr.in('X', prInCdb(0, 12), 1000);
    expect(o.ok && o.data?.length).toBe(12);
  });
  it('the data decodes with the codec layouts (layouts.md §3 PR_IN_*), truncated tails included', () => {
    const lab = reserved(6);
    lab.register('D', K.D, { allTgPt: true });
    const keys = layouts.PR_IN_READ_KEYS_DATA.decode(lab.in('X', 0));
    expect(keys.ok && keys.value).toEqual({ PRGENERATION: 4, ADDITIONAL_LENGTH: 32, RESERVATION_KEYS: [K.A, K.B, K.C, K.D] });
    const cut = layouts.PR_IN_READ_KEYS_DATA.decode(lab.in('X', 0, 20));
    expect(cut.ok && cut.value.RESERVATION_KEYS).toEqual([K.A]);
    const res = layouts.PR_IN_READ_RESERVATION_DATA.decode(lab.in('X', 1));
    expect(res.ok && res.value.RESERVATION_DESCRIPTOR.map((d) => [d.RESERVATION_KEY, d.TYPE, d.SCOPE])).toEqual([[K.A, 6, 0]]);
    const caps = layouts.PR_IN_REPORT_CAPABILITIES_DATA.decode(lab.in('X', 2));
    expect(caps.ok && caps.value).toMatchObject({
      LENGTH: 8, CRH: 1, SIP_C: 0, ATP_C: 1, PTPL_C: 1, RLR_C: 0, TMV: 1, ALLOW_COMMANDS: 1, PTPL_A: 0,
      WR_EX: 1, EX_AC: 1, WR_EX_RO: 1, EX_AC_RO: 1, WR_EX_AR: 1, EX_AC_AR: 1,
    });
    const full = lab.in('X', 3);
    let at = 8;
    const seen: [bigint, number, number, number][] = [];
    while (at < full.length) {
      const d = layouts.PR_IN_FULL_STATUS_DESCRIPTOR.decode(full, at);
      if (!d.ok) throw new Error(JSON.stringify(d.error));
      seen.push([d.value.RESERVATION_KEY, d.value.R_HOLDER, d.value.ALL_TG_PT, d.value.TYPE]);
      expect(d.value.RELATIVE_TARGET_PORT_IDENTIFIER).toBe(1);
      at += 24 + d.value.ADDITIONAL_DESCRIPTOR_LENGTH;
    }
    expect(at).toBe(full.length);
    expect(seen).toEqual([[K.A, 1, 0, 6], [K.B, 0, 0, 0], [K.C, 0, 0, 0], [K.D, 0, 1, 0]]);
  });
  it('service action ≥ 4 → 24h/00h', () => {
    const lab = new Lab();
    for (const sa of [4, 5, 0x1f]) expect(outcomeOf(lab.pr.in('X', prInCdb(sa), 100))).toBe('5/24h/00h');
  });
});

// ---------------------------------------------------------------------------------------------------
describe('§8 APTPL and power', () => {
  /** The LU's power-on with the store: restore(the committed section), then powerOn(). */
  function powerCycle(lab: Lab, committed: Uint8Array | undefined): void {
    expect(lab.pr.restore(committed)).toBe(true);
    lab.pr.powerOn();
  }
  it('APTPL on: registrations (order, keys, ALL_TG_PT) and the reservation are restored; generation 0', () => {
    const lab = new Lab();
    lab.register('A', K.A, { aptpl: true, allTgPt: true });
    lab.register('B', K.B, { aptpl: true });
    lab.reserve('B', K.B, 6);
    expect(lab.pr.needsCommit()).toBe(true);
    const committed = lab.pr.serialize();
    expect(committed).toBeDefined();
    const before = lab.pr.snapshot();
    powerCycle(lab, committed);
    expect(lab.pr.snapshot()).toEqual({ ...before, generation: 0 });
  });
  it('APTPL on, powerOn() alone keeps the state too (the state always equals the last commit)', () => {
    const lab = reserved(7);
    lab.register('D', K.D, { aptpl: true });
    const before = lab.pr.snapshot();
    lab.pr.powerOn();
    expect(lab.pr.snapshot()).toEqual({ ...before, generation: 0 });
  });
  it('APTPL off: everything is dropped, generation 0', () => {
    const lab = reserved(3);
    expect(lab.pr.serialize()).toBeUndefined();
    powerCycle(lab, undefined);
    expect(lab.pr.snapshot()).toEqual({ generation: 0, aptpl: false, registrations: [], reservation: null });
    const lab2 = reserved(3);
    lab2.pr.powerOn();
    expect(lab2.pr.snapshot()).toEqual({ generation: 0, aptpl: false, registrations: [], reservation: null });
  });
  it('APTPL turned off by a later REGISTER → nothing survives', () => {
    const lab = new Lab();
    lab.register('A', K.A, { aptpl: true });
    lab.register('B', K.B, { aptpl: false });
    expect(lab.pr.needsCommit()).toBe(true); // turning it off needs a commit
    expect(lab.pr.serialize()).toBeUndefined();
    lab.pr.powerOn();
    expect(lab.pr.snapshot().registrations).toEqual([]);
  });
  it('needsCommit: only after a GOOD, state-changing out while APTPL is or becomes active; the next out resets it', () => {
    const lab = new Lab();
    lab.register('A', K.A);
    expect(lab.pr.needsCommit()).toBe(false);
    lab.register('B', K.B, { aptpl: true });
    expect(lab.pr.needsCommit()).toBe(true);
    lab.reserve('A', K.A, 1); // a reservation change under APTPL
    expect(lab.pr.needsCommit()).toBe(true);
    lab.reserve('A', K.A, 1); // no-op
    expect(lab.pr.needsCommit()).toBe(false);
    lab.reserve('B', K.B, 1); // RC
    expect(lab.pr.needsCommit()).toBe(false);
  });
  it('a power loss during the commit: restore(old bytes) gives the old state, never a mix', () => {
    const lab = reserved(1);
    lab.out('A', SA.REGISTER, { rk: K.A, sark: K.A, aptpl: true }); // key "change", turns APTPL on
    const old = lab.pr.serialize();
    const oldSnap = lab.pr.snapshot();
    lab.out('B', SA.PREEMPT, { rk: K.B, sark: K.A, type: 3 }); // committed? power fails during the commit
    powerCycle(lab, old);
    expect(lab.pr.snapshot()).toEqual({ ...oldSnap, generation: 0 });
  });
  it('restore rejects bytes it cannot decode, leaving the empty state, and never throws', () => {
    const lab = reserved(5);
    lab.out('A', SA.REGISTER, { rk: K.A, sark: K.A, aptpl: true });
    const good = lab.pr.serialize()!;
    for (let cut = 0; cut < good.length; cut++) {
      expect(lab.pr.restore(good.subarray(0, cut))).toBe(false);
      expect(lab.pr.snapshot()).toEqual({ generation: 0, aptpl: false, registrations: [], reservation: null });
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200, size: 'max' }), (bytes) => {
      const pr = new PersistentReservations({ unitAttentions: new UnitAttentions() });
      pr.restore(bytes);
      return true;
    }));
  });
});

// ---------------------------------------------------------------------------------------------------
describe('every rejected PR command changes nothing', () => {
  it('property: random CDB and parameter-list bytes from registered and unregistered nexuses', () => {
    fc.assert(fc.property(
      fc.constantFrom(1, 3, 5, 6, 7, 8, 0),
      fc.constantFrom('A', 'B', 'U'),
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.oneof(fc.uint8Array({ maxLength: 64, size: 'max' }), fc.constant(paramList({ rk: K.B, sark: K.A }))),
      fc.boolean(),
      (type, who, cdbBytes, pl, matchLength) => {
        const lab = new Lab();
        lab.register('A', K.A, { aptpl: type === 5 });
        lab.register('B', K.B);
        if (type !== 0) lab.reserve('A', K.A, type);
        const cdb = Uint8Array.from(cdbBytes);
        cdb[0] = 0x5f;
        if (matchLength) {
          cdb[5] = 0; cdb[6] = 0; cdb[7] = pl.length >> 8; cdb[8] = pl.length & 0xff;
          cdb[1] &= 0x07; // service actions 0-7 reach their own rules
        }
        const before = lab.pr.snapshot();
        const uaBefore = lab.ua.snapshot();
        const o = lab.pr.out(who, cdb, pl);
        if (!o.ok) {
          expect(lab.pr.snapshot()).toEqual(before);
          expect(lab.ua.snapshot()).toEqual(uaBefore);
          expect(lab.pr.needsCommit()).toBe(false);
        }
        // PR IN never changes anything either
        const snap = lab.pr.snapshot();
        lab.pr.in(who, cdb.map((b, i) => (i === 0 ? 0x5e : b)), 0xffff);
        expect(lab.pr.snapshot()).toEqual(snap);
      },
    ), { numRuns: 3000 });
  });
});

// ---------------------------------------------------------------------------------------------------
// Cost growth with the number of registrations is measured in bench/ (issue 8), never by timed assertions.
describe('10,000 registered initiators', () => {
  it('registration, conflicts() on the read/write path, PREEMPT and PR IN give exact answers at scale', () => {
    const lab = new Lab();
    const n = 10_000;
    for (let i = 0; i < n; i++) expect(lab.register(`iqn.host-${i}`, BigInt(i + 1))).toBe('GOOD');
    expect(lab.reserve('iqn.host-0', 1n, 6)).toBe('GOOD');
    let conflicts = 0;
    for (let i = 0; i < 200_000; i++) {
      if (lab.pr.conflicts(i % 2 === 0 ? `iqn.host-${i % n}` : 'outsider', CDBS.WRITE10)) conflicts++;
    }
    expect(conflicts).toBe(100_000);
    // PREEMPT of one registrant and a key change: O(1)-ish, not O(n)
    for (let i = 1; i <= 1000; i++) {
      expect(lab.out(`iqn.host-${i}`, SA.REGISTER, { rk: BigInt(i + 1), sark: BigInt(i + 1 + n) })).toBe('GOOD');
    }
    expect(lab.out('iqn.host-1', SA.PREEMPT, { rk: BigInt(2 + n), sark: 5000n, type: 6 })).toBe('GOOD');
    const keys = lab.in('X', 0, 0xffff);
    expect(keys.length).toBe(0xffff);
    expect(Buffer.from(keys).readUInt32BE(4)).toBe(8 * (n - 1));
    const fs = lab.in('X', 3, 0xffff);
    expect(Buffer.from(fs).readUInt32BE(4)).toBe(lab.pr.fullStatusLength);
  });
});
