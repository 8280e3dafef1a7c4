// Dispatch benchmarks (issue 8): IOCTLs per second through the whole public API (Host.deviceIoControl on a
// VirtualDisk), each against a hand-written minimum in the same process — the raw `disk.execute` of the same
// CDB, i.e. the device part alone — and the cost split across the layers:
//   whole       Host.deviceIoControl: handle lookup + access check (io-manager) + dispatch + class driver + device
//   dispatch    dispatcher.dispatch on a HandleContext built here: class driver + device, no io-manager
//   device      disk.execute(initiator, {cdb, dataOut}) of the CDB the class driver sends
//   decode      the input's declared layout decoded alone (the handlers read the few fields inline instead)
// access check + io-manager ≈ whole − dispatch; class driver ≈ dispatch − device.
import { registerBandSilo } from '../src/dispatch/band-silo';
import { dispatch } from '../src/dispatch/dispatcher';
import { HandleContext } from '../src/dispatch/handle-context';
import { HandleTable } from '../src/dispatch/handles';
import { newPathState } from '../src/dispatch/class-driver/path-state';
import { pathExtensions } from '../src/dispatch/path-extensions';
import { CDB_ALLOW, CDB_PREVENT, cdbPersistentReserveIn, cdbPersistentReserveOut } from '../src/dispatch/class-driver/cdbs';
import { layouts } from '../src/codecs/layouts';
import type { VirtualDisk } from '../src/device/virtual-disk';
import { compare, measure, type Comparison, type Measurement } from './harness';
import { CODE, expectOk, prInInput, prOutInput, quickOpts, rig } from './common';

const GENERIC_RW = 0xc0000000;

/** A handler context on `disk` without an IoManager: what dispatch() sees after the access check. */
function bareContext(disk: VirtualDisk, initiator: string): HandleContext {
  const table = new HandleTable<HandleContext>();
  const path = newPathState(initiator);
  for (const ext of pathExtensions()) path.extensions.set(ext.name, ext.create());
  return table.open({ process: 'bench', initiator, access: GENERIC_RW }, (h) => new HandleContext(h, path, disk, true, 512));
}

/** SET_BAND_SECURITY_PARAMETERS (40) + current AUTH_KEY + BAND_SECURITY_INFO (56), offsets filled in (layouts.md §2). */
function setBandSecurityInput(bandId: number, key: Uint8Array, readLock: number, writeLock: number): Uint8Array {
  const keyAt = 40;
  const infoAt = keyAt + 4 + key.length;
  const b = Buffer.alloc(infoAt + 56);
  b.writeUInt32LE(40, 0);
  b.writeUInt32LE(bandId, 12);
  b.writeUInt32LE(keyAt, 24);
  b.writeUInt32LE(infoAt, 32);
  b.writeUInt32LE(key.length, keyAt);
  b.set(key, keyAt + 4);
  b.writeUInt32LE(56, infoAt);
  b.writeUInt32LE(readLock, infoAt + 4);
  b.writeUInt32LE(writeLock, infoAt + 8);
  return new Uint8Array(b);
}

/** CREATE_BAND_PARAMETERS (20) + BAND_LOCATION_INFO (56) + AUTH_KEY. */
export function createBandInput(startByte: bigint, sizeBytes: bigint, key?: Uint8Array): Uint8Array {
  const locAt = 20;
  const keyAt = locAt + 56;
  const b = Buffer.alloc(keyAt + (key ? 4 + key.length : 0));
  b.writeUInt32LE(20, 0);
  b.writeUInt32LE(locAt, 8);
  b.writeUInt32LE(56, locAt);
  b.writeBigInt64LE(startByte, locAt + 8);
  b.writeBigInt64LE(sizeBytes, locAt + 16);
  if (key) {
    b.writeUInt32LE(keyAt, 16);
    b.writeUInt32LE(key.length, keyAt);
    b.set(key, keyAt + 4);
  }
  return new Uint8Array(b);
}

