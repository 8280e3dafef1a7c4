// iSCSI login (RFC 7143 §6, §13): the text format key=value (§6.1), the login stages (§6.3) and the
// negotiation of the session's operational parameters (§13). Pure: the connection (session.ts) hands in
// each Login Request's fields and its (already reassembled, bounded) text, and gets back what to answer.
// Security negotiation (§6.3.1, §12.1): without CHAP credentials configured the target offers AuthMethod
// None only and a CHAP-only offer gets the "authentication failure" status; with them it requires CHAP
// (§12.1.3, chap.ts) — None is refused, and no stage after security is reached until the initiator's
// CHAP_N/CHAP_R verified. Every CHAP failure is status 02/01 (§11.13.5) and the connection closes.

/** The target's own limits, declared to the initiator (§13.12, §13.13, §13.14). */
export const TARGET_MAX_RECV_DATA_SEGMENT_LENGTH = 262144;
export const TARGET_MAX_BURST_LENGTH = 1048576;
export const TARGET_FIRST_BURST_LENGTH = 262144;
/** §13.12 default: what either side may send before MaxRecvDataSegmentLength was declared (login PDUs). */
export const DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH = 8192;
/** Login and text key=value data reassembled across C-bit PDUs is bounded to this many bytes (§6.1). */
export const MAX_TEXT_BYTES = 65536;
import crypto from 'node:crypto';
import {
  CHAP_ALGORITHM_MD5, chapResponse, decodeBinary, encodeHex, MAX_CHALLENGE_BYTES, MAX_NAME_BYTES, MD5_BYTES,
  parseIdentifier, TARGET_CHALLENGE_BYTES, verifyResponse, type ChapConfig,
} from './chap';

/** §6.1: key names are at most 63 bytes. */
const MAX_KEY_LENGTH = 63;

/** Login stages (§11.12.3 CSG/NSG). */
export const STAGE_SECURITY = 0;
export const STAGE_OPERATIONAL = 1;
export const STAGE_FULL_FEATURE = 3;

/** Login status class/detail (§11.13.5). */
export const LOGIN_SUCCESS = { statusClass: 0, statusDetail: 0 } as const;
export const LOGIN_AUTH_FAILURE = { statusClass: 2, statusDetail: 1 } as const;
export const LOGIN_NOT_FOUND = { statusClass: 2, statusDetail: 3 } as const;
export const LOGIN_MISSING_PARAMETER = { statusClass: 2, statusDetail: 7 } as const;
export const LOGIN_UNSUPPORTED_VERSION = { statusClass: 2, statusDetail: 5 } as const;
export const LOGIN_INITIATOR_ERROR = { statusClass: 2, statusDetail: 0 } as const;
export const LOGIN_SESSION_DOES_NOT_EXIST = { statusClass: 2, statusDetail: 10 } as const;
export const LOGIN_INVALID_REQUEST = { statusClass: 2, statusDetail: 11 } as const;

export type LoginStatus = { readonly statusClass: number; readonly statusDetail: number };

export type TextPairs = readonly (readonly [string, string])[];

export type TextResult = { readonly ok: true; readonly pairs: TextPairs } | { readonly ok: false; readonly message: string };

/**
 * Splits NUL-terminated key=value pairs (§6.1). A final pair without its NUL, a pair without "=", an
 * empty or over-long key, or a key given twice is an error (§6.2: "a key is not sent twice").
 */
export function parseText(data: Uint8Array): TextResult {
  const text = Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8');
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  if (text.length === 0) return { ok: true, pairs };
  if (text.charCodeAt(text.length - 1) !== 0) return { ok: false, message: 'text data does not end with NUL' };
  for (const item of text.slice(0, -1).split('\0')) {
    if (item.length === 0) continue; // an extra NUL between pairs carries nothing
    const eq = item.indexOf('=');
    if (eq <= 0) return { ok: false, message: `not key=value: ${JSON.stringify(item.slice(0, 80))}` };
    const key = item.slice(0, eq);
    if (key.length > MAX_KEY_LENGTH) return { ok: false, message: `key longer than ${MAX_KEY_LENGTH} bytes` };
    if (seen.has(key)) return { ok: false, message: `key ${key} sent twice` };
    seen.add(key);
    pairs.push([key, item.slice(eq + 1)]);
  }
  return { ok: true, pairs };
}

/** key=value\0… */
export function encodeText(pairs: TextPairs): Uint8Array {
  let s = '';
  for (const [k, v] of pairs) s += `${k}=${v}\0`;
  return Buffer.from(s, 'utf8');
}

