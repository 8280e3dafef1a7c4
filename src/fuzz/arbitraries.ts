// Structure-aware generators for whole fuzz cases (issue 7): the disk, the handles (access and caller are
// fuzzed too), and per IOCTL an input built from the code's declared input layout by the layout DSL's
// generators (valid 40 / boundary 40 / mutant 15 / raw 5), plus the dimensions the layouts cannot know:
// the IOCTL code itself (known, legacy aliases, neighbours with other access or method bits, random), the
// OutputBufferLength, and LBAs at the edges of the capacity.

import fc from 'fast-check';
import { layouts } from '../codecs/layouts';
import { fuzzBuffer, validValue } from '../codecs/layout/generators';
import type { Layout } from '../codecs/layout';
import { IOCTL_CODES, codeByName } from '../codecs/ioctl-codes';
import { ioctlTable } from '../dispatch/dispatcher';
import { registerBandSilo } from '../dispatch/band-silo';
import {
  FILE_READ_DATA, FILE_WRITE_DATA, GENERIC_READ, GENERIC_WRITE, SYNCHRONIZE, FILE_READ_ATTRIBUTES,
} from '../codecs/access-rights';
import { STALE_HANDLE, type FuzzCase, type FuzzDisk, type FuzzOp } from './case';

registerBandSilo();

export interface TargetCode {
  readonly name: string;
  readonly value: number;
  readonly input?: Layout<unknown>;
}

/** Every code the dispatcher holds, with its declared input layout (the table the CLI and scenario parser read). */
export function dispatchTargets(): TargetCode[] {
  return [...ioctlTable()].map(([name, entry]) => ({ name, value: codeByName(name)!.value, input: entry.input }));
}

const OUTPUT_EDGES = [0, 1, 3, 4, 7, 8, 12, 16, 24, 32, 39, 40, 41, 55, 56, 57, 120, 136, 256, 4096, 0xffff, 0xffffffff];

export const outputLength: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...OUTPUT_EDGES) },
  { weight: 1, arbitrary: fc.nat(600) },
);

/** An op's handle index (case.ts HandleTable): a recent open handle, one time in 16 a closed one. */
const handleIndex: fc.Arbitrary<number> = fc.oneof(
  { weight: 15, arbitrary: fc.nat(STALE_HANDLE - 1) },
  { weight: 1, arbitrary: fc.constant(STALE_HANDLE) },
);

const hexBytes = (n: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: n, size: 'max' });

/**
 * PR OUT input: a PERSISTENT_RESERVE_COMMAND whose PR_OUT parameter list starts at byte 10 (layouts.md §1),
 * 36 bytes when valid, with Size and the buffer length on their edges (class-driver.md §8.1).
 */
function persistentReserveOut(): fc.Arbitrary<Uint8Array> {
  const cmd = validValue(layouts.PERSISTENT_RESERVE_COMMAND);
  const list = validValue(layouts.PRO_PARAMETER_LIST);
  return fc.tuple(
    // weighted towards what the class driver accepts (service actions 0-6, types 1/3/5/6, scopes 0/2 —
    // class-driver.md §8.1) so that the device side is reached, with every other value still drawn
    cmd, list, fc.constantFrom(0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 6, 7, 8, 31),
    fc.constantFrom(1, 3, 5, 6, 1, 3, 5, 6, 0, 2, 4, 7, 8, 15), fc.constantFrom(0, 0, 0, 0, 2, 1, 15),
    fc.constantFrom(0, 11, 12, 35, 36, 37, 40, 0xffffffff, -1), fc.constantFrom(36, 36, 36, 12, 35, 34, 40, 11, 0),
  ).map(([c, l, sa, type, scope, size, length]) => {
    const out = new Uint8Array(Math.max(length, 0));
    const head = layouts.PERSISTENT_RESERVE_COMMAND.encode({
      ...c, Size: size === -1 ? length : size, PR_OUT: { ServiceAction: sa, Type: type & 15, Scope: scope & 15 },
    });
    const body = layouts.PRO_PARAMETER_LIST.encode(l);
    const full = new Uint8Array(36);
    if (head.ok) full.set(head.value, 0);
    if (body.ok) full.set(body.value, 10);
    out.set(full.subarray(0, Math.min(36, out.length)));
    return out;
  });
}

/** PR IN input: READ KEYS / READ RESERVATION mostly, with AllocationLength on its edges. */
function persistentReserveIn(): fc.Arbitrary<Uint8Array> {
  return fc.tuple(
    fc.constantFrom(0, 1, 1, 0, 2, 3, 4, 31), fc.constantFrom(0, 7, 8, 16, 24, 255, 256, 0xffff),
    fc.constantFrom(12, 12, 12, 11, 0, 16), fc.constantFrom(12, 12, 11, 0, 0xffffffff),
  ).map(([sa, alloc, length, size]) => {
    const full = layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Version: 12, Size: size, PR_IN: { ServiceAction: sa, AllocationLength: alloc } });
    const out = new Uint8Array(length);
    out.set(full.subarray(0, Math.min(length, full.length)));
    return out;
  });
}

