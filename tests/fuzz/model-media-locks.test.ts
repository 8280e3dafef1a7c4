// Model-based test of the media locks (class-driver.md §1, §4, §5, §7, §9, §10.1, §11; scsi-device.md §3.2,
// §3.3, §4, §5, §6; io-manager.md §2, §6): simple MEDIA_REMOVAL counts per path, secure EJECTION_CONTROL
// locks per handle, when PREVENT/ALLOW reach the device (p = byte & 1), rollback when the device refuses,
// close / process-exit processing, EJECT/LOAD refused while a secure lock is held, the device's own
// prevent state per initiator, power cycle and reboot — with a SCSI-2 reservation as the way to make a
// PREVENT fail (§5.4). The model is written from the spec text only.
import fc from 'fast-check';
import {
  IOCTL_STORAGE_MEDIA_REMOVAL, IOCTL_DISK_MEDIA_REMOVAL, IOCTL_TAPE_MEDIA_REMOVAL, IOCTL_CDROM_MEDIA_REMOVAL,
  IOCTL_STORAGE_EJECTION_CONTROL, IOCTL_STORAGE_EJECT_MEDIA, IOCTL_STORAGE_LOAD_MEDIA, IOCTL_STORAGE_LOAD_MEDIA2,
  IOCTL_STORAGE_CHECK_VERIFY, IOCTL_STORAGE_CHECK_VERIFY2, IOCTL_STORAGE_RESERVE, IOCTL_STORAGE_RELEASE,
  IOCTL_STORAGE_MCN_CONTROL,
} from '../../src/codecs/ioctl-codes';
import {
  STATUS_SUCCESS, STATUS_ACCESS_DENIED, STATUS_INFO_LENGTH_MISMATCH, STATUS_INVALID_DEVICE_STATE,
  STATUS_DEVICE_BUSY, STATUS_INVALID_DEVICE_REQUEST, STATUS_NO_MEDIA_IN_DEVICE, STATUS_BUFFER_TOO_SMALL,
  ntError,
} from '../../src/codecs/ntstatus';
import { layouts } from '../../src/codecs/layouts';
import {
  Sut, UnitAttentionModel, assertParams, commandsOptions, pick, u32le, READ_WRITE, GENERIC_READ, FILE_READ_ATTRIBUTES, type Expected,
} from './model-helpers';

const INITIATORS = ['host0', 'host1', 'host2'] as const;
const PROCESSES = ['pA', 'pB', 'pC'] as const;
const SECTOR = 512;
const SECTORS = 64;

// ---------------------------------------------------------------- the model

interface HandleModel {
  readonly id: number;
  readonly process: string;
  readonly initiator: string;
  /** holds FILE_READ_DATA (io-manager.md §2: GENERIC_READ maps to it) */
  readonly canRead: boolean;
  /** secure locks this handle holds (FILE_OBJECT_EXTENSION LockCount, §1) */
  secure: number;
  mcnDisable: number;
}

interface PathModel {
  /** simple locks, no owner (§1) */
  lock: number;
  /** secure locks, sum over the path's handles */
  protectedLocks: number;
}

interface Model {
  readonly removable: boolean;
  handles: HandleModel[];
  readonly paths: Map<string, PathModel>;
  readonly ua: UnitAttentionModel;
  // the device (scsi-device.md §1)
  present: boolean;
  readonly prevent: Set<string>;
  holder: string | null;
}

type Real = Sut;

type Scsi = 'prevent' | 'allow' | 'eject' | 'load' | 'tur' | 'read' | 'reserve' | 'release';

/** One command reaching the device from `initiator`, as the class driver sees its final answer. */
function scsi(m: Model, initiator: string, cmd: Scsi): number {
  // scsi-device.md §2 step 1 + class-driver.md §10.1: unit attentions are reported, counted and retried
  m.ua.consume(initiator);
  // §2 step 3 / §4: every command but RELEASE conflicts for a non-holder → STATUS_DEVICE_BUSY (§10 step 1)
  if (m.holder !== null && m.holder !== initiator && cmd !== 'release') return STATUS_DEVICE_BUSY;
  switch (cmd) {
    case 'tur': case 'read':
      return m.present ? STATUS_SUCCESS : STATUS_NO_MEDIA_IN_DEVICE;
    case 'prevent': m.prevent.add(initiator); return STATUS_SUCCESS;        // §3.3
    case 'allow': m.prevent.delete(initiator); return STATUS_SUCCESS;
    case 'eject':                                                           // §3.2 steps 3-4
      if (!m.removable) return STATUS_INVALID_DEVICE_REQUEST;
      if (m.prevent.size > 0) return STATUS_INVALID_DEVICE_REQUEST;
      m.present = false;
      return STATUS_SUCCESS;
    case 'load':                                                            // §3.2 steps 3, 5
      if (!m.removable) return STATUS_INVALID_DEVICE_REQUEST;
      if (!m.present) {
        m.present = true;
        m.ua.mediumLoaded();
      }
      return STATUS_SUCCESS;
    case 'reserve': m.holder = initiator; return STATUS_SUCCESS;            // §4
    case 'release': if (m.holder === initiator) m.holder = null; return STATUS_SUCCESS;
  }
}