/** What the session runs with after login (§13; defaults are the RFC's). */
export interface SessionParameters {
  /** the initiator's MaxRecvDataSegmentLength: the largest data segment this target may send (§13.12) */
  readonly maxSendDataSegmentLength: number;
  readonly maxBurstLength: number;
  readonly firstBurstLength: number;
  readonly initialR2T: boolean;
  readonly immediateData: boolean;
  readonly maxOutstandingR2T: number;
  readonly errorRecoveryLevel: number;
}

export const DEFAULT_SESSION_PARAMETERS: SessionParameters = Object.freeze({
  maxSendDataSegmentLength: DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH,
  maxBurstLength: TARGET_MAX_BURST_LENGTH,
  firstBurstLength: Math.min(65536, TARGET_FIRST_BURST_LENGTH),
  initialR2T: true,
  immediateData: true,
  maxOutstandingR2T: 1,
  errorRecoveryLevel: 0,
});

export interface TargetIdentity {
  readonly iqn: string;
  /** host:port,tpgt for SendTargets (§13.8 TargetAddress) */
  readonly address: string;
}

/** What the login phase learned about the session. */
export interface LoginOutcome {
  readonly sessionType: 'Normal' | 'Discovery';
  readonly initiatorName: string;
  readonly parameters: SessionParameters;
}

/** The fields of one Login Request the negotiation needs (pdu.ts LoginRequest). */
export interface LoginStep {
  readonly transit: boolean;
  readonly csg: number;
  readonly nsg: number;
  readonly versionMin: number;
}

export type LoginReply =
  | {
      readonly kind: 'continue';
      readonly transit: boolean;
      readonly csg: number;
      readonly nsg: number;
      readonly text: TextPairs;
      /** set when this reply moves the connection to full feature phase */
      readonly done?: LoginOutcome;
    }
  | { readonly kind: 'fail'; readonly status: LoginStatus; readonly message: string };

const YES_NO = new Set(['Yes', 'No']);

/** How the security stage authenticates (§12.1). `random` is the target's randomness (default crypto.randomBytes). */
export interface SecurityOptions {
  readonly chap?: ChapConfig;
  readonly random?: (bytes: number) => Uint8Array;
}

/**
 * CHAP progress (§12.1.3): 'off' no CHAP (None negotiated or not required); 'selected' AuthMethod=CHAP
 * answered, CHAP_A expected; 'challenged' CHAP_A/CHAP_I/CHAP_C sent, CHAP_N/CHAP_R expected; 'done' verified.
 */
type ChapState = 'off' | 'selected' | 'challenged' | 'done';

const CHAP_KEYS = new Set(['CHAP_A', 'CHAP_I', 'CHAP_C', 'CHAP_N', 'CHAP_R']);
/** CHAP_A is a list of small numbers; a longer value is not a real offer (bounds the split). */
const MAX_CHAP_A_LENGTH = 255;

function numberValue(v: string, min: number, max: number): number | undefined {
  if (!/^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/.test(v)) return undefined;
  const n = Number(v);
  return n >= min && n <= max ? n : undefined;
}

/**
 * One connection's login negotiation. Keys seen in earlier requests stay negotiated; the initiator's
 * InitiatorName, SessionType and TargetName must come in the first request (§13.4-13.6, §6.3).
 */
export class LoginNegotiation {
  private sessionType: 'Normal' | 'Discovery' | undefined;
  private initiatorName: string | undefined;
  private params: { -readonly [K in keyof SessionParameters]: SessionParameters[K] } = { ...DEFAULT_SESSION_PARAMETERS };
  private first = true;
  private stage = -1;
  private chap: ChapState = 'off';
  private identifier = 0;
  private challenge: Uint8Array = new Uint8Array(0);
  private sentChallenge: Buffer = Buffer.alloc(0);

  constructor(private readonly target: TargetIdentity, private readonly security: SecurityOptions = {}) {}

  /** true while authentication is required and not yet done: no stage after security may be reached */
  private get unauthenticated(): boolean {
    return this.security.chap !== undefined && this.chap !== 'done';
  }

