// RFC 7143 §11 BHS codec: field offsets of the initiator PDUs the target reads, the bounds on the two
// lengths a peer controls, and the target PDUs' fixed bytes.
import * as P from '../../src/iscsi/pdu';

function bhs(opcode: number, fill: (b: Uint8Array, v: DataView) => void = () => {}): Uint8Array {
  const b = new Uint8Array(48);
  b[0] = opcode;
  fill(b, new DataView(b.buffer));
  return b;
}

describe('decodeBhs', () => {
  test('a short buffer is a decode error naming the BHS, never a throw', () => {
    const r = P.decodeBhs(new Uint8Array(47), 8192);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ structure: 'BHS', field: 'BHS', offset: 0 });
  });

  test.each([
    [8192, 8192, true],
    [8193, 8192, false],
    [0xffffff, 262144, false],
  ])('DataSegmentLength %i with MaxRecvDataSegmentLength %i → ok %s (§13.12)', (length, max, ok) => {
    const b = bhs(P.OP_SCSI_COMMAND, (x) => { x[5] = length >>> 16; x[6] = (length >>> 8) & 0xff; x[7] = length & 0xff; });
    const r = P.decodeBhs(b, max);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.error).toMatchObject({ field: 'DataSegmentLength', offset: 5 });
  });

  test('TotalAHSLength counts 4-byte words, at most 1020 bytes', () => {
    const r = P.decodeBhs(bhs(P.OP_SCSI_COMMAND, (x) => { x[4] = 255; }), 8192);
    expect(r.ok && r.value.ahsLength).toBe(P.MAX_AHS_BYTES);
  });

  test('opcode, I bit, flags and ITT; the BHS is copied', () => {
    const raw = bhs(0x40 | P.OP_NOP_OUT, (x, v) => { x[1] = 0x80; v.setUint32(16, 0x12345678); });
    const r = P.decodeBhs(raw, 0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    raw[1] = 0;
    expect(r.value).toMatchObject({ opcode: P.OP_NOP_OUT, immediate: true, flags: 0x80, itt: 0x12345678 });
    expect(r.value.bytes[1]).toBe(0x80);
  });
});

describe('initiator PDU fields (§11)', () => {
  test('Login Request: T C CSG NSG, versions, ISID, TSIH, CID, CmdSN, ExpStatSN (§11.12)', () => {
    const raw = bhs(0x40 | P.OP_LOGIN_REQUEST, (x, v) => {
      x[1] = 0x80 | 0x40 | (1 << 2) | 3;
      x[3] = 0;
      x.set([0x80, 1, 2, 3, 4, 5], 8);
      v.setUint16(14, 7); v.setUint32(16, 9); v.setUint16(20, 2); v.setUint32(24, 100); v.setUint32(28, 200);
    });
    const r = P.decodeBhs(raw, 8192);
    if (!r.ok) throw new Error('decode');
    expect(P.loginRequest(r.value)).toEqual({
      transit: true, continue: true, csg: 1, nsg: 3, versionMax: 0, versionMin: 0, isid: '800102030405', tsih: 7,
      itt: 9, cid: 2, cmdSN: 100, expStatSN: 200,
    });
  });

  test('SCSI Command: F R W, LUN, EDTL, CmdSN, 16-byte CDB (§11.3)', () => {
    const raw = bhs(P.OP_SCSI_COMMAND, (x, v) => {
      x[1] = 0x80 | 0x20; x[9] = 1; v.setUint32(16, 5); v.setUint32(20, 4096); v.setUint32(24, 3); x[32] = 0x2a; x[47] = 0xee;
    });
    const r = P.decodeBhs(raw, 8192);
    if (!r.ok) throw new Error('decode');
    const c = P.scsiCommand(r.value);
    expect(c).toMatchObject({ final: true, read: false, write: true, itt: 5, expectedDataTransferLength: 4096, cmdSN: 3 });
    expect([...c.lun]).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
    expect(c.cdb.length).toBe(16);
    expect([c.cdb[0], c.cdb[15]]).toEqual([0x2a, 0xee]);
  });

  test('Data-Out: F, TTT, DataSN, BufferOffset (§11.7)', () => {
    const raw = bhs(P.OP_DATA_OUT, (x, v) => { x[1] = 0x80; v.setUint32(16, 1); v.setUint32(20, 2); v.setUint32(36, 3); v.setUint32(40, 4); });
    const r = P.decodeBhs(raw, 8192);
    if (!r.ok) throw new Error('decode');
    expect(P.dataOut(r.value)).toEqual({ final: true, itt: 1, ttt: 2, dataSN: 3, bufferOffset: 4 });
  });

  test('Task Management: function, referenced task tag (§11.5)', () => {
    const raw = bhs(0x40 | P.OP_TASK_MGMT_REQUEST, (x, v) => { x[1] = 0x80 | 5; v.setUint32(20, 77); });
    const r = P.decodeBhs(raw, 0);
    if (!r.ok) throw new Error('decode');
    expect(P.taskManagementRequest(r.value)).toMatchObject({ func: 5, referencedTaskTag: 77 });
  });
});

