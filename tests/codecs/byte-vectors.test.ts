// The byte vectors of spec/layouts.md §4, read from the spec at test time, both ways: the hex decodes to the
// values the spec states, and those values encode to the hex. Plus the byte-dump checks listed under
// PERSISTENT_RESERVE_COMMAND and PRI_RESERVATION_DESCRIPTOR (layouts.md §1) and the 8-byte alignment of
// every BandStart. Sizes come from spec/data/layouts.json.
import { layouts } from '../../src/codecs/layouts';
import type { Layout } from '../../src/codecs/layout';
import {
  PERSISTENT_LOCK, RESERVATION_ACTION_READ_KEYS, RESERVATION_ACTION_REGISTER, RESERVATION_ACTION_RESERVE,
  RESERVATION_SCOPE_LU, RESERVATION_TYPE_WRITE_EXCLUSIVE,
} from '../../src/codecs/windows/constants';
import { specJson, specText } from '../support/spec';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const { PERSISTENT_RESERVE_COMMAND, PRO_PARAMETER_LIST, SET_BAND_SECURITY_PARAMETERS, AUTH_KEY, BAND_SECURITY_INFO, BAND_TABLE_ENTRY } = layouts;

const sizes = new Map(specJson<{ name: string; size: number }[]>('layouts').map((s) => [s.name, s.size]));
const sizeOf = (name: string): number => sizes.get(name)!;

/** §4's vectors by their bold title: indented hex lines, "+ N × XX" expanded; inline backticks kept as a prefix. */
function vectors(): Map<string, { hex: string; prefixOnly: boolean }> {
  const md = specText('layouts.md');
  const section = md.slice(md.indexOf('## 4. Byte vectors'));
  const out = new Map<string, { hex: string; prefixOnly: boolean }>();
  for (const para of section.split(/\n(?=\*\*)/).slice(1)) {
    const title = /^\*\*([^*]+)\*\*/.exec(para)![1]!.trim();
    const block = para.split('\n').filter((l) => /^ {4}\S/.test(l)).join(' ');
    if (block) {
      const hex = block.replace(/\+\s*(\d+)\s*×\s*([0-9a-f]{2})/gi, (_m, n: string, b: string) => b.repeat(Number(n)));
      out.set(title, { hex: hex.replace(/\s+/g, '').toLowerCase(), prefixOnly: false });
    } else {
      const inline = /`([0-9a-f ]+)…?`/i.exec(para);
      if (inline) out.set(title, { hex: inline[1]!.replace(/\s+/g, '').toLowerCase(), prefixOnly: true });
    }
  }
  return out;
}
const V = vectors();
const vector = (title: string): Uint8Array => Uint8Array.from(Buffer.from(V.get(title)!.hex, 'hex'));

