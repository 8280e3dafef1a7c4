// Model-based test of SCSI-2 RESERVE/RELEASE for several initiators (class-driver.md §1, §3, §7, §9, §10;
// scsi-device.md §2, §4, §5, §6; io-manager.md §6): the holder, RESERVATION CONFLICT → STATUS_DEVICE_BUSY for
// every other initiator's TUR/READ/WRITE/RESERVE (not RELEASE), RELEASE by a non-holder a no-op, PR IN
// conflicting for everyone while reserved, nothing released on close or process exit (the class driver
// keeps no reservation state), the reservation gone after a power cycle or reboot. Writes that conflict
// must not reach the medium: the model keeps the sectors and every read compares the data.
import fc from 'fast-check';
import {
  IOCTL_STORAGE_RESERVE, IOCTL_STORAGE_RELEASE, IOCTL_DISK_RESERVE, IOCTL_DISK_RELEASE,
  IOCTL_STORAGE_CHECK_VERIFY, IOCTL_STORAGE_PERSISTENT_RESERVE_IN,
} from '../../src/codecs/ioctl-codes';
import { STATUS_SUCCESS, STATUS_ACCESS_DENIED, STATUS_DEVICE_BUSY } from '../../src/codecs/ntstatus';
import { layouts } from '../../src/codecs/layouts';
import {
  Sut, UnitAttentionModel, assertParams, commandsOptions, pick, u32le, READ_WRITE, GENERIC_READ, type Expected,
} from './model-helpers';

const ALL_INITIATORS = ['host0', 'host1', 'host2', 'host3'] as const;
const PROCESSES = ['pA', 'pB', 'pC'] as const;
const SECTOR = 512;
const SECTORS = 32;

interface HandleModel {
  readonly id: number;
  readonly process: string;
  readonly initiator: string;
  readonly canWrite: boolean;
}

interface Model {
  readonly initiators: readonly string[];
  handles: HandleModel[];
  readonly ua: UnitAttentionModel;
  /** scsi-device.md §4: the SCSI-2 reservation holder */
  holder: string | null;
  /** lba → fill byte of the last successful write */
  readonly sectors: Map<number, number>;
}

type Real = Sut;

const none = (status: number, why: string): Expected => ({ status, information: 0, output: new Uint8Array(0), why });

/**
 * A command from `initiator` reaches the device: unit attentions are consumed and counted (class-driver.md
 * §10.1), then a non-holder conflicts unless the command is RELEASE (scsi-device.md §2 step 3, §4); PR IN/OUT
 * conflict for every initiator while reserved, the holder included (§4, vdisk follows LIO).
 */
function conflicts(m: Model, initiator: string, cmd: 'release' | 'pr' | 'other'): boolean {
  m.ua.consume(initiator);
  if (m.holder === null) return false;
  if (cmd === 'pr') return true;
  return cmd !== 'release' && m.holder !== initiator;
}

class Open implements fc.Command<Model, Real> {
  constructor(readonly process: string, readonly initiator: number, readonly access: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length < 10;
  run(m: Model, r: Real): void {
    const initiator = pick(m.initiators, this.initiator);
    const id = r.open(this.process, initiator, this.access);
    m.handles.push({ id, process: this.process, initiator, canWrite: this.access === READ_WRITE });
  }
  toString = (): string => `open(${this.process}, initiator#${this.initiator}, 0x${this.access.toString(16)})`;
}

class Reserve implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly release: boolean, readonly legacy: boolean) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    let exp: Expected;
    if (this.release) {
      conflicts(m, h.initiator, 'release');
      if (m.holder === h.initiator) m.holder = null;
      exp = none(STATUS_SUCCESS, 'scsi-device.md §4: RELEASE never conflicts; by a non-holder it is GOOD, no change');
    } else if (conflicts(m, h.initiator, 'other')) {
      exp = none(STATUS_DEVICE_BUSY, 'scsi-device.md §4: RESERVE by another initiator → RESERVATION CONFLICT; class-driver.md §3');
    } else {
      m.holder = h.initiator;
      exp = none(STATUS_SUCCESS, 'scsi-device.md §4: RESERVE when free or by the holder again');
    }
    const code = this.release ? (this.legacy ? IOCTL_DISK_RELEASE : IOCTL_STORAGE_RELEASE) : (this.legacy ? IOCTL_DISK_RESERVE : IOCTL_STORAGE_RESERVE);
    r.ioctl(h.id, code, new Uint8Array(0), 0, exp);
  }
  toString = (): string => `${this.release ? 'RELEASE' : 'RESERVE'}${this.legacy ? '(DISK alias)' : ''}(h#${this.h})`;
}

function sectorData(m: Model, lba: number, sectors: number): Uint8Array {
  const out = new Uint8Array(sectors * SECTOR);
  for (let i = 0; i < sectors; i++) out.fill(m.sectors.get(lba + i) ?? 0, i * SECTOR, (i + 1) * SECTOR);
  return out;
}

class Read implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly lba: number, readonly sectors: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const exp = conflicts(m, h.initiator, 'other')
      ? none(STATUS_DEVICE_BUSY, 'scsi-device.md §4: READ from a non-holder conflicts; class-driver.md §9 step 5')
      : { status: STATUS_SUCCESS, information: this.sectors * SECTOR, output: sectorData(m, this.lba, this.sectors), why: 'the last successful writes' };
    r.read(h.id, this.lba, this.sectors, exp);
  }
  toString = (): string => `read(h#${this.h}, ${this.lba}, ${this.sectors})`;
}

