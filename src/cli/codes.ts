// `vdisk codes [NAME|VALUE]`: the IOCTL table of spec/ioctl-codes.md §3 (read from the one code table,
// src/codecs/ioctl-codes.ts), or one code decomposed — device type, function, method, required access,
// handler, the STORAGE code a legacy alias maps to — with the structures it takes and returns.

import {
  codeByValue, codeNames, decomposeCode, IOCTL_CODES, parseCode, storageAlias, type IoctlName,
} from '../codecs/ioctl-codes';
import { hexStatus } from '../codecs/ntstatus';
import type { LayoutName } from '../codecs/layouts';
import { EXIT_OK, parse, usageError, type CliIo } from './io';

export const CODES_USAGE = `usage: vdisk codes [NAME|VALUE]

Without an argument: every IOCTL code vdisk knows (spec/ioctl-codes.md §3). With a name
(IOCTL_STORAGE_RESERVE), a decimal or a hex value (0x002D4810): that code decomposed (CTL_CODE fields,
required access, handler, legacy alias target) and the structures it takes and returns. Any 32-bit value
decomposes; an unknown one is answered with STATUS_INVALID_DEVICE_REQUEST by vdisk.

  -h, --help   this text`;

/** One part of an input or output buffer: a layout of spec/layouts.md, or a described value. */
export interface BufferPart {
  readonly layout?: LayoutName;
  readonly note: string;
}

export interface CodeBuffers {
  readonly input: readonly BufferPart[];
  readonly output: readonly BufferPart[];
}

const L = (layout: LayoutName, note = ''): BufferPart => ({ layout, note });
const N = (note: string): BufferPart => ({ note });
const PMR: CodeBuffers = { input: [L('PREVENT_MEDIA_REMOVAL', '1 byte; any non-zero byte locks (class-driver.md §5)')], output: [] };
const AUTH = (note: string): BufferPart => L('AUTH_KEY', note);

/**
 * What each handled code reads and writes: class-driver.md §3-§8 and band-management.md §1.3 / §3. Keyed by
 * the STORAGE name; a legacy alias shows its target's row.
 */