  step(req: LoginStep, pairs: TextPairs): LoginReply {
    // §6.3: stages only move forward; CSG 2 and NSG 2 are reserved; version 0 is the only one (§11.12.4)
    if (req.versionMin !== 0) return fail(LOGIN_UNSUPPORTED_VERSION, `version-min ${req.versionMin}`);
    if (req.csg === 2 || (req.transit && (req.nsg === 2 || req.nsg <= req.csg))) {
      return fail(LOGIN_INITIATOR_ERROR, `invalid stage transition CSG ${req.csg} NSG ${req.nsg}`);
    }
    if (req.csg < this.stage) return fail(LOGIN_INITIATOR_ERROR, `stage ${req.csg} after stage ${this.stage}`);
    this.stage = req.csg;
    // §6.3.1 / §12.1: a target that requires authentication refuses a login that skips the security stage
    if (this.unauthenticated && req.csg !== STAGE_SECURITY) return fail(LOGIN_AUTH_FAILURE, 'CHAP required: security stage skipped');
    const answer: [string, string][] = [];
    const chapKeys = new Map<string, string>();
    const chapBefore = this.chap;
    for (const [key, value] of pairs) {
      if (CHAP_KEYS.has(key) && key !== 'CHAP_A') {
        chapKeys.set(key, value); // CHAP_N/R (and mutual CHAP_I/C) are read together once all keys are in
        continue;
      }
      const r = this.key(key, value, req.csg, answer);
      if (r !== undefined) return r;
    }
    if (this.security.chap !== undefined && req.csg === STAGE_SECURITY) {
      const r = this.chapStep(chapBefore, chapKeys, req.transit, answer);
      if (r !== undefined) return r;
    } else if (chapKeys.size > 0) {
      return fail(LOGIN_AUTH_FAILURE, 'CHAP keys without CHAP negotiated');
    }
    if (this.first) {
      this.first = false;
      // §13.4, §13.5: InitiatorName is required; SessionType defaults to Normal; TargetName required for Normal
      if (this.initiatorName === undefined) return fail(LOGIN_MISSING_PARAMETER, 'InitiatorName missing');
      if (this.sessionType === undefined) this.sessionType = 'Normal';
      if (this.sessionType === 'Normal') {
        const name = pairs.find(([k]) => k === 'TargetName')?.[1];
        if (name === undefined) return fail(LOGIN_MISSING_PARAMETER, 'TargetName missing');
        if (name !== this.target.iqn) return fail(LOGIN_NOT_FOUND, `no target ${name}`);
        // §13.9: the target returns TargetPortalGroupTag in the first Login Response of a Normal session
        answer.push(['TargetPortalGroupTag', '1']);
      }
    }
    // the target agrees to every transition the initiator asks for once authentication (if required) is
    // done; until then it answers T 0 in the security stage (§6.3: the target may keep the stage)
    const transit = req.transit && !this.unauthenticated;
    const nsg = transit ? req.nsg : 0;
    const done = transit && nsg === STAGE_FULL_FEATURE
      ? { sessionType: this.sessionType!, initiatorName: this.initiatorName!, parameters: { ...this.params } }
      : undefined;
    return { kind: 'continue', transit, csg: req.csg, nsg, text: answer, ...(done ? { done } : {}) };
  }