/** class-driver.md §5.5 / io-manager.md §6: release the handle's secure locks, ALLOW when nothing remains. */
function closeProcessing(m: Model, h: HandleModel): void {
  const p = m.paths.get(h.initiator)!;
  if (h.secure > 0) {
    p.protectedLocks -= h.secure;
    h.secure = 0;
    // result ignored; not limited to removable disks
    if (p.protectedLocks === 0 && p.lock === 0) scsi(m, h.initiator, 'allow');
  }
  h.mcnDisable = 0;
  m.handles = m.handles.filter((x) => x !== h);
}

const none = (status: number, why: string): Expected => ({ status, information: 0, output: new Uint8Array(0), why });

// ---------------------------------------------------------------- commands

class Open implements fc.Command<Model, Real> {
  constructor(readonly process: string, readonly initiator: string, readonly access: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length < 8;
  run(m: Model, r: Real): void {
    const id = r.open(this.process, this.initiator, this.access);
    m.handles.push({
      id, process: this.process, initiator: this.initiator,
      canRead: (this.access & GENERIC_READ) !== 0, secure: 0, mcnDisable: 0,
    });
  }
  toString = (): string => `open(${this.process}, ${this.initiator}, 0x${this.access.toString(16)})`;
}

const SIMPLE_CODES = [IOCTL_STORAGE_MEDIA_REMOVAL, IOCTL_DISK_MEDIA_REMOVAL, IOCTL_TAPE_MEDIA_REMOVAL, IOCTL_CDROM_MEDIA_REMOVAL];

class Lock implements fc.Command<Model, Real> {
  /** secure = EJECTION_CONTROL, else MEDIA_REMOVAL (or its DISK/TAPE/CDROM alias `alias`) */
  constructor(readonly h: number, readonly secure: boolean, readonly byte: number, readonly inputLength: number, readonly alias: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const code = this.secure ? IOCTL_STORAGE_EJECTION_CONTROL : SIMPLE_CODES[this.alias % SIMPLE_CODES.length]!;
    const input = new Uint8Array(this.inputLength);
    if (this.inputLength > 0) input.set(layouts.PREVENT_MEDIA_REMOVAL.bytes({ PreventMediaRemoval: this.byte }));
    const exp = ((): Expected => {
      // io-manager.md §2: MEDIA_REMOVAL needs FILE_READ_ACCESS, EJECTION_CONTROL is FILE_ANY_ACCESS
      if (!this.secure && !h.canRead) return none(STATUS_ACCESS_DENIED, 'io-manager.md §2 access check');
      if (this.inputLength < 1) return none(STATUS_INFO_LENGTH_MISMATCH, 'class-driver.md §5.1 step 1');
      const p = m.paths.get(h.initiator)!;
      const saved = { lock: p.lock, prot: p.protectedLocks, secure: h.secure };
      const lock = this.byte !== 0;                                            // §5.2 step 2
      if (lock) {                                                               // step 3
        if (this.secure) { h.secure++; p.protectedLocks++; } else p.lock++;
      } else {                                                                  // step 4
        if (this.secure) {
          if (h.secure === 0) return none(STATUS_INVALID_DEVICE_STATE, 'class-driver.md §5.2 step 4 (secure unlock without a lock)');
          h.secure--; p.protectedLocks--;
        } else if (p.lock > 0) p.lock--;
        if (p.lock !== 0 || p.protectedLocks !== 0) return none(STATUS_SUCCESS, 'class-driver.md §5.2 step 4: counts remain, nothing sent');
      }
      if (!m.removable) return none(STATUS_SUCCESS, 'class-driver.md §5.2 step 5: not removable, nothing sent');
      const st = scsi(m, h.initiator, lock && (this.byte & 1) === 1 ? 'prevent' : 'allow'); // step 6: p = byte & 1
      if (st !== STATUS_SUCCESS) {                                             // step 7: rollback
        p.lock = saved.lock; p.protectedLocks = saved.prot; h.secure = saved.secure;
      }
      return none(st, 'class-driver.md §5.2 steps 6-7, §5.4 (rollback on failure)');
    })();
    r.ioctl(h.id, code, input, 0, exp);
  }
  toString = (): string => `${this.secure ? 'EJECTION_CONTROL' : 'MEDIA_REMOVAL'}(h#${this.h}, byte ${this.byte}, len ${this.inputLength}${this.secure ? '' : `, alias ${this.alias % 4}`})`;
}

class EjectLoad implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly kind: 'eject' | 'load' | 'load2') {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const code = this.kind === 'eject' ? IOCTL_STORAGE_EJECT_MEDIA : this.kind === 'load' ? IOCTL_STORAGE_LOAD_MEDIA : IOCTL_STORAGE_LOAD_MEDIA2;
    const exp = ((): Expected => {
      if (this.kind !== 'load2' && !h.canRead) return none(STATUS_ACCESS_DENIED, 'io-manager.md §2 (LOAD_MEDIA2 needs no right)');
      if (m.paths.get(h.initiator)!.protectedLocks !== 0) return none(STATUS_DEVICE_BUSY, 'class-driver.md §4 step 2: a secure lock on this path');
      return none(scsi(m, h.initiator, this.kind === 'eject' ? 'eject' : 'load'), 'class-driver.md §4 steps 3-4, scsi-device.md §3.2');
    })();
    r.ioctl(h.id, code, new Uint8Array(0), 0, exp);
  }
  toString = (): string => `${this.kind.toUpperCase()}(h#${this.h})`;
}

