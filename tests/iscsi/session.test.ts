// A connection driven over a real loopback socket with hand-built PDUs: hostile framing is dropped without
// hurting the server, full feature phase answers NOP, Reject, and a WRITE whose data comes by R2T (§4.2.5).
import net from 'node:net';
import { VirtualDisk } from '../../src/device/virtual-disk';
import { encodeText } from '../../src/iscsi/login';
import * as P from '../../src/iscsi/pdu';
import { serve } from '../../src/iscsi/target';

const IQN = 'iqn.2024-01.dev.vdisk:session-test';

function pdu(opcode: number, fill: (b: Uint8Array, v: DataView) => void, data: Uint8Array = new Uint8Array(0)): Buffer {
  const b = Buffer.alloc(48 + P.padded(data.length));
  b[0] = opcode;
  b[5] = data.length >>> 16; b[6] = (data.length >>> 8) & 0xff; b[7] = data.length & 0xff;
  fill(b, new DataView(b.buffer, b.byteOffset));
  b.set(data, 48);
  return b;
}

/** Reads whole PDUs from a socket. */
class Peer {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (c) => { this.buf = Buffer.concat([this.buf, c]); this.wake(); });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }
  private wake(): void { for (const w of this.waiters.splice(0)) w(); }
  async next(): Promise<{ opcode: number; bytes: Buffer; data: Buffer } | undefined> {
    for (;;) {
      if (this.buf.length >= 48) {
        const len = (this.buf[5]! << 16) | (this.buf[6]! << 8) | this.buf[7]!;
        const total = 48 + this.buf[4]! * 4 + P.padded(len);
        if (this.buf.length >= total) {
          const bytes = this.buf.subarray(0, 48);
          const data = this.buf.subarray(48, 48 + len);
          this.buf = this.buf.subarray(total);
          return { opcode: bytes[0]! & 0x3f, bytes, data };
        }
      }
      if (this.closed) return undefined;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

let server: net.Server;
let port = 0;
beforeAll(async () => {
  server = serve({ disk: new VirtualDisk({ sectors: 2048 }), listen: '127.0.0.1:0', iqn: IQN });
  await new Promise<void>((r) => server.once('listening', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

async function connect(): Promise<Peer> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  return new Peer(s);
}

async function login(peer: Peer, initiator = 'iqn.2024-01.test:a'): Promise<void> {
  const text = encodeText([['InitiatorName', initiator], ['TargetName', IQN], ['SessionType', 'Normal'],
    ['ImmediateData', 'No'], ['InitialR2T', 'Yes'], ['MaxRecvDataSegmentLength', '4096']]);
  peer.socket.write(pdu(0x40 | P.OP_LOGIN_REQUEST, (b, v) => {
    b[1] = 0x80 | (1 << 2) | 3; b.set([0x40, 0, 0, 1, 0, 0], 8); v.setUint32(16, 1); v.setUint32(24, 10);
  }, text));
  const r = await peer.next();
  expect(r?.opcode).toBe(P.OP_LOGIN_RESPONSE);
  expect([r!.bytes[36], r!.bytes[37], r!.bytes[1]! & 0x83]).toEqual([0, 0, 0x83]);
}

test('a DataSegmentLength above the declared limit drops the connection; the server keeps serving', async () => {
  const bad = await connect();
  bad.socket.write(pdu(P.OP_LOGIN_REQUEST, (b) => { b[5] = 0xff; b[6] = 0xff; b[7] = 0xff; }));
  expect(await bad.next()).toBeUndefined();
  const good = await connect();
  await login(good);
  good.socket.destroy();
});

test('a non-login PDU during login drops the connection', async () => {
  const p = await connect();
  p.socket.write(pdu(P.OP_SCSI_COMMAND, () => {}));
  expect(await p.next()).toBeUndefined();
});

test('NOP-Out ping is echoed; an unknown opcode is rejected (§11.17); WRITE by R2T then READ back', async () => {
  const p = await connect();
  await login(p, 'iqn.2024-01.test:b');
  p.socket.write(pdu(0x40 | P.OP_NOP_OUT, (b, v) => { b[1] = 0x80; v.setUint32(16, 5); v.setUint32(20, 0xffffffff); v.setUint32(24, 10); }, Uint8Array.of(1, 2, 3)));
  const nop = await p.next();
  expect(nop?.opcode).toBe(P.OP_NOP_IN);
  expect([...nop!.data]).toEqual([1, 2, 3]);

  p.socket.write(pdu(0x1c, (b) => { b[1] = 0x80; }));
  const rej = await p.next();
  expect([rej?.opcode, rej?.bytes[2]]).toEqual([P.OP_REJECT, P.REJECT_COMMAND_NOT_SUPPORTED]);

  // WRITE(10) LBA 3, 16 blocks = 8192 bytes: InitialR2T=Yes, so the target asks for the data
  const data = Buffer.alloc(8192, 0x5a);
  p.socket.write(pdu(P.OP_SCSI_COMMAND, (b, v) => {
    b[1] = 0x80 | 0x20; v.setUint32(16, 6); v.setUint32(20, 8192); v.setUint32(24, 10);
    b[32] = 0x2a; v.setUint32(34, 3); v.setUint16(39, 16);
  }));
  const r2t = await p.next();
  expect(r2t?.opcode).toBe(P.OP_R2T);
  const ttt = r2t!.bytes.readUInt32BE(20);
  expect([r2t!.bytes.readUInt32BE(40), r2t!.bytes.readUInt32BE(44)]).toEqual([0, 8192]);
  for (let at = 0; at < 8192; at += 4096) {
    p.socket.write(pdu(P.OP_DATA_OUT, (b, v) => {
      b[1] = at + 4096 === 8192 ? 0x80 : 0; v.setUint32(16, 6); v.setUint32(20, ttt); v.setUint32(36, at / 4096); v.setUint32(40, at);
    }, data.subarray(at, at + 4096)));
  }
  const wr = await p.next();
  expect([wr?.opcode, wr?.bytes[3]]).toEqual([P.OP_SCSI_RESPONSE, 0]);

  // READ(10) of the same blocks: two Data-In PDUs (MaxRecvDataSegmentLength 4096), status in the last
  p.socket.write(pdu(P.OP_SCSI_COMMAND, (b, v) => {
    b[1] = 0x80 | 0x40; v.setUint32(16, 7); v.setUint32(20, 8192); v.setUint32(24, 11);
    b[32] = 0x28; v.setUint32(34, 3); v.setUint16(39, 16);
  }));
  const first = await p.next();
  const last = await p.next();
  expect([first?.opcode, first?.bytes[1], last?.opcode, last?.bytes[1]]).toEqual([P.OP_DATA_IN, 0, P.OP_DATA_IN, 0x81]);
  expect(Buffer.concat([first!.data, last!.data]).equals(data)).toBe(true);
  p.socket.destroy();
});
