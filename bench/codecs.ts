// Codec benchmarks (issues 2 and 8): the compiled layout decoders and encoders against hand-written DataView
// code for the same structures, in the same process, plus restructure's interpretive decode of the same
// declaration for reference. Goal: codec path ≤ 1.5× hand-written.
import { layouts } from '../src/codecs/layouts';
import { referenceDecode } from '../src/codecs/layout/reference';
import { compare, type Comparison } from './harness';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// spec/layouts.md §4 byte vectors
const PR_OUT_RESERVE = hex('0c000000 24000000 0101 1122334455667788 0000000000000000 00000000 00 00 0000 0000');
const SET_BAND_SECURITY = hex(
  '28000000 00000000 00000000 01000000 0000000000000000 28000000 00000000 30000000 00000000' +
  '04000000 6b657931' +
  '38000000 03000000 03000000 00000000 00000000 00000000' + '00'.repeat(32),
);

// ---- the codec path: what a handler does ----

function codecPrOut(b: Uint8Array): unknown {
  const cmd = layouts.PERSISTENT_RESERVE_COMMAND.decode(b);
  if (!cmd.ok) return cmd;
  const list = layouts.PRO_PARAMETER_LIST.decode(b, 10);
  if (!list.ok) return list;
  return [cmd.value, list.value];
}

function codecSetBandSecurity(b: Uint8Array): unknown {
  const p = layouts.SET_BAND_SECURITY_PARAMETERS.decode(b);
  if (!p.ok) return p;
  const key = layouts.AUTH_KEY.decode(b, p.value.CurrentAuthKeyOffset);
  if (!key.ok) return key;
  const info = layouts.BAND_SECURITY_INFO.decode(b, p.value.BandSecurityInfoOffset);
  if (!info.ok) return info;
  return [p.value, key.value, info.value];
}

// ---- hand-written DataView code producing the same values with the same bounds checks ----

const SHORT = { ok: false } as const;

function handPrOut(b: Uint8Array): unknown {
  if (b.length < 12) return SHORT;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const b8 = b[8]!;
  const b9 = b[9]!;
  const cmd = {
    Version: dv.getUint32(0, true),
    Size: dv.getUint32(4, true),
    PR_IN: { ServiceAction: b8 & 0x1f, Reserved1: b8 >>> 5, AllocationLength: dv.getUint16(10, true) },
    PR_OUT: { ServiceAction: b8 & 0x1f, Reserved1: b8 >>> 5, Type: b9 & 0xf, Scope: b9 >>> 4 },
  };
  if (b.length - 10 < 24) return SHORT;
  const b30 = b[30]!;
  const list = {
    ReservationKey: dv.getBigUint64(10, false),
    ServiceActionReservationKey: dv.getBigUint64(18, false),
    ScopeSpecificAddress: b.slice(26, 30),
    ActivatePersistThroughPowerLoss: b30 & 1,
    Reserved1: (b30 >>> 1) & 1,
    AllTargetPorts: (b30 >>> 2) & 1,
    SpecifyInitiatorPorts: (b30 >>> 3) & 1,
    Reserved2: b30 >>> 4,
    Reserved3: b[31]!,
    Obsolete: b.slice(32, 34),
  };
  return [cmd, list];
}

function handSetBandSecurity(b: Uint8Array): unknown {
  if (b.length < 40) return SHORT;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const p = {
    StructSize: dv.getUint32(0, true),
    Flags: dv.getUint32(4, true),
    Reserved: dv.getUint32(8, true),
    BandId: dv.getUint32(12, true),
    BandStart: dv.getBigInt64(16, true),
    CurrentAuthKeyOffset: dv.getUint32(24, true),
    NewAuthKeyOffset: dv.getUint32(28, true),
    BandSecurityInfoOffset: dv.getUint32(32, true),
  };
  const ko = p.CurrentAuthKeyOffset;
  if (ko > b.length || b.length - ko < 4) return SHORT;
  const keySize = dv.getUint32(ko, true);
  if (ko + 4 + keySize > b.length) return SHORT;
  const key = { KeySize: keySize, Key: b.slice(ko + 4, ko + 4 + keySize) };
  const io = p.BandSecurityInfoOffset;
  if (io > b.length || b.length - io < 56) return SHORT;
  const info = {
    StructSize: dv.getUint32(io, true),
    ReadLock: dv.getUint32(io + 4, true),
    WriteLock: dv.getUint32(io + 8, true),
    CryptoAlgoIdType: dv.getUint32(io + 12, true),
    CryptoAlgoOidString: { Offset: dv.getUint32(io + 16, true), Length: dv.getUint32(io + 20, true) },
    CryptoAlgoNumericId: dv.getUint32(io + 16, true),
    Metadata: b.slice(io + 24, io + 56),
  };
  return [p, key, info];
}

