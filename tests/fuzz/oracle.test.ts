// The fuzz invariants over every IOCTL of the dispatch table, with the fixed CI seed (tests/setup), and the
// oracle's own ability to see a broken invariant.
import fc from 'fast-check';
import { fuzzCase, dispatchTargets, CAMPAIGN_SEQUENCES } from '../../src/fuzz/arbitraries';
import { runScenarioText } from '../../src/scenario/run';
import { statusName } from '../../src/codecs/ntstatus';
import { runCase } from '../../src/fuzz/oracle';
import { toScenario, type FuzzCase } from '../../src/fuzz/case';
import { IOCTL_STORAGE_MEDIA_REMOVAL, IOCTL_STORAGE_PERSISTENT_RESERVE_OUT } from '../../src/codecs/ioctl-codes';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('every IOCTL in the dispatch table keeps the invariants', () => {
  test.each(dispatchTargets().map((t) => [t.name]))('%s', (name) => {
    fc.assert(fc.property(fuzzCase({ only: [name], maxOps: 12 }), (c) => {
      const r = runCase(c, { checkState: true, checkDeterminism: true });
      if (r.violations.length > 0) throw new Error(`${JSON.stringify(r.violations[0], null, 1)}\n${toScenario(c)}`);
    }), { numRuns: Math.max(10, Math.floor(RUNS / 5)) });
  });
});

describe('mixed sequences over all codes, reads, writes, power and handles', () => {
  test('keep every invariant', () => {
    fc.assert(fc.property(fuzzCase(), (c) => {
      const r = runCase(c, { checkState: true, checkDeterminism: true });
      if (r.violations.length > 0) throw new Error(`${JSON.stringify(r.violations[0], null, 1)}\n${toScenario(c)}`);
    }), { numRuns: RUNS });
  });
});

describe('a case and its scenario file', () => {
  test('name the same handles: replaying toScenario gives the statuses, information and output of runCase', () => {
    // long sequences with closes, exits, reboots and stale handles (case.ts HandleTable)
    fc.assert(fc.property(fuzzCase(CAMPAIGN_SEQUENCES), (c) => {
      const r = runCase(c, { checkState: false });
      const replay = runScenarioText(toScenario(c));
      if (!replay.ok) throw new Error(JSON.stringify(replay));
      const requests = replay.results.filter((x) => x.op === 'ioctl' || x.op === 'read' || x.op === 'write');
      expect(requests.map((x) => [x.status, x.information, x.output]))
        .toEqual(r.results.map((x) => [statusName(x.status), x.information, x.output]));
    }), { numRuns: 8 });
  });
});

describe('the oracle itself', () => {
  const base: FuzzCase = { disk: { seed: 1 }, ops: [{ op: 'open', process: 'p0', initiator: 'host0', access: 0xc0000000 }] };

  test('a clean case reports every step and no violation', () => {
    const r = runCase({ ...base, ops: [...base.ops, { op: 'ioctl', handle: 0, code: IOCTL_STORAGE_MEDIA_REMOVAL, input: Uint8Array.of(1), outputLength: 0 }] });
    expect(r.violations).toEqual([]);
    expect(r.results).toEqual([{ target: 'IOCTL_STORAGE_MEDIA_REMOVAL', status: 0, information: 0, output: '' }]);
  });

  test('a status outside the spec list, a state change on failure and a throw are each reported', () => {
    // A disk whose snapshot changes on every read: any failing call then "changed state".
    const c: FuzzCase = { ...base, ops: [...base.ops, { op: 'ioctl', handle: 0, code: IOCTL_STORAGE_PERSISTENT_RESERVE_OUT, input: new Uint8Array(3), outputLength: 0 }] };
    const ok = runCase(c);
    expect(ok.violations).toEqual([]);
    const { VirtualDisk } = jest.requireActual('../../src/device/virtual-disk') as typeof import('../../src/device/virtual-disk');
    const snap = jest.spyOn(VirtualDisk.prototype, 'snapshot');
    let n = 0;
    snap.mockImplementation(function (this: InstanceType<typeof VirtualDisk>) { return { changing: n++ } as never; });
    const bad = runCase(c);
    expect(bad.violations.map((v) => v.invariant)).toEqual(['state']);
    // two failing requests in a row: the state after the first is the state before the second (taken once),
    // and a change during either is reported
    const twice = runCase({ ...c, ops: [...c.ops, c.ops[1]!] });
    snap.mockRestore();
    expect(twice.violations.map((v) => [v.invariant, v.step])).toEqual([['state', 1], ['state', 2]]);
    const thrower = jest.spyOn(VirtualDisk.prototype, 'execute').mockImplementation(() => { throw new Error('boom'); });
    const threw = runCase({ ...base, ops: [...base.ops, { op: 'read', handle: 0, lba: 0, sectors: 1 }] });
    thrower.mockRestore();
    expect(threw.violations).toMatchObject([{ invariant: 'threw', target: 'read', detail: 'Error: boom' }]);
  });
});
