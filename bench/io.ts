// Encrypted sector I/O (issue 8): MB/s of 4 KiB and 64 KiB Host.read/Host.write on a disk with security
// "active" (the global band is encrypted too, band-management.md §2.2) against raw node:crypto AES-256-XTS
// of the same bytes in the same run — one cipher object per sector, tweak = LBA little-endian
// (TOOLCHAIN.md), the minimum any XTS implementation over node:crypto must do. Also a 4096-byte-sector disk.
// The reads hit written sectors (an unwritten sector reads as zeros without decryption).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type Comparison } from './harness';
import { compare } from './harness';
import { expectOk, rig } from './common';

function rawXts(encrypt: boolean, key: Buffer, sectorSize: number, data: Uint8Array, out: Uint8Array, firstLba: number): Uint8Array {
  const tweak = Buffer.alloc(16);
  for (let s = 0, at = 0; at < data.length; s++, at += sectorSize) {
    tweak.writeUInt32LE(firstLba + s, 0);
    const c = encrypt ? createCipheriv('aes-256-xts', key, tweak) : createDecipheriv('aes-256-xts', key, tweak);
    out.set(c.update(data.subarray(at, at + sectorSize)), at);
    c.final();
  }
  return out;
}

export function runIoBenchmarks(quick = false): Comparison[] {
  const rows: Comparison[] = [];
  for (const sectorSize of [512, 4096]) {
    const sectors = (64 * 1024 * 1024) / sectorSize; // 64 MiB disk
    const { host, h } = rig({ security: 'active', sectorSize, sectors });
    const key = randomBytes(64);
    for (const size of [4096, 65536]) {
      const count = size / sectorSize;
      const data = new Uint8Array(randomBytes(size));
      const span = 256; // cycle over 256 transfers' worth of LBAs
      for (let i = 0; i < span; i++) expectOk('write', host.write(h, i * count, data).status);
      const out = new Uint8Array(size);
      const ops = quick ? 200 : Math.max(200, Math.floor((size === 4096 ? 20_000 : 2_000) * (512 / sectorSize) ** 0.5));
      const opts = { ops, rounds: quick ? 3 : 7, warmup: ops };
      const mb = (ns: number): string => `${((size / ns) * 1e9 / 1e6).toFixed(0)} MB/s`;
      for (const dir of ['write', 'read'] as const) {
        const subject = dir === 'write'
          ? (i: number) => host.write(h, (i % span) * count, data)
          : (i: number) => host.read(h, (i % span) * count, count);
        const baseline = (i: number) => rawXts(dir === 'write', key, sectorSize, data, out, (i % span) * count);
        const r = compare(`io ${dir} ${size / 1024} KiB, ${sectorSize}-byte sectors, encrypted: Host vs raw node:crypto XTS`,
          { name: `Host.${dir}`, fn: subject }, { name: 'raw XTS', fn: baseline }, opts);
        // goal: ≥ 70% of raw throughput ⇔ time ratio ≤ 1/0.7
        rows.push({ ...r, goal: `≥ 70% of raw (${mb(r.subject.nsPerOp)} vs ${mb(r.baseline.nsPerOp)}: ${(100 / r.ratio).toFixed(0)}%)`, met: r.ratio <= 1 / 0.7 });
      }
    }
  }
  return rows;
}
