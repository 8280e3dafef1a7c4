// Scenario files (spec/scenario-format.md — a public interface: every op, field and default as written there).
// JSON Lines in, a typed Scenario or a list of ScenarioErrors out — errors are values that name the line and
// the field (zod's `path`); nothing here throws. Unknown ops or fields, bad hex and references to handles no
// earlier `open` named are scenario errors (exit status 2), never device results.

import { parseAccess } from '../codecs/access-rights';
import { parseCode } from '../codecs/ioctl-codes';
import { parseStatus } from '../codecs/ntstatus';
import { resolveDiskOptions, type DiskOptions } from '../device/disk-options';
import { encodeLayoutJson, layoutByName, parseHex, toHex } from './layout-value';

export interface ScenarioError {
  /** 1-based line of the file */
  readonly line: number;
  /** dotted path of the offending field ("input[1].value.Key"); absent when the line itself is bad */
  readonly field?: string;
  readonly message: string;
}

/** `expect` (scenario-format.md "Expectations"): each given field is compared. */
export interface Expectation {
  /** unsigned 32-bit NTSTATUS */
  readonly status?: number;
  readonly information?: number;
  /** lower-case hex without whitespace; compared with the whole returned output */
  readonly output?: string;
}

interface StepBase {
  readonly line: number;
  readonly expect?: Expectation;
}

/** The scenario `disk` options (scenario-format.md table); library-only options are not accepted here. */
export type ScenarioDiskOptions = Pick<
  DiskOptions,
  'sectorSize' | 'sectors' | 'removable' | 'medium' | 'persistentReservations' | 'security' | 'maxBands' |
  'minKeyLength' | 'maxKeyLength' | 'bandMetadataSize' | 'tryLimit' | 'eraseKey' | 'psid' | 'seed'
>;

export type Step =
  | (StepBase & { readonly op: 'disk'; readonly options: ScenarioDiskOptions })
  | (StepBase & { readonly op: 'open'; readonly handle: string; readonly process: string; readonly initiator: string; readonly access: number })
  | (StepBase & { readonly op: 'ioctl'; readonly handle: string; readonly code: number; readonly input: Uint8Array; readonly outputLength: number })
  | (StepBase & { readonly op: 'read'; readonly handle: string; readonly lba: number | bigint; readonly sectors: number })
  | (StepBase & { readonly op: 'write'; readonly handle: string; readonly lba: number | bigint; readonly data: Uint8Array })
  | (StepBase & { readonly op: 'close'; readonly handle: string })
  | (StepBase & { readonly op: 'exit'; readonly process: string })
  | (StepBase & { readonly op: 'power-cycle' })
  | (StepBase & { readonly op: 'reboot' })
  | (StepBase & { readonly op: 'inject'; readonly fault: 'power-loss'; readonly afterWrites: number })
  | (StepBase & { readonly op: 'inject'; readonly fault: 'band-failure'; readonly band: number });

export type Op = Step['op'];

export interface Scenario {
  /** the `disk` op's options, or {} (every default applies) */
  readonly disk: ScenarioDiskOptions;
  /** every op in file order, the `disk` op included (it too reports a result) */
  readonly steps: readonly Step[];
}

export type ParseResult =
  | { readonly ok: true; readonly value: Scenario }
  | { readonly ok: false; readonly errors: readonly ScenarioError[] };

/** Defaults of scenario-format.md. */
export const DEFAULT_PROCESS = 'p0';
export const DEFAULT_INITIATOR = 'host0';
export const DEFAULT_ACCESS: readonly string[] = ['GENERIC_READ', 'GENERIC_WRITE'];

/**
 * Largest `write` with `sectors` + `fill` the parser materialises (64 MiB): the bytes are allocated here, so
 * a count read from a file must be bounded (STYLE.md: never allocate from an untrusted length).
 */
export const MAX_FILL_BYTES = 64 * 1024 * 1024;

const DISK_FIELDS = [
  'sectorSize', 'sectors', 'removable', 'medium', 'persistentReservations', 'security', 'maxBands',
  'minKeyLength', 'maxKeyLength', 'bandMetadataSize', 'tryLimit', 'eraseKey', 'psid', 'seed',
] as const;