export const CODE_BUFFERS: Partial<Record<IoctlName, CodeBuffers>> = {
  IOCTL_STORAGE_CHECK_VERIFY: { input: [], output: [N('optional ULONG MediaChangeCount (output ≥ 4 bytes; 1-3 bytes → STATUS_BUFFER_TOO_SMALL), §7')] },
  IOCTL_STORAGE_CHECK_VERIFY2: { input: [], output: [N('optional ULONG MediaChangeCount, as CHECK_VERIFY (§7)')] },
  IOCTL_STORAGE_MEDIA_REMOVAL: PMR,
  IOCTL_STORAGE_EJECTION_CONTROL: PMR,
  IOCTL_STORAGE_MCN_CONTROL: PMR,
  IOCTL_STORAGE_EJECT_MEDIA: { input: [], output: [] },
  IOCTL_STORAGE_LOAD_MEDIA: { input: [], output: [] },
  IOCTL_STORAGE_LOAD_MEDIA2: { input: [], output: [] },
  IOCTL_STORAGE_RESERVE: { input: [], output: [] },
  IOCTL_STORAGE_RELEASE: { input: [], output: [] },
  IOCTL_STORAGE_FIND_NEW_DEVICES: { input: [], output: [] },
  IOCTL_STORAGE_PERSISTENT_RESERVE_IN: {
    input: [L('PERSISTENT_RESERVE_COMMAND', 'PR_IN view: ServiceAction, AllocationLength (§8)')],
    output: [
      L('PRI_REGISTRATION_LIST', 'READ_KEYS'),
      L('PRI_RESERVATION_LIST', 'READ_RESERVATIONS (PRI_RESERVATION_DESCRIPTOR entries)'),
    ],
  },
  IOCTL_STORAGE_PERSISTENT_RESERVE_OUT: {
    input: [
      L('PERSISTENT_RESERVE_COMMAND', 'PR_OUT view: ServiceAction, Type, Scope; Size ≥ input length (§8.1)'),
      L('PRO_PARAMETER_LIST', 'at offset 10 (input ≥ 36 bytes)'),
    ],
    output: [],
  },
  IOCTL_EHSTOR_BANDMGMT_QUERY_CAPABILITIES: { input: [], output: [L('BAND_MANAGEMENT_CAPABILITIES', 'size query: output 0 → STATUS_BUFFER_OVERFLOW, Information 40')] },
  IOCTL_EHSTOR_BANDMGMT_ACTIVATE: { input: [L('ACTIVATE_REVERT_PARAMETERS'), AUTH('at AuthKeyOffset; 0 = default key (SID)')], output: [] },
  IOCTL_EHSTOR_BANDMGMT_REVERT: { input: [L('ACTIVATE_REVERT_PARAMETERS'), AUTH('at AuthKeyOffset: SID, or PSID with REVERT_PSID_AUTHKEY')], output: [] },
  IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS: {
    input: [L('ENUMERATE_BANDS_PARAMETERS')],
    output: [L('BAND_TABLE', 'then BandTableEntryCount entries'), L('BAND_TABLE_ENTRY', 'stride 120, or 144 with ENUMBANDS_REPORT_CRYPTO_ALGO')],
  },
  IOCTL_EHSTOR_BANDMGMT_CREATE_BAND: {
    input: [
      L('CREATE_BAND_PARAMETERS'), L('BAND_LOCATION_INFO', 'at BandLocationInfoOffset (required)'),
      L('BAND_SECURITY_INFO', 'at BandSecurityInfoOffset; 0 = both unlocked'), AUTH('at AuthKeyOffset: the new band\'s key; 0 = default key'),
    ],
    output: [N('optional ULONG: the new band id (OutputBufferLength ≥ 4)')],
  },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_LOCATION: {
    input: [L('SET_BAND_LOCATION_PARAMETERS'), AUTH('at AuthKeyOffset: the band\'s key'), L('BAND_LOCATION_INFO', 'at BandLocationInfoOffset (required)')],
    output: [],
  },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_SECURITY: {
    input: [
      L('SET_BAND_SECURITY_PARAMETERS'), AUTH('at CurrentAuthKeyOffset: the band\'s key'),
      AUTH('at NewAuthKeyOffset: the new key; 0 = no change'), L('BAND_SECURITY_INFO', 'at BandSecurityInfoOffset; 0 = no lock change'),
    ],
    output: [],
  },
  IOCTL_EHSTOR_BANDMGMT_GET_BAND_METADATA: { input: [L('GET_BAND_METADATA_PARAMETERS')], output: [N('MetadataSize bytes of the band\'s metadata store')] },
  IOCTL_EHSTOR_BANDMGMT_SET_BAND_METADATA: {
    input: [L('SET_BAND_METADATA_PARAMETERS'), N('MetadataSize bytes at BufferOffset'), AUTH('at AuthKeyOffset: the band\'s key')],
    output: [],
  },
  IOCTL_EHSTOR_BANDMGMT_DELETE_BAND: { input: [L('DELETE_BAND_PARAMETERS'), AUTH('at AuthKeyOffset: the band\'s key')], output: [] },
  IOCTL_EHSTOR_BANDMGMT_ERASE_BAND: { input: [L('ERASE_BAND_PARAMETERS'), AUTH('at NewAuthKeyOffset: the band\'s key after the erase')], output: [] },
  IOCTL_EHSTOR_BANDMGMT_SET_SID: { input: [L('SET_SID_PARAMETERS', 'not handled by vdisk (STATUS_INVALID_DEVICE_REQUEST)')], output: [] },
  IOCTL_EHSTOR_BANDMGMT_ERASE_ALL_BANDS: { input: [], output: [] },
  IOCTL_EHSTOR_TCGDRV_RELINQUISH_SILO: { input: [], output: [] },
};

const METHODS = ['METHOD_BUFFERED', 'METHOD_IN_DIRECT', 'METHOD_OUT_DIRECT', 'METHOD_NEITHER'];
const ACCESS = ['FILE_ANY_ACCESS', 'FILE_READ_ACCESS', 'FILE_WRITE_ACCESS', 'FILE_READ_ACCESS | FILE_WRITE_ACCESS'];
const DEVICE_TYPES: Record<number, string> = {
  0x02: 'FILE_DEVICE_CD_ROM', 0x04: 'FILE_DEVICE_CONTROLLER', 0x07: 'FILE_DEVICE_DISK', 0x1f: 'FILE_DEVICE_TAPE',
  0x2d: 'FILE_DEVICE_MASS_STORAGE', 0x33: 'FILE_DEVICE_DVD', 0x46: 'FILE_DEVICE_EHSTOR',
};
const HANDLERS: Record<string, string> = {
  class: 'class driver (class-driver.md)',
  band: 'band-management silo (band-management.md)',
  alias: 'legacy alias, remapped to the STORAGE code (ioctl-codes.md §4)',
  none: 'none: STATUS_INVALID_DEVICE_REQUEST (ioctl-codes.md §5)',
};