class Write implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly lba: number, readonly sectors: number, readonly fill: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    let exp: Expected;
    if (!h.canWrite) exp = none(STATUS_ACCESS_DENIED, 'io-manager.md §5: WriteFile needs FILE_WRITE_DATA');
    else if (conflicts(m, h.initiator, 'other')) exp = none(STATUS_DEVICE_BUSY, 'scsi-device.md §4: WRITE from a non-holder conflicts, nothing written');
    else {
      for (let i = 0; i < this.sectors; i++) m.sectors.set(this.lba + i, this.fill);
      exp = { status: STATUS_SUCCESS, information: this.sectors * SECTOR, output: new Uint8Array(0), why: 'io-manager.md §5' };
    }
    r.write(h.id, this.lba, this.sectors, this.fill, SECTOR, exp);
  }
  toString = (): string => `write(h#${this.h}, ${this.lba}, ${this.sectors}, fill ${this.fill})`;
}

class CheckVerify implements fc.Command<Model, Real> {
  constructor(readonly h: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const busy = conflicts(m, h.initiator, 'other');
    // class-driver.md §7 step 3: the count and Information 4 whatever the TUR's status (DEVICE_BUSY is a warning)
    const exp: Expected = {
      status: busy ? STATUS_DEVICE_BUSY : STATUS_SUCCESS, information: 4, output: u32le(m.ua.mcc.get(h.initiator)!),
      why: 'class-driver.md §7 steps 3-4 (TUR conflicts for a non-holder), §10.1 MediaChangeCount',
    };
    r.ioctl(h.id, IOCTL_STORAGE_CHECK_VERIFY, new Uint8Array(0), 4, exp);
  }
  toString = (): string => `CHECK_VERIFY(h#${this.h}, out 4)`;
}

class PersistentReserveIn implements fc.Command<Model, Real> {
  constructor(readonly h: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const input = layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Size: 12, PR_IN: { ServiceAction: 0, AllocationLength: 8 } });
    // READ KEYS with no registration: PRgeneration 0 (never a PR OUT; restarts at 0 on power-up), no keys
    const exp = conflicts(m, h.initiator, 'pr')
      ? none(STATUS_DEVICE_BUSY, 'scsi-device.md §4: PR IN from any initiator, the holder included, while reserved')
      : { status: STATUS_SUCCESS, information: 8, output: new Uint8Array(8), why: 'class-driver.md §8.3; persistent-reservations.md READ KEYS' };
    r.ioctl(h.id, IOCTL_STORAGE_PERSISTENT_RESERVE_IN, input, 8, exp);
  }
  toString = (): string => `PR_IN_READ_KEYS(h#${this.h})`;
}

class Close implements fc.Command<Model, Real> {
  constructor(readonly h: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    m.handles = m.handles.filter((x) => x !== h); // class-driver.md §1: no reservation state, nothing released
    r.close(h.id);
  }
  toString = (): string => `close(h#${this.h})`;
}

class Exit implements fc.Command<Model, Real> {
  constructor(readonly process: string) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.handles = m.handles.filter((x) => x.process !== this.process);
    r.exit(this.process);
  }
  toString = (): string => `exit(${this.process})`;
}

class PowerCycle implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.holder = null; // scsi-device.md §6
    m.ua.powerOn();
    r.powerCycle();
  }
  toString = (): string => 'powerCycle()';
}

class Reboot implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.handles = [];
    m.holder = null;
    m.ua.reboot();
    r.reboot();
  }
  toString = (): string => 'reboot()';
}

const hIdx = fc.nat({ max: 15 });
const lba = fc.nat({ max: 7 });
const open = fc.tuple(fc.constantFrom(...PROCESSES), fc.nat({ max: 3 }), fc.constantFrom(READ_WRITE, READ_WRITE, READ_WRITE, GENERIC_READ))
  .map(([p, i, a]) => new Open(p, i, a));
const reserve = fc.tuple(hIdx, fc.boolean(), fc.constantFrom(false, false, false, true)).map(([h, rel, leg]) => new Reserve(h, rel, leg));
const read = fc.tuple(hIdx, lba, fc.integer({ min: 1, max: 2 })).map(([h, l, s]) => new Read(h, l, s));
const write = fc.tuple(hIdx, lba, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 255 })).map(([h, l, s, f]) => new Write(h, l, s, f));
const commands = [
  open, reserve, reserve, reserve, read, read, write, write,
  hIdx.map((h) => new CheckVerify(h)), hIdx.map((h) => new PersistentReserveIn(h)),
  hIdx.map((h) => new Close(h)), fc.constantFrom(...PROCESSES).map((p) => new Exit(p)),
  fc.constant(new PowerCycle()), fc.constant(new Reboot()),
];

describe('SCSI-2 RESERVE/RELEASE: model-based (scsi-device.md §4, §6; class-driver.md §3)', () => {
  test('holder, conflicts, no-op releases, power cycle and reboot agree with the model', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.commands(commands, commandsOptions(40)), (n, cmds) => {
        const initiators = ALL_INITIATORS.slice(0, n);
        const setup = () => ({
          model: { initiators, handles: [], ua: new UnitAttentionModel(initiators), holder: null, sectors: new Map() } satisfies Model as Model,
          real: new Sut({ sectors: SECTORS, seed: 11 }, `SCSI-2 reservations (${n} initiators)`),
        });
        // one handle per initiator to start with, so short sequences already contend
        fc.modelRun(setup, [...initiators.map((_, i) => new Open(PROCESSES[i % PROCESSES.length]!, i, READ_WRITE)), ...cmds]);
      }),
      assertParams(200),
    );
  });
});