/** Fields each op accepts besides `op` and `expect`. */
const FIELDS: Readonly<Record<Op, readonly string[]>> = {
  disk: DISK_FIELDS,
  open: ['handle', 'process', 'initiator', 'access'],
  ioctl: ['handle', 'code', 'input', 'outputLength'],
  read: ['handle', 'lba', 'sectors'],
  write: ['handle', 'lba', 'data', 'sectors', 'fill'],
  close: ['handle'],
  exit: ['process'],
  'power-cycle': [],
  reboot: [],
  inject: ['fault', 'afterWrites', 'band'],
};

const OPS = Object.keys(FIELDS) as Op[];

class LineError {
  constructor(readonly field: string | undefined, readonly message: string) {}
}

type Obj = Record<string, unknown>;

/** Parses a whole scenario file. Every bad line is reported (one error per line, the first found). */
export function parseScenario(text: string): ParseResult {
  const errors: ScenarioError[] = [];
  const steps: Step[] = [];
  const handles = new Set<string>();
  let disk: ScenarioDiskOptions = {};
  let sawOp = false;
  let sawDisk = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = lines[i]!.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) continue;
    let json: unknown;
    try {
      json = JSON.parse(trimmed); // the JSON edge: a syntax error becomes a value here
    } catch (e) {
      errors.push({ line: lineNo, message: `line ${lineNo}: not a JSON object: ${(e as Error).message}` });
      continue;
    }
    const r = parseStep(json, lineNo, { handles, sectorSize: typeof disk.sectorSize === 'number' ? disk.sectorSize : 512 });
    if (r instanceof LineError) {
      const where = r.field !== undefined ? `line ${lineNo}, field ${r.field}` : `line ${lineNo}`;
      errors.push({ line: lineNo, ...(r.field !== undefined ? { field: r.field } : {}), message: `${where}: ${r.message}` });
      // an `open` that failed to parse still introduces its handle name, so later lines do not cascade
      if (typeof (json as Obj | null)?.handle === 'string' && (json as Obj).op === 'open') handles.add((json as Obj).handle as string);
      if ((json as Obj | null)?.op !== 'disk') sawOp = true;
      continue;
    }
    if (r.op === 'disk') {
      if (sawOp || sawDisk) {
        errors.push({
          line: lineNo, field: 'op',
          message: `line ${lineNo}, field op: "disk" is allowed only once, before every other op`,
        });
        continue;
      }
      sawDisk = true;
      disk = r.options;
    } else {
      sawOp = true;
    }
    if (r.op === 'open') handles.add(r.handle);
    steps.push(r);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { disk, steps } };
}

interface Context {
  readonly handles: ReadonlySet<string>;
  readonly sectorSize: number;
}

function parseStep(json: unknown, line: number, ctx: Context): Step | LineError {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return new LineError(undefined, 'not a JSON object');
  const o = json as Obj;
  if (!('op' in o)) return new LineError('op', 'missing (every line needs "op")');
  const op = o.op;
  if (typeof op !== 'string' || !(OPS as string[]).includes(op)) {
    return new LineError('op', `unknown op ${JSON.stringify(op)} (ops: ${OPS.join(', ')})`);
  }
  const allowed = FIELDS[op as Op];
  for (const key of Object.keys(o)) {
    if (key !== 'op' && key !== 'expect' && !allowed.includes(key)) {
      return new LineError(key, `unknown field for op "${op}"${allowed.length ? ` (fields: ${allowed.join(', ')}, expect)` : ' (it takes only expect)'}`);
    }
  }
  let expect: Expectation | undefined;
  if ('expect' in o) {
    const e = parseExpect(o.expect);
    if (e instanceof LineError) return e;
    expect = e;
  }
  const base = { line, ...(expect !== undefined ? { expect } : {}) };
  const r = parseFields(op as Op, o, ctx);
  if (r instanceof LineError) return r;
  return { ...base, ...r } as Step;
}

type StepFields = { op: Op } & Obj;