function decoded<T>(layout: Layout<T>, bytes: Uint8Array, at = 0): T {
  const r = layout.decode(bytes, at);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const PR_OUT_INPUT = sizeOf('PERSISTENT_RESERVE_COMMAND') + sizeOf('PRO_PARAMETER_LIST'); // 36 (class-driver.md §8.1)
/** The PR_OUT parameter list starts at PR_OUT.ParameterList, offset 10, not at sizeof = 12 (layouts.md §1). */
const listAt = PERSISTENT_RESERVE_COMMAND.fields.find((f) => f.name === 'PR_OUT.ParameterList')!.offset;

function prOutInput(
  command: Parameters<typeof PERSISTENT_RESERVE_COMMAND.encode>[0],
  list: Parameters<typeof PRO_PARAMETER_LIST.encode>[0],
): Uint8Array {
  const b = new Uint8Array(PR_OUT_INPUT);
  expect(PERSISTENT_RESERVE_COMMAND.encodeInto(command, b, 0).ok).toBe(true);
  expect(PRO_PARAMETER_LIST.encodeInto(list, b, listAt).ok).toBe(true);
  return b;
}

describe('layouts.md §4 byte vectors', () => {
  test('§4 lists the five vectors this suite checks', () => {
    expect([...V.keys()]).toEqual(['PR_OUT REGISTER', 'PR_OUT RESERVE', 'PR_IN READ KEYS', 'SET_BAND_SECURITY', 'BAND_TABLE_ENTRY']);
  });

  describe('PR_OUT REGISTER', () => {
    const command = { Version: sizeOf('PERSISTENT_RESERVE_COMMAND'), Size: PR_OUT_INPUT, PR_OUT: { ServiceAction: RESERVATION_ACTION_REGISTER, Type: 0, Scope: 0 } };
    const list = { ReservationKey: 0n, ServiceActionReservationKey: 0x1122334455667788n, ActivatePersistThroughPowerLoss: 0 };
    test('decodes to the stated values, with the parameter list at offset 10', () => {
      const b = vector('PR_OUT REGISTER');
      expect(b.length).toBe(PR_OUT_INPUT);
      expect(decoded(PERSISTENT_RESERVE_COMMAND, b)).toMatchObject(command);
      expect(listAt).toBe(10);
      expect(decoded(PRO_PARAMETER_LIST, b, listAt)).toMatchObject(list);
    });
    test('the values encode to the vector', () => {
      expect(toHex(prOutInput(command, list))).toBe(V.get('PR_OUT REGISTER')!.hex);
    });
  });

  describe('PR_OUT RESERVE (Write Exclusive, scope LU)', () => {
    const command = {
      Version: sizeOf('PERSISTENT_RESERVE_COMMAND'), Size: PR_OUT_INPUT,
      PR_OUT: { ServiceAction: RESERVATION_ACTION_RESERVE, Type: RESERVATION_TYPE_WRITE_EXCLUSIVE, Scope: RESERVATION_SCOPE_LU },
    };
    const list = { ReservationKey: 0x1122334455667788n, ServiceActionReservationKey: 0n };
    test('decodes to the stated values; bytes 8 and 9 are 01', () => {
      const b = vector('PR_OUT RESERVE');
      expect([b[8], b[9]]).toEqual([0x01, 0x01]);
      expect(decoded(PERSISTENT_RESERVE_COMMAND, b)).toMatchObject(command);
      expect(decoded(PRO_PARAMETER_LIST, b, listAt)).toMatchObject(list);
    });
    test('the values encode to the vector', () => {
      expect(toHex(prOutInput(command, list))).toBe(V.get('PR_OUT RESERVE')!.hex);
    });
  });

  describe('PR_IN READ KEYS, AllocationLength 256', () => {
    const command = {
      Version: sizeOf('PERSISTENT_RESERVE_COMMAND'), Size: sizeOf('PERSISTENT_RESERVE_COMMAND'),
      PR_IN: { ServiceAction: RESERVATION_ACTION_READ_KEYS, Reserved1: 0, AllocationLength: 256 },
    };
    test('decodes to the stated values (byte 9 is padding, AllocationLength little-endian)', () => {
      expect(decoded(PERSISTENT_RESERVE_COMMAND, vector('PR_IN READ KEYS'))).toMatchObject(command);
    });
    test('the values encode to the vector', () => {
      expect(toHex(PERSISTENT_RESERVE_COMMAND.bytes(command))).toBe(V.get('PR_IN READ KEYS')!.hex);
    });
  });

  describe('SET_BAND_SECURITY, 104 bytes with its AUTH_KEY at 40 and BAND_SECURITY_INFO at 48', () => {
    const params = {
      StructSize: sizeOf('SET_BAND_SECURITY_PARAMETERS'), Flags: 0, Reserved: 0, BandId: 1, BandStart: 0n,
      CurrentAuthKeyOffset: 40, NewAuthKeyOffset: 0, BandSecurityInfoOffset: 48,
    };
    const key = { KeySize: 4, Key: Uint8Array.from(Buffer.from('key1', 'latin1')) };
    const security = {
      StructSize: sizeOf('BAND_SECURITY_INFO'), ReadLock: PERSISTENT_LOCK, WriteLock: PERSISTENT_LOCK, CryptoAlgoIdType: 0,
      CryptoAlgoOidString: { Offset: 0, Length: 0 }, Metadata: new Uint8Array(32),
    };
    test('decodes to the stated values, each part found through its offset field', () => {
      const b = vector('SET_BAND_SECURITY');
      expect(b.length).toBe(104);
      const p = decoded(SET_BAND_SECURITY_PARAMETERS, b);
      expect(p).toMatchObject(params);
      expect(decoded(AUTH_KEY, b, p.CurrentAuthKeyOffset)).toEqual(key);
      expect(decoded(BAND_SECURITY_INFO, b, p.BandSecurityInfoOffset)).toMatchObject(security);
    });
    test('the values encode to the vector', () => {
      const b = new Uint8Array(params.BandSecurityInfoOffset + sizeOf('BAND_SECURITY_INFO'));
      expect(SET_BAND_SECURITY_PARAMETERS.encodeInto(params, b, 0).ok).toBe(true);
      expect(AUTH_KEY.encodeInto({ Key: key.Key }, b, params.CurrentAuthKeyOffset).ok).toBe(true); // KeySize derived
      expect(BAND_SECURITY_INFO.encodeInto(security, b, params.BandSecurityInfoOffset).ok).toBe(true);
      expect(toHex(b)).toBe(V.get('SET_BAND_SECURITY')!.hex);
    });
    test('an AUTH_KEY occupies 4 + KeySize bytes: one byte less is a short error on Key', () => {
      const b = vector('SET_BAND_SECURITY').slice(0, 40 + 4 + 3);
      const r = AUTH_KEY.decode(b, 40);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ field: 'Key', reason: 'short', need: 48, have: 47 });
    });
  });

  describe('BAND_TABLE_ENTRY padding', () => {
    test('BandId 2 then LocationInfo.StructSize 56 encode as the vector: bytes 4-7 padding, LocationInfo at 8', () => {
      const { hex, prefixOnly } = V.get('BAND_TABLE_ENTRY')!;
      expect(prefixOnly).toBe(true);
      const b = BAND_TABLE_ENTRY.bytes({ BandId: 2, LocationInfo: { StructSize: sizeOf('BAND_LOCATION_INFO') } });
      expect(toHex(b).startsWith(hex)).toBe(true);
    });
    test('the padding bytes are ignored when decoding', () => {
      const b = new Uint8Array(sizeOf('BAND_TABLE_ENTRY'));
      b.set(vector('BAND_TABLE_ENTRY'));
      b.fill(0xff, 4, 8);
      const v = decoded(BAND_TABLE_ENTRY, b);
      expect(v.BandId).toBe(2);
      expect(v.LocationInfo.StructSize).toBe(sizeOf('BAND_LOCATION_INFO'));
    });
  });
});