  /**
   * The CHAP keys of one security-stage request (§12.1.3), after AuthMethod and CHAP_A were handled in
   * order: CHAP_N/CHAP_R answer the challenge sent in the previous response; CHAP_I/CHAP_C with them ask
   * for mutual CHAP. Anything out of sequence, malformed, oversized or wrong is an authentication failure.
   */
  private chapStep(before: ChapState, keys: ReadonlyMap<string, string>, transit: boolean, answer: [string, string][]): LoginReply | undefined {
    const config = this.security.chap!;
    if (before !== 'challenged') {
      if (keys.size > 0) return fail(LOGIN_AUTH_FAILURE, 'CHAP keys out of sequence');
      if (this.chap === 'off' && transit) return fail(LOGIN_AUTH_FAILURE, 'CHAP required: leaving security stage without AuthMethod=CHAP');
      if (before === 'selected' && this.chap === 'selected') return fail(LOGIN_AUTH_FAILURE, 'CHAP_A missing');
      return undefined;
    }
    const name = keys.get('CHAP_N');
    const response = keys.get('CHAP_R');
    if (name === undefined || response === undefined) return fail(LOGIN_AUTH_FAILURE, 'CHAP_N or CHAP_R missing');
    if (name.length === 0 || Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return fail(LOGIN_AUTH_FAILURE, 'CHAP_N length out of range');
    const r = decodeBinary(response, MD5_BYTES);
    if (!r.ok) return fail(LOGIN_AUTH_FAILURE, `CHAP_R: ${r.message}`);
    const verified = verifyResponse(config, this.identifier, this.challenge, name, r.bytes);
    this.challenge = new Uint8Array(0); // one response per challenge (RFC 1994 §4.1)
    if (!verified) return fail(LOGIN_AUTH_FAILURE, 'CHAP authentication failed');
    const mutualI = keys.get('CHAP_I');
    const mutualC = keys.get('CHAP_C');
    if (mutualI !== undefined || mutualC !== undefined) {
      // §12.1.3 mutual CHAP: the target proves it knows its own secret, only after the initiator was verified
      if (mutualI === undefined || mutualC === undefined) return fail(LOGIN_AUTH_FAILURE, 'mutual CHAP needs both CHAP_I and CHAP_C');
      if (config.target === undefined) return fail(LOGIN_AUTH_FAILURE, 'mutual CHAP requested, no target credentials configured');
      const id = parseIdentifier(mutualI);
      if (id === undefined) return fail(LOGIN_AUTH_FAILURE, 'CHAP_I malformed');
      const c = decodeBinary(mutualC, MAX_CHALLENGE_BYTES);
      if (!c.ok) return fail(LOGIN_AUTH_FAILURE, `CHAP_C: ${c.message}`);
      // a reflected challenge would make the target answer its own challenge for the initiator (§12.1.3)
      if (c.bytes.length === this.sentChallenge.length && crypto.timingSafeEqual(c.bytes, this.sentChallenge)) {
        return fail(LOGIN_AUTH_FAILURE, 'CHAP_C is the target\'s own challenge');
      }
      answer.push(['CHAP_N', config.target.user], ['CHAP_R', encodeHex(chapResponse(id, config.target.secret, c.bytes))]);
    }
    this.chap = 'done';
    return undefined;
  }

  /** One key (§13): validated, its negotiated result recorded and the target's answer appended. */
  private key(key: string, value: string, csg: number, answer: [string, string][]): LoginReply | undefined {
    const p = this.params;
    switch (key) {
      case 'InitiatorName':
        if (!this.first || value.length === 0 || value.length > 223) return fail(LOGIN_INITIATOR_ERROR, 'InitiatorName');
        this.initiatorName = value;
        return undefined;
      case 'SessionType':
        if (value !== 'Normal' && value !== 'Discovery') return fail(LOGIN_INITIATOR_ERROR, `SessionType ${value}`);
        this.sessionType = value;
        return undefined;
      case 'TargetName':
      case 'InitiatorAlias':
        return undefined; // TargetName checked once all keys of the first request are read
      case 'AuthMethod': {
        // §12.1: the target chooses from the initiator's list: CHAP when configured (then required), else None
        if (csg !== STAGE_SECURITY) return fail(LOGIN_INITIATOR_ERROR, 'AuthMethod outside security negotiation');
        if (this.chap !== 'off') return fail(LOGIN_AUTH_FAILURE, 'AuthMethod renegotiated during CHAP');
        const offered = value.length <= MAX_CHAP_A_LENGTH ? value.split(',') : [];
        if (this.security.chap !== undefined) {
          if (!offered.includes('CHAP')) return fail(LOGIN_AUTH_FAILURE, 'AuthMethod without CHAP: CHAP required');
          this.chap = 'selected';
          answer.push([key, 'CHAP']);
          return undefined;
        }
        if (!offered.includes('None')) return fail(LOGIN_AUTH_FAILURE, 'AuthMethod without None: only None is supported');
        answer.push([key, 'None']);
        return undefined;
      }
      case 'CHAP_A': {
        // §12.1.3: the initiator's algorithm list; the target picks 5 (MD5) and sends its identifier and challenge
        if (this.chap !== 'selected') return fail(LOGIN_AUTH_FAILURE, 'CHAP_A out of sequence');
        const list = value.length <= MAX_CHAP_A_LENGTH ? value.split(',') : [];
        if (!list.some((a) => parseIdentifier(a) === CHAP_ALGORITHM_MD5)) {
          answer.push([key, 'Reject']);
          return fail(LOGIN_AUTH_FAILURE, 'CHAP_A without 5 (MD5)');
        }
        const random = this.security.random ?? ((n: number) => crypto.randomBytes(n));
        this.identifier = random(1)[0]!;
        this.challenge = Uint8Array.from(random(TARGET_CHALLENGE_BYTES));
        this.sentChallenge = Buffer.from(this.challenge);
        if (this.challenge.length !== TARGET_CHALLENGE_BYTES) return fail(LOGIN_AUTH_FAILURE, 'no randomness for the challenge');
        this.chap = 'challenged';
        answer.push([key, String(CHAP_ALGORITHM_MD5)], ['CHAP_I', String(this.identifier)], ['CHAP_C', encodeHex(this.challenge)]);
        return undefined;
      }
      case 'HeaderDigest':
      case 'DataDigest':
        // §13.1: a list; this target computes no digests, so None must be on it
        answer.push([key, value.split(',').includes('None') ? 'None' : 'Reject']);
        return undefined;
      case 'MaxConnections':
        answer.push([key, '1']); // §13.2: minimum function
        return undefined;
      case 'InitialR2T': // §13.10: OR — the result is Yes when either side says Yes; this target accepts No
        if (!YES_NO.has(value)) return irrelevant(key, answer);
        p.initialR2T = value === 'Yes';
        answer.push([key, value]);
        return undefined;
      case 'ImmediateData': // §13.11: AND; this target accepts immediate data
        if (!YES_NO.has(value)) return irrelevant(key, answer);
        p.immediateData = value === 'Yes';
        answer.push([key, value]);
        return undefined;
      case 'MaxRecvDataSegmentLength': { // §13.12: declarative, 512 to 2^24 − 1
        const n = numberValue(value, 512, 0xffffff);
        if (n === undefined) return irrelevant(key, answer);
        p.maxSendDataSegmentLength = n;
        answer.push([key, String(TARGET_MAX_RECV_DATA_SEGMENT_LENGTH)]);
        return undefined;
      }
      case 'MaxBurstLength': { // §13.13: minimum, 512 to 2^24 − 1
        const n = numberValue(value, 512, 0xffffff);
        if (n === undefined) return irrelevant(key, answer);
        p.maxBurstLength = Math.min(n, TARGET_MAX_BURST_LENGTH);
        p.firstBurstLength = Math.min(p.firstBurstLength, p.maxBurstLength);
        answer.push([key, String(p.maxBurstLength)]);
        return undefined;
      }
      case 'FirstBurstLength': { // §13.14: minimum, never above MaxBurstLength
        const n = numberValue(value, 512, 0xffffff);
        if (n === undefined) return irrelevant(key, answer);
        p.firstBurstLength = Math.min(n, TARGET_FIRST_BURST_LENGTH, p.maxBurstLength);
        answer.push([key, String(p.firstBurstLength)]);
        return undefined;
      }
      case 'DefaultTime2Wait': { // §13.15: maximum
        const n = numberValue(value, 0, 3600);
        if (n === undefined) return irrelevant(key, answer);
        answer.push([key, String(Math.max(n, 2))]);
        return undefined;
      }
      case 'DefaultTime2Retain': { // §13.16: minimum; this target keeps nothing (ErrorRecoveryLevel 0)
        if (numberValue(value, 0, 3600) === undefined) return irrelevant(key, answer);
        answer.push([key, '0']);
        return undefined;
      }
      case 'MaxOutstandingR2T': { // §13.17: minimum; one R2T at a time
        if (numberValue(value, 1, 65535) === undefined) return irrelevant(key, answer);
        p.maxOutstandingR2T = 1;
        answer.push([key, '1']);
        return undefined;
      }
      case 'DataPDUInOrder':
      case 'DataSequenceInOrder': // §13.18, §13.19: OR; this target needs in-order data
        if (!YES_NO.has(value)) return irrelevant(key, answer);
        answer.push([key, 'Yes']);
        return undefined;
      case 'ErrorRecoveryLevel': // §13.20: minimum; level 0 only
        if (numberValue(value, 0, 2) === undefined) return irrelevant(key, answer);
        p.errorRecoveryLevel = 0;
        answer.push([key, '0']);
        return undefined;
      case 'IFMarker':
      case 'OFMarker': // RFC 3720 markers, obsolete in RFC 7143 (§13.25): AND → No
        answer.push([key, 'No']);
        return undefined;
      case 'TargetAlias':
      case 'TargetAddress':
      case 'TargetPortalGroupTag':
        return undefined; // target-declared keys an initiator must not send (§13.7-13.9): ignored
      default:
        // §6.2: an unknown key is answered NotUnderstood; X- and X# extension keys likewise
        answer.push([key, 'NotUnderstood']);
        return undefined;
    }
  }
}

function fail(status: LoginStatus, message: string): LoginReply {
  return { kind: 'fail', status, message };
}

/** §6.2.1: a value outside the key's domain is answered Reject (the key keeps its default). */
function irrelevant(key: string, answer: [string, string][]): undefined {
  answer.push([key, 'Reject']);
  return undefined;
}

/**
 * SendTargets (§13.3, Appendix C): "All" lists every target; a name lists that target if it is ours;
 * the empty value (in a Normal session: the session's target) lists ours.
 */
export function sendTargets(value: string, target: TargetIdentity): TextPairs {
  if (value === 'All' || value === '' || value === target.iqn) {
    return [['TargetName', target.iqn], ['TargetAddress', target.address]];
  }
  return [];
}