function inputFor(target: TargetCode): fc.Arbitrary<Uint8Array> {
  if (target.name === 'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT') {
    return fc.oneof({ weight: 4, arbitrary: persistentReserveOut() }, { weight: 1, arbitrary: hexBytes(48) });
  }
  if (target.name === 'IOCTL_STORAGE_PERSISTENT_RESERVE_IN') {
    return fc.oneof({ weight: 4, arbitrary: persistentReserveIn() }, { weight: 1, arbitrary: hexBytes(24) });
  }
  if (target.input) return fuzzBuffer(target.input).map((g) => g.bytes);
  return hexBytes(8);
}

/** Codes that are not the targets themselves but must be answered right: aliases, neighbours, noise. */
function strayCode(targets: readonly TargetCode[]): fc.Arbitrary<number> {
  const known = targets.map((t) => t.value);
  return fc.oneof(
    // legacy DISK/TAPE/CDROM bases with the same low 16 bits (ioctl-codes.md §4), and DVD (never remapped)
    fc.tuple(fc.constantFrom(...known), fc.constantFrom(0x0007, 0x001f, 0x0002, 0x0033, 0x0004))
      .map(([c, base]) => ((c & 0xffff) | (base << 16)) >>> 0),
    // the same function with other access or method bits
    fc.tuple(fc.constantFrom(...known), fc.integer({ min: 1, max: 15 })).map(([c, flip]) => (c ^ ((flip & 3) | ((flip >> 2) << 14))) >>> 0),
    fc.constantFrom(...IOCTL_CODES.map((c) => c.value)),
    fc.integer({ min: 0, max: 0xffffffff }),
  );
}

function ioctlOp(targets: readonly TargetCode[]): fc.Arbitrary<FuzzOp> {
  // one arbitrary per target, built once: building a layout's input arbitrary (validValue / fuzzBuffer)
  // costs far more than drawing from it, so it must not be rebuilt per op (a `chain` on the target did)
  const onTarget = fc.oneof(...targets.map((t) =>
    fc.record({ handle: handleIndex, code: fc.constant(t.value), input: inputFor(t), outputLength })));
  const stray = fc.record({ handle: handleIndex, code: strayCode(targets), input: hexBytes(40), outputLength });
  return fc.oneof({ weight: 9, arbitrary: onTarget }, { weight: 1, arbitrary: stray }).map((r): FuzzOp => ({ op: 'ioctl', ...r }));
}

/**
 * Handle access: most handles hold read and write (so the requests reach the drivers), one in six holds
 * something less (read only, write only, FILE_* bits, none, SYNCHRONIZE | FILE_READ_ATTRIBUTES) so that the
 * I/O manager's access check keeps being fuzzed.
 */
const FULL_ACCESS = (GENERIC_READ | GENERIC_WRITE) >>> 0;
const PARTIAL_ACCESS = [
  GENERIC_READ, FILE_READ_DATA, FILE_WRITE_DATA, FILE_READ_DATA | FILE_WRITE_DATA, 0, SYNCHRONIZE | FILE_READ_ATTRIBUTES,
  GENERIC_WRITE,
].map((a) => a >>> 0);
const access: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.constant(FULL_ACCESS) },
  { weight: 1, arbitrary: fc.constantFrom(...PARTIAL_ACCESS) },
);

const open: fc.Arbitrary<FuzzOp> = fc.record({
  process: fc.constantFrom('p0', 'p1', 'p2'),
  initiator: fc.constantFrom('host0', 'host1', 'host2'),
  access,
}).map((r) => ({ op: 'open', ...r }));

function lbaEdges(sectors: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, 1, sectors - 1, sectors, sectors + 1, 0xffffffff, 0x100000000, Number.MAX_SAFE_INTEGER),
    fc.nat(sectors + 2),
  );
}

function otherOps(disk: FuzzDisk): fc.Arbitrary<FuzzOp>[] {
  const sectors = disk.sectors ?? 2048;
  return [
    fc.record({ handle: handleIndex, lba: lbaEdges(sectors), sectors: fc.constantFrom(0, 1, 2, 8, 64) })
      .map((r): FuzzOp => ({ op: 'read', ...r })),
    fc.record({ handle: handleIndex, lba: lbaEdges(sectors), sectors: fc.constantFrom(0, 1, 2, 8), fill: fc.nat(255) })
      .map((r): FuzzOp => ({ op: 'write', ...r })),
    handleIndex.map((handle): FuzzOp => ({ op: 'close', handle })),
    fc.constantFrom('p0', 'p1', 'p2').map((process): FuzzOp => ({ op: 'exit', process })),
  ];
}