describe('PERSISTENT_RESERVE_COMMAND byte-dump checks (layouts.md §1)', () => {
  const dump = (v: Parameters<typeof PERSISTENT_RESERVE_COMMAND.bytes>[0]): Uint8Array => PERSISTENT_RESERVE_COMMAND.bytes(v);
  test('ServiceAction 0x1F → byte 8 = 0x1F (both views)', () => {
    expect(dump({ PR_IN: { ServiceAction: 0x1f } })[8]).toBe(0x1f);
    expect(dump({ PR_OUT: { ServiceAction: 0x1f } })[8]).toBe(0x1f);
  });
  test('Reserved1 7 → byte 8 = 0xE0', () => {
    expect(dump({ PR_OUT: { Reserved1: 7 } })[8]).toBe(0xe0);
    expect(dump({ PR_IN: { Reserved1: 7 } })[8]).toBe(0xe0);
  });
  test('Type 3, Scope 0 → byte 9 = 0x03', () => {
    expect(dump({ PR_OUT: { Type: 3, Scope: 0 } })[9]).toBe(0x03);
  });
  test('Scope 2 → byte 9 = 0x20', () => {
    expect(dump({ PR_OUT: { Scope: 2 } })[9]).toBe(0x20);
  });
  test('AllocationLength 0xABCD → bytes 10-11 = CD AB', () => {
    const b = dump({ PR_IN: { AllocationLength: 0xabcd } });
    expect([b[10], b[11]]).toEqual([0xcd, 0xab]);
  });
  test('a nibble out of range is an encode error, not a wrap', () => {
    const r = PERSISTENT_RESERVE_COMMAND.encode({ PR_OUT: { Type: 16 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('PR_OUT.Type');
  });
});

describe('reservation descriptor Type/Scope nibbles', () => {
  test.each(['PRI_RESERVATION_DESCRIPTOR', 'PR_IN_RESERVATION_DESCRIPTOR'] as const)('%s: Type 5, Scope 2 → byte 13 = 0x25', (name) => {
    const b = name === 'PRI_RESERVATION_DESCRIPTOR'
      ? layouts.PRI_RESERVATION_DESCRIPTOR.bytes({ Type: 5, Scope: 2 })
      : layouts.PR_IN_RESERVATION_DESCRIPTOR.bytes({ TYPE: 5, SCOPE: 2 });
    expect(b[13]).toBe(0x25);
  });
});

describe('BandStart is 8-byte aligned in every band structure', () => {
  const withBandStart = Object.values(layouts as Record<string, Layout<unknown>>)
    .flatMap((l) => l.leaves.filter((leaf) => leaf.name.endsWith('BandStart')).map((leaf) => [l.name, leaf] as const));
  test('there are such structures', () => expect(withBandStart.length).toBeGreaterThan(5));
  test.each(withBandStart.map(([n, leaf]) => [n, leaf.name, leaf] as const))('%s.%s', (_n, _f, leaf) => {
    expect(leaf.offset % 8).toBe(0);
    expect(leaf.size).toBe(8);
  });
  test('BandStart encodes as a little-endian LARGE_INTEGER at its offset (ENUMERATE_BANDS_PARAMETERS)', () => {
    const b = layouts.ENUMERATE_BANDS_PARAMETERS.bytes({ BandStart: -2n });
    const at = layouts.ENUMERATE_BANDS_PARAMETERS.leaf('BandStart')!.offset;
    expect(toHex(b.subarray(at, at + 8))).toBe('feffffffffffffff');
  });
});

describe('SCSI lists decode only the whole elements present', () => {
  test('READ KEYS with ADDITIONAL_LENGTH 16 and one key in the buffer yields one key', () => {
    const full = layouts.PR_IN_READ_KEYS_DATA.bytes({ PRGENERATION: 7, RESERVATION_KEYS: [1n, 2n] });
    expect(toHex(full.subarray(4, 8))).toBe('00000010');
    const v = decoded(layouts.PR_IN_READ_KEYS_DATA, full.subarray(0, full.length - 1));
    expect(v).toEqual({ PRGENERATION: 7, ADDITIONAL_LENGTH: 16, RESERVATION_KEYS: [1n] });
  });
  test('PRI_RESERVATION_LIST and PR_IN_READ_RESERVATION_DATA read the same bytes', () => {
    const b = layouts.PR_IN_READ_RESERVATION_DATA.bytes({ PRGENERATION: 3, RESERVATION_DESCRIPTOR: [{ RESERVATION_KEY: 9n, TYPE: 5, SCOPE: 0 }] });
    const w = decoded(layouts.PRI_RESERVATION_LIST, b);
    expect(w.AdditionalLength).toBe(16);
    expect(w.Reservations).toHaveLength(1);
    expect(w.Reservations[0]).toMatchObject({ ReservationKey: 9n, Type: 5, Scope: 0 });
  });
});