describe('target PDUs', () => {
  const s = { statSN: 1, expCmdSN: 2, maxCmdSN: 3 };
  const word = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at);

  test('data segments are padded to 4 bytes and DataSegmentLength excludes the padding (§11.2.3)', () => {
    const b = P.encodeTextResponse(9, s, Uint8Array.of(1, 2, 3, 4, 5));
    expect(b.length).toBe(48 + 8);
    expect([b[0], b[1], b[5], b[6], b[7]]).toEqual([P.OP_TEXT_RESPONSE, 0x80, 0, 0, 5]);
    expect([word(b, 16), word(b, 20), word(b, 24), word(b, 28), word(b, 32)]).toEqual([9, 0xffffffff, 1, 2, 3]);
  });

  test('SCSI Response with sense: SenseLength + sense, U bit and residual (§11.4)', () => {
    const b = P.encodeScsiResponse({ ...s, itt: 4, status: 2, expDataSN: 0, residual: 36, sense: new Uint8Array(18).fill(7) });
    expect([b[0], b[1], b[2], b[3]]).toEqual([P.OP_SCSI_RESPONSE, 0x82, 0, 2]);
    expect(b[7]).toBe(20);
    expect([b[48], b[49], b[50]]).toEqual([0, 18, 7]);
    expect(word(b, 44)).toBe(36);
  });

  test('Data-In with status: F and S bits, StatSN; without status: StatSN 0 (§11.7)', () => {
    const lun = new Uint8Array(8);
    const last = P.encodeDataIn({ lun, itt: 1, dataSN: 2, bufferOffset: 512, final: true, status: 0, residual: 0 }, s, new Uint8Array(4));
    expect([last[1], word(last, 24), word(last, 36), word(last, 40)]).toEqual([0x81, 1, 2, 512]);
    const mid = P.encodeDataIn({ lun, itt: 1, dataSN: 0, bufferOffset: 0, final: false, residual: 0 }, s, new Uint8Array(4));
    expect([mid[1], word(mid, 24)]).toEqual([0, 0]);
  });

  test('Reject carries the rejected header and a reserved ITT (§11.17)', () => {
    const header = bhs(P.OP_SNACK_REQUEST);
    const b = P.encodeReject(P.REJECT_COMMAND_NOT_SUPPORTED, header, s);
    expect([b[0], b[2], b[7], word(b, 16)]).toEqual([P.OP_REJECT, 5, 48, 0xffffffff]);
    expect(b[48]).toBe(P.OP_SNACK_REQUEST);
  });

  test('R2T: TTT, R2TSN, offset, desired length (§11.8)', () => {
    const b = P.encodeR2t({ lun: new Uint8Array(8), itt: 1, ttt: 2, r2tSN: 3, bufferOffset: 4, desiredLength: 5 }, s);
    expect([b[0], word(b, 20), word(b, 36), word(b, 40), word(b, 44)]).toEqual([P.OP_R2T, 2, 3, 4, 5]);
  });
});