interface Layered {
  readonly name: string;
  readonly goalPerSec?: number;
  readonly whole: (i: number) => unknown;
  readonly dispatch: (i: number) => unknown;
  /** the raw device call; undefined when the IOCTL reaches no CDB (the silo): the decode is the baseline then */
  readonly device?: (i: number) => unknown;
  readonly decode?: (i: number) => unknown;
}

export function runDispatchBenchmarks(quick = false): Comparison[] {
  registerBandSilo();
  const opts = quickOpts(quick, 200_000);
  const cases: Layered[] = [];

  // ---- IOCTL_STORAGE_MEDIA_REMOVAL, alternating lock/unlock on a removable disk (PREVENT/ALLOW sent) ----
  {
    const { disk, host, h } = rig({ removable: true });
    const ctx = bareContext(disk, 'host0');
    const inputs = [Uint8Array.of(1), Uint8Array.of(0)];
    expectOk('MEDIA_REMOVAL', host.deviceIoControl(h, CODE.MEDIA_REMOVAL, inputs[0], 0).status);
    expectOk('MEDIA_REMOVAL', host.deviceIoControl(h, CODE.MEDIA_REMOVAL, inputs[1], 0).status);
    const cmds = [{ cdb: CDB_PREVENT }, { cdb: CDB_ALLOW }];
    cases.push({
      name: 'IOCTL_STORAGE_MEDIA_REMOVAL (lock/unlock)', goalPerSec: 1_000_000,
      whole: (i) => host.deviceIoControl(h, CODE.MEDIA_REMOVAL, inputs[i & 1]!, 0),
      dispatch: (i) => dispatch(ctx, CODE.MEDIA_REMOVAL, inputs[i & 1]!, 0),
      device: (i) => disk.execute('host0', cmds[i & 1]!),
      decode: (i) => layouts.PREVENT_MEDIA_REMOVAL.decode(inputs[i & 1]!),
    });
  }

  // ---- PR OUT REGISTER (REGISTER IGNORE EXISTING: re-registering the same key every time, so each call
  //      succeeds and state stays the same size) and RESERVE by the holder (idempotent, GOOD) ----
  {
    const { disk, host, h } = rig();
    const ctx = bareContext(disk, 'host0');
    const register = prOutInput(6, 0, 0n, 0xabcdn); // REGISTER AND IGNORE EXISTING KEY
    const reserve = prOutInput(1, 1, 0xabcdn, 0n); // RESERVE, Write Exclusive
    for (const who of [(x: Uint8Array) => host.deviceIoControl(h, CODE.PR_OUT, x, 0).status, (x: Uint8Array) => dispatch(ctx, CODE.PR_OUT, x, 0).status]) {
      expectOk('PR_OUT REGISTER', who(register));
    }
    expectOk('PR_OUT RESERVE', host.deviceIoControl(h, CODE.PR_OUT, reserve, 0).status);
    const regDev = { cdb: cdbPersistentReserveOut(6, 0), dataOut: register.subarray(10, 34) };
    expectOk('device REGISTER', (disk.execute('host0', regDev) as { status: number }).status);
    const resDev = { cdb: cdbPersistentReserveOut(1, 1), dataOut: reserve.subarray(10, 34) };
    const decodePrOut = (x: Uint8Array): unknown => {
      const c = layouts.PERSISTENT_RESERVE_COMMAND.decode(x);
      return c.ok ? layouts.PRO_PARAMETER_LIST.decode(x, 10) : c;
    };
    cases.push({
      name: 'PR_OUT REGISTER (ignore existing)', goalPerSec: 300_000,
      whole: () => host.deviceIoControl(h, CODE.PR_OUT, register, 0),
      dispatch: () => dispatch(ctx, CODE.PR_OUT, register, 0),
      device: () => disk.execute('host0', regDev),
      decode: () => decodePrOut(register),
    });
    cases.push({
      name: 'PR_OUT RESERVE (holder, again)', goalPerSec: 300_000,
      whole: () => host.deviceIoControl(h, CODE.PR_OUT, reserve, 0),
      dispatch: () => dispatch(ctx, CODE.PR_OUT, reserve, 0),
      device: () => disk.execute('host0', resDev),
      decode: () => decodePrOut(reserve),
    });

    // ---- PR IN READ KEYS with 3 registrations, allocation 256 ----
    const readKeys = prInInput(0, 256);
    const rk = host.deviceIoControl(h, CODE.PR_IN, readKeys, 256);
    expectOk('PR_IN READ KEYS', rk.status);
    const rkDev = { cdb: cdbPersistentReserveIn(0, 256), dataInLength: 256 };
    cases.push({
      name: 'PR_IN READ KEYS (3 keys)',
      whole: () => host.deviceIoControl(h, CODE.PR_IN, readKeys, 256),
      dispatch: () => dispatch(ctx, CODE.PR_IN, readKeys, 256),
      device: () => disk.execute('host0', rkDev),
      decode: () => layouts.PERSISTENT_RESERVE_COMMAND.decode(readKeys),
    });
  }

  // ---- SET_BAND_SECURITY on an active disk: band 1 with a key, set unlocked/unlocked again (authenticates) ----
  {
    const { disk, host, h } = rig({ security: 'active', sectors: 4096 });
    const ctx = bareContext(disk, 'host0');
    const key = new Uint8Array(16).fill(0x31);
    expectOk('CREATE_BAND', host.deviceIoControl(h, CODE.CREATE_BAND, createBandInput(0n, 64n * 512n, key), 0).status);
    const input = setBandSecurityInput(1, key, 1, 1);
    expectOk('SET_BAND_SECURITY', host.deviceIoControl(h, CODE.SET_BAND_SECURITY, input, 0).status);
    cases.push({
      name: 'SET_BAND_SECURITY (active, band 1)',
      whole: () => host.deviceIoControl(h, CODE.SET_BAND_SECURITY, input, 0),
      dispatch: () => dispatch(ctx, CODE.SET_BAND_SECURITY, input, 0),
      decode: () => {
        const p = layouts.SET_BAND_SECURITY_PARAMETERS.decode(input);
        if (!p.ok) return p;
        const k = layouts.AUTH_KEY.decode(input, p.value.CurrentAuthKeyOffset);
        return k.ok ? layouts.BAND_SECURITY_INFO.decode(input, p.value.BandSecurityInfoOffset) : k;
      },
    });
  }

  const rows: Comparison[] = [];
  for (const c of cases) {
    const slow = c.name.startsWith('SET_BAND');
    const o = slow ? quickOpts(quick, 20_000) : opts;
    // the ratio: whole API vs the raw device call of the same CDB, interleaved
    const r = c.device
      ? compare(`dispatch ${c.name}: whole API vs raw disk.execute`, { name: 'Host', fn: c.whole }, { name: 'execute', fn: c.device }, o)
      : compare(`dispatch ${c.name}: whole API vs its input decode alone (no CDB)`, { name: 'Host', fn: c.whole }, { name: 'decode', fn: c.decode! }, o);
    rows.push(c.goalPerSec === undefined ? r : { ...r, goal: `≥ ${c.goalPerSec.toLocaleString('en-US')}/s`, met: r.subject.opsPerSec >= c.goalPerSec });
    const split: Measurement[] = [
      measure('dispatch', c.dispatch, o),
      ...(c.decode && c.device ? [measure('decode', c.decode, o)] : []),
    ];
    const whole = r.subject;
    for (const m of split) {
      rows.push({ group: `dispatch ${c.name}: layer ${m.name}`, subject: m, baseline: whole, ratio: m.nsPerOp / whole.nsPerOp });
    }
  }
  return rows;
}
