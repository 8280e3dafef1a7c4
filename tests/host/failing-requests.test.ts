// STYLE.md's fuzz invariant for the host side, as a model-free stateful property (fc.commands): after every
// request that fails (error or warning status), host and device state are unchanged except for the side
// effects the spec allows — one explicit allow-list:
//   - a consumed unit attention and the path's MediaChangeCount (class-driver.md §10.1);
//   - FDO_HACK_NO_RESERVE6 set by a rejected RESERVE(6)/RELEASE(6) (class-driver.md §3).
import fc from 'fast-check';
import { Host } from '../../src/host';
import { VirtualDisk } from '../../src/device/virtual-disk';
import { IOCTL_CODES } from '../../src/codecs/ioctl-codes';
import { ntSuccess, statusName } from '../../src/codecs/ntstatus';

interface Real { host: Host; disk: VirtualDisk; handles: number[] }
type Model = Record<string, never>;

function comparable(r: Real): unknown {
  const s = JSON.parse(JSON.stringify({ host: r.host.snapshot(), device: r.disk.snapshot() }));
  for (const p of s.host.paths) { delete p.mediaChangeCount; delete p.noReserve6; }
  delete s.device.unitAttentions;
  return s;
}

function check(r: Real, label: string, act: () => { status: number; information: number; output: Uint8Array }, outLen?: number): void {
  const before = comparable(r);
  const res = act();
  if (outLen !== undefined) expect(res.output.length).toBeLessThanOrEqual(outLen);
  if (res.status >>> 30 === 3) expect([label, res.information, res.output.length]).toEqual([label, 0, 0]);
  if (!ntSuccess(res.status)) expect([label, statusName(res.status), comparable(r)]).toEqual([label, statusName(res.status), before]);
}

const pick = (r: Real, i: number): number => (r.handles.length === 0 ? 12345 : r.handles[i % r.handles.length]!);
const codes = [...IOCTL_CODES.map((c) => c.value), 0x0007d01c, 0x00075018, 0x0007d4a8, 0x001f0940];

class Open implements fc.Command<Model, Real> {
  constructor(readonly initiator: string, readonly process: string, readonly access: number) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void { r.handles.push(r.host.open({ initiator: this.initiator, process: this.process, access: this.access })); }
  toString(): string { return `open(${this.initiator},${this.process},${this.access})`; }
}
class Ioctl implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly code: number, readonly input: Uint8Array, readonly outLen: number) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void {
    check(r, this.toString(), () => r.host.deviceIoControl(pick(r, this.h), this.code, this.input, this.outLen), this.outLen);
  }
  toString(): string { return `ioctl(${this.h},0x${this.code.toString(16)},${Buffer.from(this.input).toString('hex')},${this.outLen})`; }
}
class ReadWrite implements fc.Command<Model, Real> {
  constructor(readonly h: number, readonly write: boolean, readonly lba: number, readonly n: number) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void {
    const h = pick(r, this.h);
    check(r, this.toString(), () => (this.write ? r.host.write(h, this.lba, new Uint8Array(this.n * 512).fill(0xa5)) : r.host.read(h, this.lba, this.n)));
  }
  toString(): string { return `${this.write ? 'write' : 'read'}(${this.h},${this.lba},${this.n})`; }
}
class Close implements fc.Command<Model, Real> {
  constructor(readonly h: number) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void { r.host.close(pick(r, this.h)); }
  toString(): string { return `close(${this.h})`; }
}
class Exit implements fc.Command<Model, Real> {
  constructor(readonly process: string) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void { r.host.exitProcess(this.process); }
  toString(): string { return `exit(${this.process})`; }
}
class Power implements fc.Command<Model, Real> {
  constructor(readonly reboot: boolean) {}
  check(): boolean { return true; }
  run(_m: Model, r: Real): void { if (this.reboot) r.host.reboot(); else r.host.powerCycle(); }
  toString(): string { return this.reboot ? 'reboot' : 'powerCycle'; }
}

const initiator = fc.constantFrom('a', 'b');
const proc = fc.constantFrom('p', 'q');
const commands = [
  fc.record({ i: initiator, p: proc, a: fc.constantFrom(0, 1, 2, 3, 0xc0000000) }).map(({ i, p, a }) => new Open(i, p, a)),
  fc.record({
    h: fc.nat(7), code: fc.constantFrom(...codes),
    input: fc.oneof(fc.uint8Array({ maxLength: 40, size: 'max' }), fc.constantFrom(Uint8Array.of(1), Uint8Array.of(0))),
    out: fc.constantFrom(0, 1, 3, 4, 8, 64, 300),
  }).map(({ h, code, input, out }) => new Ioctl(h, code, input, out)),
  fc.record({ h: fc.nat(7), w: fc.boolean(), lba: fc.constantFrom(0, 1, 2046, 2047, 2048), n: fc.constantFrom(0, 1, 2) })
    .map(({ h, w, lba, n }) => new ReadWrite(h, w, lba, n)),
  fc.nat(7).map((h) => new Close(h)),
  proc.map((p) => new Exit(p)),
  fc.boolean().map((b) => new Power(b)),
];

test('a failing request leaves host and device state unchanged, except the allow-listed side effects', () => {
  fc.assert(fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
    const disk = new VirtualDisk({});
    fc.modelRun(() => ({ model: {}, real: { host: new Host(disk), disk, handles: [] } }), cmds);
  }), { numRuns: 150 });
});