function handEncodeProList(v: { ReservationKey: bigint; ServiceActionReservationKey: bigint; ActivatePersistThroughPowerLoss: number }): Uint8Array {
  const out = new Uint8Array(24);
  const dv = new DataView(out.buffer);
  if (v.ReservationKey < 0n || v.ReservationKey > 0xffffffffffffffffn) throw new RangeError('ReservationKey');
  if (v.ServiceActionReservationKey < 0n || v.ServiceActionReservationKey > 0xffffffffffffffffn) throw new RangeError('key');
  if (v.ActivatePersistThroughPowerLoss !== 0 && v.ActivatePersistThroughPowerLoss !== 1) throw new RangeError('APTPL');
  dv.setBigUint64(0, v.ReservationKey, false);
  dv.setBigUint64(8, v.ServiceActionReservationKey, false);
  out[20] = v.ActivatePersistThroughPowerLoss;
  return out;
}

export function runCodecBenchmarks(quick = false): Comparison[] {
  const opts = quick ? { ops: 20_000, rounds: 3 } : {};
  // Sanity: both paths must produce the same values, or the comparison means nothing.
  for (const [a, b, v] of [[codecPrOut, handPrOut, PR_OUT_RESERVE], [codecSetBandSecurity, handSetBandSecurity, SET_BAND_SECURITY]] as const) {
    const x = JSON.stringify(a(v), (_k, val) => (typeof val === 'bigint' ? `${val}n` : val instanceof Uint8Array ? Array.from(val) : val));
    const y = JSON.stringify(b(v), (_k, val) => (typeof val === 'bigint' ? `${val}n` : val instanceof Uint8Array ? Array.from(val) : val));
    if (x !== y) throw new Error(`benchmark paths disagree:\n${x}\n${y}`);
  }
  const value = { ReservationKey: 0x1122334455667788n, ServiceActionReservationKey: 7n, ActivatePersistThroughPowerLoss: 1 };
  const results: Comparison[] = [
    compare('decode PERSISTENT_RESERVE_COMMAND + PRO_PARAMETER_LIST',
      { name: 'codec', fn: () => codecPrOut(PR_OUT_RESERVE) }, { name: 'DataView', fn: () => handPrOut(PR_OUT_RESERVE) }, opts),
    compare('decode SET_BAND_SECURITY_PARAMETERS + AUTH_KEY + BAND_SECURITY_INFO',
      { name: 'codec', fn: () => codecSetBandSecurity(SET_BAND_SECURITY) }, { name: 'DataView', fn: () => handSetBandSecurity(SET_BAND_SECURITY) }, opts),
    compare('encode PRO_PARAMETER_LIST',
      { name: 'codec', fn: () => layouts.PRO_PARAMETER_LIST.encode(value) }, { name: 'DataView', fn: () => handEncodeProList(value) }, opts),
    compare('decode PERSISTENT_RESERVE_COMMAND: restructure reference vs DataView',
      { name: 'restructure', fn: () => referenceDecode(layouts.PERSISTENT_RESERVE_COMMAND, PR_OUT_RESERVE) },
      { name: 'DataView', fn: () => handPrOut(PR_OUT_RESERVE) }, quick ? opts : { ops: 50_000, rounds: 5 }),
  ];
  return results.map((r) => (r.group.includes('restructure') ? r : { ...r, goal: '≤ 1.5×', met: r.ratio <= 1.5 }));
}