function parseFields(op: Op, o: Obj, ctx: Context): StepFields | LineError {
  switch (op) {
    case 'disk': {
      const options: Obj = {};
      for (const k of DISK_FIELDS) if (k in o) options[k] = o[k];
      const resolved = resolveDiskOptions(options as DiskOptions);
      if (!resolved.ok) return new LineError(resolved.error.option, resolved.error.message);
      return { op, options };
    }
    case 'open': {
      const handle = handleName(o, 'handle');
      if (handle instanceof LineError) return handle;
      const process = name(o, 'process', DEFAULT_PROCESS);
      if (process instanceof LineError) return process;
      const initiator = name(o, 'initiator', DEFAULT_INITIATOR);
      if (initiator instanceof LineError) return initiator;
      const access = parseAccess('access' in o ? o.access : DEFAULT_ACCESS);
      if (typeof access !== 'number') return new LineError('access', access.error);
      return { op, handle, process, initiator, access };
    }
    case 'ioctl': {
      const handle = knownHandle(o, ctx);
      if (handle instanceof LineError) return handle;
      if (!('code' in o)) return new LineError('code', 'missing');
      const code = typeof o.code === 'string' || typeof o.code === 'number' ? parseCode(o.code) : undefined;
      if (code === undefined) {
        return new LineError('code', `${JSON.stringify(o.code)} is not an IOCTL name, a number or a hex string in 0..0xFFFFFFFF`);
      }
      const input = 'input' in o ? parseInput(o.input, 'input') : new Uint8Array(0);
      if (input instanceof LineError) return input;
      const outputLength = integer(o, 'outputLength', 0, 0xffffffff, 0);
      if (outputLength instanceof LineError) return outputLength;
      return { op, handle, code, input, outputLength };
    }
    case 'read': {
      const handle = knownHandle(o, ctx);
      if (handle instanceof LineError) return handle;
      const lba = parseLba(o);
      if (lba instanceof LineError) return lba;
      const sectors = integer(o, 'sectors', 0, 0xffffffff);
      if (sectors instanceof LineError) return sectors;
      return { op, handle, lba, sectors };
    }
    case 'write': {
      const handle = knownHandle(o, ctx);
      if (handle instanceof LineError) return handle;
      const lba = parseLba(o);
      if (lba instanceof LineError) return lba;
      const data = writeData(o, ctx);
      if (data instanceof LineError) return data;
      return { op, handle, lba, data };
    }
    case 'close': {
      const handle = knownHandle(o, ctx);
      if (handle instanceof LineError) return handle;
      return { op, handle };
    }
    case 'exit': {
      if (!('process' in o)) return new LineError('process', 'missing');
      const process = name(o, 'process', DEFAULT_PROCESS);
      if (process instanceof LineError) return process;
      return { op, process };
    }
    case 'power-cycle':
    case 'reboot':
      return { op };
    case 'inject': {
      if (o.fault === 'power-loss') {
        if ('band' in o) return new LineError('band', 'belongs to fault "band-failure", not "power-loss"');
        const afterWrites = integer(o, 'afterWrites', 0, Number.MAX_SAFE_INTEGER);
        if (afterWrites instanceof LineError) return afterWrites;
        return { op, fault: 'power-loss', afterWrites };
      }
      if (o.fault === 'band-failure') {
        if ('afterWrites' in o) return new LineError('afterWrites', 'belongs to fault "power-loss", not "band-failure"');
        const band = integer(o, 'band', 0, 0xffffffff);
        if (band instanceof LineError) return band;
        return { op, fault: 'band-failure', band };
      }
      return new LineError('fault', `${'fault' in o ? JSON.stringify(o.fault) : 'missing'}: must be "power-loss" or "band-failure"`);
    }
  }
}

function parseExpect(v: unknown): Expectation | LineError {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return new LineError('expect', 'must be an object');
  const e = v as Obj;
  const out: { status?: number; information?: number; output?: string } = {};
  for (const key of Object.keys(e)) {
    if (key !== 'status' && key !== 'information' && key !== 'output') {
      return new LineError(`expect.${key}`, 'unknown field (fields: status, information, output)');
    }
  }
  if ('status' in e) {
    const s = typeof e.status === 'string' || typeof e.status === 'number' ? parseStatus(e.status) : undefined;
    if (s === undefined) return new LineError('expect.status', `${JSON.stringify(e.status)} is not an NTSTATUS name or hex value`);
    out.status = s;
  }
  if ('information' in e) {
    const n = e.information;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return new LineError('expect.information', 'must be a non-negative integer');
    out.information = n;
  }
  if ('output' in e) {
    const b = typeof e.output === 'string' ? parseHex(e.output) : undefined;
    if (b === undefined) return new LineError('expect.output', `bad hex ${JSON.stringify(e.output)}`);
    out.output = toHex(b);
  }
  return out;
}