export const fuzzDisk: fc.Arbitrary<FuzzDisk> = fc.record({
  sectorSize: fc.constantFrom(512, 512, 4096),
  sectors: fc.constantFrom(64, 2048),
  removable: fc.constantFrom(true, true, false),
  medium: fc.constantFrom<'present' | 'absent'>('present', 'present', 'present', 'absent'),
  persistentReservations: fc.constantFrom(true, true, true, false),
  security: fc.constantFrom<'none' | 'inactive' | 'active'>('active', 'inactive', 'none'),
  maxBands: fc.constantFrom(2, 8),
  tryLimit: fc.constantFrom(1, 5),
  seed: fc.nat(1000),
}).map((d) => (d.removable ? d : { ...d, medium: 'present' as const })); // a fixed disk always has its medium

export interface CaseOptions {
  /** restrict the IOCTLs generated to these names (default: every code the dispatcher holds) */
  readonly only?: readonly string[];
  /** the most op groups after the first opens (default 24); a group is one op, or a reboot or power-loss group */
  readonly maxOps?: number;
  /**
   * fast-check's length bias for the op list (default: fast-check's, which keeps most sequences under ~10 ops
   * whatever maxOps is); 'max' spreads the lengths over 1..maxOps
   */
  readonly size?: fc.SizeForArbitrary;
}

/**
 * The campaign's and the bench's sequences: ~100 ops (~85 requests) on one disk on average, instead of
 * ~8 ops (~5 requests), so that creating the disk (~0.25 ms) is paid once per ~85 requests. CI's properties
 * keep the defaults to stay fast.
 */
export const CAMPAIGN_SEQUENCES: CaseOptions = { maxOps: 200, size: 'max' };

/**
 * A whole case: a disk, one to three opens first, then a mix weighted towards IOCTLs on the targets.
 *
 * The mix keeps most requests useful (docs/performance.md "fuzz"): ops name mostly handles still open
 * (case.ts HandleTable; 1 in 16 names a closed one); an `exit` or a `reboot`, which close handles, is
 * mostly followed by new opens (sometimes none: then the requests go to closed handles). An injected
 * power loss is followed by a few ops and a power cycle, so that the device is not left off for the rest of
 * a long sequence; opens outweigh closes and exits.
 */
export function fuzzCase(opts: CaseOptions = {}): fc.Arbitrary<FuzzCase> {
  const all = dispatchTargets();
  const targets = opts.only ? all.filter((t) => opts.only!.includes(t.name)) : all;
  if (targets.length === 0) throw new Error(`no IOCTL named ${opts.only?.join(', ')}`);
  const ioctl = ioctlOp(targets);
  const opens = fc.array(open, { minLength: 1, maxLength: 3 });
  return fuzzDisk.chain((disk) => {
    const [read, write, close, exit] = otherOps(disk);
    const simple = fc.oneof(
      { weight: 28, arbitrary: ioctl },
      { weight: 4, arbitrary: open },
      { weight: 2, arbitrary: read! },
      { weight: 2, arbitrary: write! },
      { weight: 1, arbitrary: close! },
      { weight: 1, arbitrary: fc.constant<FuzzOp>({ op: 'power-cycle' }) },
    );
    const op: fc.Arbitrary<readonly FuzzOp[]> = fc.oneof(
      { weight: 80, arbitrary: simple.map((o) => [o]) },
      // a process exits (closing its handles) or the host reboots (closing all), then new handles, or none
      { weight: 1, arbitrary: fc.tuple(exit!, fc.array(open, { minLength: 0, maxLength: 2 })).map(([e, o]): FuzzOp[] => [e, ...o]) },
      { weight: 1, arbitrary: fc.array(open, { minLength: 0, maxLength: 3 }).map((o): FuzzOp[] => [{ op: 'reboot' }, ...o]) },
      // power loss after n more write steps, a few ops in which it may fire, and power back
      {
        weight: 1,
        arbitrary: fc.tuple(fc.nat(6), fc.array(simple, { minLength: 0, maxLength: 8 }))
          .map(([afterWrites, o]): FuzzOp[] => [{ op: 'inject', afterWrites }, ...o, { op: 'power-cycle' }]),
      },
    );
    return fc.tuple(opens, fc.array(op, { minLength: 1, maxLength: opts.maxOps ?? 24, ...(opts.size === undefined ? {} : { size: opts.size }) }))
      .map(([first, groups]) => ({ disk, ops: [...first, ...groups.flat()] }));
  });
}
