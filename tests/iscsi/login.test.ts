// RFC 7143 §6 text format and §13 negotiation, as LoginNegotiation answers it.
import {
  encodeText, LoginNegotiation, parseText, sendTargets, STAGE_FULL_FEATURE, STAGE_OPERATIONAL, STAGE_SECURITY,
  TARGET_MAX_BURST_LENGTH, TARGET_MAX_RECV_DATA_SEGMENT_LENGTH, type LoginReply,
} from '../../src/iscsi/login';

const target = { iqn: 'iqn.2024-01.dev.vdisk:t', address: '127.0.0.1:3260,1' };
const step = (csg: number, nsg: number, transit = true) => ({ transit, csg, nsg, versionMin: 0 });
const answer = (r: LoginReply): Record<string, string> => (r.kind === 'continue' ? Object.fromEntries(r.text) : {});

describe('parseText (§6.1)', () => {
  test('NUL-terminated pairs; value may contain "="', () => {
    const r = parseText(encodeText([['A', '1'], ['B', 'x=y']]));
    expect(r).toEqual({ ok: true, pairs: [['A', '1'], ['B', 'x=y']] });
  });
  test.each([
    ['no final NUL', Buffer.from('A=1')],
    ['no "="', Buffer.from('A\0')],
    ['empty key', Buffer.from('=1\0')],
    ['key sent twice', Buffer.from('A=1\0A=2\0')],
    ['key longer than 63 bytes', Buffer.from(`${'K'.repeat(64)}=1\0`)],
  ])('%s → error', (_name, bytes) => {
    expect(parseText(bytes).ok).toBe(false);
  });
  test('empty data → no pairs', () => {
    expect(parseText(new Uint8Array(0))).toEqual({ ok: true, pairs: [] });
  });
});

describe('LoginNegotiation', () => {
  test('security then operational stage to full feature phase', () => {
    const n = new LoginNegotiation(target);
    const sec = n.step(step(STAGE_SECURITY, STAGE_OPERATIONAL), [
      ['InitiatorName', 'iqn.x:i'], ['SessionType', 'Normal'], ['TargetName', target.iqn], ['AuthMethod', 'CHAP,None'],
    ]);
    expect(sec).toMatchObject({ kind: 'continue', transit: true, csg: 0, nsg: 1 });
    expect(answer(sec)).toEqual({ AuthMethod: 'None', TargetPortalGroupTag: '1' });
    const op = n.step(step(STAGE_OPERATIONAL, STAGE_FULL_FEATURE), [
      ['HeaderDigest', 'CRC32C,None'], ['DataDigest', 'CRC32C'], ['MaxRecvDataSegmentLength', '65536'],
      ['MaxBurstLength', '16776192'], ['FirstBurstLength', '4096'], ['InitialR2T', 'No'], ['ImmediateData', 'Yes'],
      ['MaxOutstandingR2T', '8'], ['ErrorRecoveryLevel', '2'], ['X-foo', 'bar'], ['DefaultTime2Wait', '0'],
    ]);
    expect(answer(op)).toEqual({
      HeaderDigest: 'None', DataDigest: 'Reject', MaxRecvDataSegmentLength: String(TARGET_MAX_RECV_DATA_SEGMENT_LENGTH),
      MaxBurstLength: String(TARGET_MAX_BURST_LENGTH), FirstBurstLength: '4096', InitialR2T: 'No', ImmediateData: 'Yes',
      MaxOutstandingR2T: '1', ErrorRecoveryLevel: '0', 'X-foo': 'NotUnderstood', DefaultTime2Wait: '2',
    });
    expect(op.kind === 'continue' && op.done).toEqual({
      sessionType: 'Normal', initiatorName: 'iqn.x:i',
      parameters: {
        maxSendDataSegmentLength: 65536, maxBurstLength: TARGET_MAX_BURST_LENGTH, firstBurstLength: 4096,
        initialR2T: false, immediateData: true, maxOutstandingR2T: 1, errorRecoveryLevel: 0,
      },
    });
  });

  test.each([
    ['no InitiatorName', [['TargetName', target.iqn]], { statusClass: 2, statusDetail: 7 }],
    ['unknown TargetName', [['InitiatorName', 'iqn.x:i'], ['TargetName', 'iqn.2024-01.other:t']], { statusClass: 2, statusDetail: 3 }],
    ['no TargetName in a Normal session', [['InitiatorName', 'iqn.x:i']], { statusClass: 2, statusDetail: 7 }],
    ['CHAP only', [['InitiatorName', 'iqn.x:i'], ['TargetName', target.iqn], ['AuthMethod', 'CHAP']], { statusClass: 2, statusDetail: 1 }],
  ] as const)('%s → login failure status', (_name, pairs, status) => {
    const r = new LoginNegotiation(target).step(step(STAGE_SECURITY, STAGE_OPERATIONAL), pairs as unknown as [string, string][]);
    expect(r).toMatchObject({ kind: 'fail', status });
  });

  test('a discovery session needs no TargetName', () => {
    const r = new LoginNegotiation(target).step(step(STAGE_OPERATIONAL, STAGE_FULL_FEATURE), [['InitiatorName', 'i'], ['SessionType', 'Discovery']]);
    expect(r.kind === 'continue' && r.done?.sessionType).toBe('Discovery');
  });

  test.each([
    ['NSG 2 (reserved)', step(0, 2)],
    ['NSG not after CSG', step(1, 1)],
    ['CSG 2', step(2, 3)],
  ])('%s → initiator error', (_name, s) => {
    expect(new LoginNegotiation(target).step(s, [['InitiatorName', 'i'], ['TargetName', target.iqn]])).toMatchObject({ kind: 'fail' });
  });

  test('an out-of-domain numeric value is answered Reject (§6.2.1)', () => {
    const r = new LoginNegotiation(target).step(step(1, 3), [['InitiatorName', 'i'], ['TargetName', target.iqn], ['MaxBurstLength', '99999999999']]);
    expect(answer(r).MaxBurstLength).toBe('Reject');
  });
});

test('SendTargets lists this target for All, its own name or empty, nothing for another name', () => {
  expect(sendTargets('All', target)).toEqual([['TargetName', target.iqn], ['TargetAddress', target.address]]);
  expect(sendTargets('iqn.2024-01.other:x', target)).toEqual([]);
});