class CheckVerify implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly v2: boolean, readonly outputLength: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const exp = ((): Expected => {
      if (!this.v2 && !h.canRead) return none(STATUS_ACCESS_DENIED, 'io-manager.md §2');
      if (this.outputLength !== 0 && this.outputLength < 4) return none(STATUS_BUFFER_TOO_SMALL, 'class-driver.md §7 step 1');
      const st = scsi(m, h.initiator, 'tur');
      // §7 step 3: with an output buffer the count is written and Information is 4 whatever the TUR's status;
      // io-manager.md §4: an error status copies nothing back and reports 0
      if (this.outputLength >= 4 && !ntError(st)) {
        return { status: st, information: 4, output: u32le(m.ua.mcc.get(h.initiator)!), why: 'class-driver.md §7 step 3, §10.1 (MediaChangeCount)' };
      }
      return none(st, 'class-driver.md §7 step 4');
    })();
    r.ioctl(h.id, this.v2 ? IOCTL_STORAGE_CHECK_VERIFY2 : IOCTL_STORAGE_CHECK_VERIFY, new Uint8Array(0), this.outputLength, exp);
  }
  toString = (): string => `CHECK_VERIFY${this.v2 ? '2' : ''}(h#${this.h}, out ${this.outputLength})`;
}

class Read implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly lba: number, readonly sectors: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const exp = ((): Expected => {
      if (!h.canRead) return none(STATUS_ACCESS_DENIED, 'io-manager.md §5');
      if (this.sectors === 0) return none(STATUS_SUCCESS, 'class-driver.md §9 step 3: length 0, nothing sent');
      const st = scsi(m, h.initiator, 'read');
      if (st !== STATUS_SUCCESS) return none(st, 'class-driver.md §9 step 5');
      return { status: st, information: this.sectors * SECTOR, output: new Uint8Array(this.sectors * SECTOR), why: 'never-written sectors read as zeros' };
    })();
    r.read(h.id, this.lba, this.sectors, exp);
  }
  toString = (): string => `read(h#${this.h}, ${this.lba}, ${this.sectors})`;
}

class ReserveRelease implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly reserve: boolean) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    const exp = !h.canRead
      ? none(STATUS_ACCESS_DENIED, 'io-manager.md §2')
      : none(scsi(m, h.initiator, this.reserve ? 'reserve' : 'release'), 'class-driver.md §3, scsi-device.md §4');
    r.ioctl(h.id, this.reserve ? IOCTL_STORAGE_RESERVE : IOCTL_STORAGE_RELEASE, new Uint8Array(0), 0, exp);
  }
  toString = (): string => `${this.reserve ? 'RESERVE' : 'RELEASE'}(h#${this.h})`;
}

class McnControl implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly byte: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    let exp: Expected;
    if (this.byte !== 0) { h.mcnDisable++; exp = none(STATUS_SUCCESS, 'class-driver.md §6'); }
    else if (h.mcnDisable === 0) exp = none(STATUS_INVALID_DEVICE_STATE, 'class-driver.md §6: enable without a disable');
    else { h.mcnDisable--; exp = none(STATUS_SUCCESS, 'class-driver.md §6'); }
    r.ioctl(h.id, IOCTL_STORAGE_MCN_CONTROL, Uint8Array.of(this.byte), 0, exp);
  }
  toString = (): string => `MCN_CONTROL(h#${this.h}, ${this.byte})`;
}

