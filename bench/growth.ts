// Cost growth (issue 8): ns per operation as the state grows, each size against the smallest in the same
// process (the baseline column is size 1 / 1 MiB, re-measured interleaved). Flat means ratio ≈ 1; the spec
// allows logarithmic at most for these (O(1) conflict check and registration, READ KEYS building only what
// is returned, a band lookup by binary search, a sparse store).
import { compare, type Comparison } from './harness';
import { CODE, expectOk, prInInput, prOutInput, rig, type Rig } from './common';
import { createBandInput } from './dispatch';

const GROWTH_GOAL = 2; // "flat or logarithmic": ≤ 2× the smallest size at 10,000× the state

interface Sized { readonly size: number; readonly fn: (i: number) => unknown }

function series(name: string, unit: string, sizes: readonly number[], build: (size: number) => (i: number) => unknown, opts: { ops: number; rounds: number; warmup: number }): Comparison[] {
  const made: Sized[] = sizes.map((size) => ({ size, fn: build(size) }));
  const base = made[0]!;
  return made.slice(1).map((s) => {
    const r = compare(`growth ${name}: ${s.size.toLocaleString('en-US')} ${unit} vs ${base.size.toLocaleString('en-US')}`,
      { name: `n=${s.size}`, fn: s.fn }, { name: `n=${base.size}`, fn: base.fn }, opts);
    return { ...r, goal: `≤ ${GROWTH_GOAL}× (flat/log)`, met: r.ratio <= GROWTH_GOAL };
  });
}

/** A disk where `n` initiators (host0 … host{n-1}) are registered, host0 holding Write Exclusive – Registrants Only. */
function registered(n: number): Rig & { handles: number[] } {
  const r = rig();
  const handles = [r.h];
  expectOk('REGISTER host0', r.host.deviceIoControl(r.h, CODE.PR_OUT, prOutInput(0, 0, 0n, 1n), 0).status);
  for (let i = 1; i < n; i++) {
    const h = r.host.open({ initiator: `host${i}` });
    handles.push(h);
    expectOk(`REGISTER host${i}`, r.host.deviceIoControl(h, CODE.PR_OUT, prOutInput(0, 0, 0n, BigInt(i + 1)), 0).status);
  }
  expectOk('RESERVE', r.host.deviceIoControl(r.h, CODE.PR_OUT, prOutInput(1, 5, 1n, 0n), 0).status);
  return { ...r, handles };
}

export function runGrowthBenchmarks(quick = false): Comparison[] {
  const opts = quick ? { ops: 2_000, rounds: 3, warmup: 2_000 } : { ops: 50_000, rounds: 7, warmup: 20_000 };
  const ioOpts = quick ? { ops: 500, rounds: 3, warmup: 500 } : { ops: 10_000, rounds: 7, warmup: 5_000 };
  const regSizes = [1, 10, 100, 1_000, 10_000];
  const rows: Comparison[] = [];

  // PR OUT REGISTER by an initiator not yet registered (then its unregister, alternating: the state size stays n)
  rows.push(...series('PR_OUT REGISTER by a new initiator (register/unregister)', 'registrations', regSizes, (n) => {
    const r = registered(n);
    const h = r.host.open({ initiator: 'newcomer' });
    const reg = prOutInput(0, 0, 0n, 0x77n);
    const unreg = prOutInput(0, 0, 0x77n, 0n);
    expectOk('newcomer REGISTER', r.host.deviceIoControl(h, CODE.PR_OUT, reg, 0).status);
    expectOk('newcomer unREGISTER', r.host.deviceIoControl(h, CODE.PR_OUT, unreg, 0).status);
    return (i) => r.host.deviceIoControl(h, CODE.PR_OUT, (i & 1) === 0 ? reg : unreg, 0);
  }, opts));

  // READ of one sector by a registered non-holder under Write Exclusive – Registrants Only: the conflict check
  rows.push(...series('READ through the PR conflict check (registered non-holder)', 'registrations', regSizes, (n) => {
    const r = registered(Math.max(n, 2));
    const h = r.handles[1]!;
    expectOk('READ', r.host.read(h, 0, 1).status);
    return () => r.host.read(h, 0, 1);
  }, opts));

  // PR IN READ KEYS with a fixed allocation length of 64 (header + 7 keys): must build only what is returned
  rows.push(...series('PR_IN READ KEYS, allocation 64', 'registrations', regSizes, (n) => {
    const r = registered(n);
    const input = prInInput(0, 64);
    expectOk('READ KEYS', r.host.deviceIoControl(r.h, CODE.PR_IN, input, 64).status);
    return () => r.host.deviceIoControl(r.h, CODE.PR_IN, input, 64);
  }, opts));

  // a 1-sector write into the last band, bands 1 → maxBands (1024, the global band included)
  rows.push(...series('WRITE 1 sector through the band lookup (security active)', 'bands', quick ? [1, 64] : [1, 16, 128, 1024], (bands) => {
    const r = rig({ security: 'active', maxBands: 1024, sectors: 1024 * 8 + 64 });
    for (let b = 1; b < bands; b++) {
      expectOk(`CREATE_BAND ${b}`, r.host.deviceIoControl(r.h, CODE.CREATE_BAND, createBandInput(BigInt(b * 8 * 512), 8n * 512n), 0).status);
    }
    const data = new Uint8Array(512).fill(7);
    const lba = Math.max(1, bands - 1) * 8;
    expectOk('WRITE', r.host.write(r.h, lba, data).status);
    return () => r.host.write(r.h, lba, data);
  }, ioOpts));

  // a 1-sector write at the last LBA, disk size 1 MiB → 1 TiB (sparse memory store, security none)
  const MiB = 1024 * 1024;
  rows.push(...series('WRITE 1 sector at the last LBA (sparse)', 'bytes of disk', [MiB, 1024 * MiB, 1024 * 1024 * MiB], (bytes) => {
    const sectors = bytes / 512;
    const r = rig({ sectors });
    const data = new Uint8Array(512).fill(7);
    expectOk('WRITE', r.host.write(r.h, sectors - 1, data).status);
    return () => r.host.write(r.h, sectors - 1, data);
  }, ioOpts));
  return rows;
}