const hex = (n: number, digits: number): string => `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;

export function codesCommand(argv: readonly string[], io: CliIo): number {
  const args = parse(argv, {});
  if (!args.ok) return usageError(io, 'codes', args.message, CODES_USAGE);
  if (args.values.help) {
    io.stdout.write(`${CODES_USAGE}\n`);
    return EXIT_OK;
  }
  if (args.positionals.length > 1) return usageError(io, 'codes', 'expected at most one NAME or VALUE', CODES_USAGE);
  if (args.positionals.length === 0) {
    io.stdout.write(`${'name'.padEnd(42)} ${'hex'.padEnd(10)} type   func  m a handler\n`);
    for (const c of IOCTL_CODES) {
      io.stdout.write(`${c.name.padEnd(42)} ${hexStatus(c.value)} ${hex(c.deviceType, 4)} ${hex(c.function, 3)} ${c.method} ${c.access} ${c.handler}\n`);
    }
    return EXIT_OK;
  }
  const code = parseCode(args.positionals[0]!);
  if (code === undefined) {
    return usageError(io, 'codes', `${JSON.stringify(args.positionals[0])} is not a known IOCTL name or a value in 0..0xFFFFFFFF`, CODES_USAGE);
  }
  io.stdout.write(describeCode(code));
  return EXIT_OK;
}

/** The decomposition of one code, as printed by `vdisk codes VALUE`. */
export function describeCode(code: number): string {
  const p = decomposeCode(code);
  const names = codeNames(code);
  const known = codeByValue(code);
  const alias = storageAlias(code);
  const target = alias !== undefined ? codeByValue(alias) : undefined;
  const lines = [
    `code         ${hexStatus(code)} (${code >>> 0})`,
    `name         ${names.length ? names.join(' = ') : '(not in ioctl-codes.md §3)'}`,
    `device type  ${hex(p.deviceType, 4)}${DEVICE_TYPES[p.deviceType] ? ` ${DEVICE_TYPES[p.deviceType]}` : ''}`,
    `function     ${hex(p.function, 3)}`,
    `method       ${p.method} ${METHODS[p.method]}`,
    `access       ${p.access} ${ACCESS[p.access]} (handle needs ${p.access === 0 ? 'no right' : [p.access & 1 ? 'FILE_READ_DATA' : '', p.access & 2 ? 'FILE_WRITE_DATA' : ''].filter(Boolean).join(' and ')})`,
  ];
  // classpnp remaps only to its own codes (ioctl-codes.md §4): a remapped band code stays unknown
  const effective = target !== undefined && target.handler === 'class' ? target : known?.handler === 'alias' ? undefined : known;
  if (alias !== undefined) {
    lines.push(`alias of     ${hexStatus(alias)} ${target !== undefined && target.handler === 'class' ? target.name : '(not a class-driver code: unknown, STATUS_INVALID_DEVICE_REQUEST)'}`);
  }
  if (alias !== undefined && target?.name === 'IOCTL_STORAGE_PERSISTENT_RESERVE_IN') {
    lines.push('quirk        not exactly IOCTL_STORAGE_PERSISTENT_RESERVE_IN: handled as PERSISTENT RESERVE OUT (class-driver.md §8.4)');
  }
  lines.push(`handler      ${known ? HANDLERS[known.handler] : effective ? HANDLERS[effective.handler] : HANDLERS.none}`);
  const quirk = alias !== undefined && target?.name === 'IOCTL_STORAGE_PERSISTENT_RESERVE_IN';
  const buffers = effective ? CODE_BUFFERS[quirk ? 'IOCTL_STORAGE_PERSISTENT_RESERVE_OUT' : effective.name] : undefined;
  if (buffers) {
    lines.push(`input        ${buffers.input.length ? '' : '(none; ignored)'}`);
    for (const b of buffers.input) lines.push(`  ${b.layout ?? '-'}${b.note ? `  ${b.note}` : ''}`);
    lines.push(`output       ${buffers.output.length ? '' : '(none)'}`);
    for (const b of buffers.output) lines.push(`  ${b.layout ?? '-'}${b.note ? `  ${b.note}` : ''}`);
  }
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