class Close implements fc.Command<Model, Real> {
  constructor(readonly h: number) {}
  check = (m: Readonly<Model>): boolean => m.handles.length > 0;
  run(m: Model, r: Real): void {
    const h = pick(m.handles, this.h);
    closeProcessing(m, h);
    r.close(h.id);
  }
  toString = (): string => `close(h#${this.h})`;
}

class Exit implements fc.Command<Model, Real> {
  constructor(readonly process: string) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    for (const h of m.handles.filter((x) => x.process === this.process)) closeProcessing(m, h); // in opening order
    r.exit(this.process);
  }
  toString = (): string => `exit(${this.process})`;
}

class PowerCycle implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    // scsi-device.md §6: reservation and every prevent cleared, 29h/00h for everyone; medium and host counts stay
    m.holder = null;
    m.prevent.clear();
    m.ua.powerOn();
    r.powerCycle();
  }
  toString = (): string => 'powerCycle()';
}

class Reboot implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    // io-manager.md §6: handles vanish without close processing, counts and MediaChangeCount 0, no UA pending
    m.handles = [];
    for (const p of m.paths.values()) { p.lock = 0; p.protectedLocks = 0; }
    m.holder = null;
    m.prevent.clear();
    m.ua.reboot();
    r.reboot();
  }
  toString = (): string => 'reboot()';
}

// ---------------------------------------------------------------- arbitraries

const hIdx = fc.nat({ max: 15 });
const lockByte = fc.constantFrom(0, 0, 1, 1, 2, 0xff);
const lockLength = fc.constantFrom(1, 1, 1, 1, 1, 1, 1, 0, 3);
const open = fc.record({
  p: fc.constantFrom(...PROCESSES), i: fc.constantFrom(...INITIATORS),
  a: fc.constantFrom(READ_WRITE, READ_WRITE, READ_WRITE, GENERIC_READ, FILE_READ_ATTRIBUTES),
}).map(({ p, i, a }) => new Open(p, i, a));
const simple = fc.tuple(hIdx, lockByte, lockLength, fc.nat({ max: 3 })).map(([h, b, l, a]) => new Lock(h, false, b, l, a));
const secure = fc.tuple(hIdx, lockByte, lockLength).map(([h, b, l]) => new Lock(h, true, b, l, 0));
const ejectLoad = fc.tuple(hIdx, fc.constantFrom('eject' as const, 'eject' as const, 'load' as const, 'load2' as const)).map(([h, k]) => new EjectLoad(h, k));
const checkVerify = fc.tuple(hIdx, fc.boolean(), fc.constantFrom(0, 2, 4, 4, 8)).map(([h, v2, o]) => new CheckVerify(h, v2, o));
const read = fc.tuple(hIdx, fc.nat({ max: SECTORS - 2 }), fc.nat({ max: 2 })).map(([h, l, s]) => new Read(h, l, s));
const reserve = fc.tuple(hIdx, fc.constantFrom(true, false, false)).map(([h, res]) => new ReserveRelease(h, res));
const mcn = fc.tuple(hIdx, fc.constantFrom(0, 1)).map(([h, b]) => new McnControl(h, b));
const close = hIdx.map((h) => new Close(h));
const exit = fc.constantFrom(...PROCESSES).map((p) => new Exit(p));
/** repeated entries weigh more: locks and ejects are what this model is about */
const commands = [
  open, open, simple, simple, simple, secure, secure, ejectLoad, ejectLoad, ejectLoad, checkVerify, checkVerify,
  read, reserve, mcn, close, exit, fc.constant(new PowerCycle()), fc.constant(new Reboot()),
];

describe('media locks: model-based (class-driver.md §4-§5, scsi-device.md §3.2-§3.3, §6)', () => {
  test('every status, Information and MediaChangeCount agrees with the model', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(true, true, true, false), fc.boolean(), fc.commands(commands, commandsOptions(40)),
        (removable, absent, cmds) => {
          const medium = removable && absent ? 'absent' : 'present';
          const setup = () => ({
            model: {
              removable, handles: [], present: medium === 'present', prevent: new Set<string>(), holder: null,
              paths: new Map(INITIATORS.map((i) => [i, { lock: 0, protectedLocks: 0 }])),
              ua: new UnitAttentionModel(INITIATORS),
            } satisfies Model as Model,
            real: new Sut({ removable, medium, sectors: SECTORS, seed: 7 }, 'media locks'),
          });
          // every sequence starts with two handles on two paths, so short sequences already mean something
          fc.modelRun(setup, [new Open('pA', 'host0', READ_WRITE), new Open('pB', 'host1', READ_WRITE), ...cmds]);
        },
      ),
      assertParams(250),
    );
  });
});