/** `input`: hex, `{layout, value}`, or an array of those two forms, concatenated. */
function parseInput(v: unknown, field: string, nested = false): Uint8Array | LineError {
  if (typeof v === 'string') {
    const b = parseHex(v);
    return b ?? new LineError(field, `bad hex ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`);
  }
  if (Array.isArray(v) && !nested) {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < v.length; i++) {
      const p = parseInput(v[i], `${field}[${i}]`, true);
      if (p instanceof LineError) return p;
      parts.push(p);
    }
    return Uint8Array.from(Buffer.concat(parts));
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const s = v as Obj;
    for (const key of Object.keys(s)) {
      if (key !== 'layout' && key !== 'value') return new LineError(`${field}.${key}`, 'unknown field (fields: layout, value)');
    }
    if (typeof s.layout !== 'string') return new LineError(`${field}.layout`, 'missing or not a string');
    const layout = layoutByName(s.layout);
    if (layout === undefined) return new LineError(`${field}.layout`, `unknown layout ${JSON.stringify(s.layout)}`);
    const r = encodeLayoutJson(layout, 'value' in s ? s.value : {}, `${field}.value`);
    return r.ok ? r.value : new LineError(r.field, r.message.startsWith(`${r.field}: `) ? r.message.slice(r.field.length + 2) : r.message);
  }
  return new LineError(field, nested
    ? 'must be a hex string or {"layout", "value"}'
    : 'must be a hex string, {"layout", "value"} or an array of those');
}

function writeData(o: Obj, ctx: Context): Uint8Array | LineError {
  if ('data' in o) {
    if ('sectors' in o || 'fill' in o) return new LineError('data' in o && 'sectors' in o ? 'sectors' : 'fill', 'give either data, or sectors + fill');
    if (typeof o.data !== 'string') return new LineError('data', 'must be a hex string');
    return parseHex(o.data) ?? new LineError('data', 'bad hex');
  }
  if (!('sectors' in o)) return new LineError('data', 'missing: give data (hex), or sectors + fill');
  const sectors = integer(o, 'sectors', 0, 0xffffffff);
  if (sectors instanceof LineError) return sectors;
  const fill = integer(o, 'fill', 0, 0xff);
  if (fill instanceof LineError) return fill;
  const bytes = sectors * ctx.sectorSize;
  if (bytes > MAX_FILL_BYTES) return new LineError('sectors', `${sectors} sectors is more than the ${MAX_FILL_BYTES}-byte limit of a filled write`);
  return new Uint8Array(bytes).fill(fill);
}

function parseLba(o: Obj): number | bigint | LineError {
  if (!('lba' in o)) return new LineError('lba', 'missing');
  const v = o.lba;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  // beyond 2^53 an LBA must be written as a string: JSON numbers would round
  if (typeof v === 'string' && /^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(v.trim())) {
    const n = BigInt(v.trim());
    if (n <= 0xffffffffffffffffn) return n;
  }
  return new LineError('lba', `${JSON.stringify(v)} is not an LBA (an integer 0..2^53-1, or a decimal or "0x…" string up to 2^64-1)`);
}

function integer(o: Obj, field: string, lo: number, hi: number, dflt?: number): number | LineError {
  if (!(field in o)) return dflt !== undefined ? dflt : new LineError(field, 'missing');
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) {
    return new LineError(field, `${JSON.stringify(v)} is not an integer in ${lo}..${hi}`);
  }
  return v;
}

function name(o: Obj, field: string, dflt: string): string | LineError {
  if (!(field in o)) return dflt;
  const v = o[field];
  return typeof v === 'string' && v.length > 0 ? v : new LineError(field, 'must be a non-empty string');
}

function handleName(o: Obj, field: string): string | LineError {
  if (!(field in o)) return new LineError(field, 'missing');
  const v = o[field];
  return typeof v === 'string' && v.length > 0 ? v : new LineError(field, 'must be a non-empty string (a handle name)');
}

function knownHandle(o: Obj, ctx: Context): string | LineError {
  const h = handleName(o, 'handle');
  if (h instanceof LineError) return h;
  return ctx.handles.has(h) ? h : new LineError('handle', `unknown handle ${JSON.stringify(h)}: no earlier "open" names it`);
}
