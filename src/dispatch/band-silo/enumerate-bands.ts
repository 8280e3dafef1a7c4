// IOCTL_EHSTOR_BANDMGMT_ENUMERATE_BANDS (band-management.md §3.3): ENUMERATE_BANDS_PARAMETERS (32) in,
// BAND_TABLE + entries out (vdisk layout: BandTableOffset 16 from the start of BAND_TABLE; stride 120, or
// 144 with ENUMBANDS_REPORT_CRYPTO_ALGO and the AES256-XTS OID after each entry).

import { STATUS_SUCCESS } from '../../codecs/ntstatus';
import { ENUMBANDS_ENUM_ALL_BANDS, ENUMBANDS_REPORT_CRYPTO_ALGO } from '../../codecs/windows/constants';
import type { BandEntry } from '../../device/security/security-subsystem';
import { statusOnly, type HandlerContext, type IoctlRequest, type IoctlResult } from '../handler';
import { checkFixed, i64, sizeQuery, statusOf, u32 } from './parts';
import { selectForEnumerate } from './selection';
import { openSilo } from './silo-state';

export const ENUMERATE_BANDS_PARAMETERS_SIZE = 32;
export const BAND_TABLE_SIZE = 16;
export const BAND_TABLE_ENTRY_SIZE = 120;
/** "1.3.111.2.1619.0.1.2" NUL-terminated (21 bytes) + 3 zero bytes */
export const CRYPTO_ALGO_ENTRY_STRIDE = 144;
const AES256_XTS_OID = '1.3.111.2.1619.0.1.2';
const ALGO_ID_TYPE_OID_STRING = 1;

/** Bytes ENUMERATE returns for `count` entries (§3.3: 16 + count × stride). */
export function bandTableSize(count: number, cryptoAlgo: boolean): number {
  return BAND_TABLE_SIZE + count * (cryptoAlgo ? CRYPTO_ALGO_ENTRY_STRIDE : BAND_TABLE_ENTRY_SIZE);
}

/** BAND_TABLE then BAND_TABLE_ENTRY rows (layouts.md §2). `entries` is bounded by MaxBandCount. */
export function encodeBandTable(entries: readonly BandEntry[], cryptoAlgo: boolean): Uint8Array {
  const stride = cryptoAlgo ? CRYPTO_ALGO_ENTRY_STRIDE : BAND_TABLE_ENTRY_SIZE;
  const b = Buffer.alloc(bandTableSize(entries.length, cryptoAlgo));
  b.writeUInt32LE(BAND_TABLE_SIZE, 0);
  b.writeUInt32LE(BAND_TABLE_SIZE, 4);
  b.writeUInt32LE(entries.length, 8);
  b.writeUInt32LE(stride, 12);
  entries.forEach((e, i) => {
    const at = BAND_TABLE_SIZE + i * stride;
    b.writeUInt32LE(e.bandId, at);
    // LocationInfo @8: StructSize, Reserved, BandStart, BandSize, Metadata
    b.writeUInt32LE(56, at + 8);
    b.writeBigInt64LE(e.bandStart, at + 16);
    b.writeBigInt64LE(e.bandSize, at + 24);
    b.set(e.locationMetadata, at + 32);
    // SecurityInfo @64: StructSize, ReadLock, WriteLock, CryptoAlgoIdType, Oid.Offset, Oid.Length, Metadata
    b.writeUInt32LE(56, at + 64);
    b.writeUInt32LE(e.readLock, at + 68);
    b.writeUInt32LE(e.writeLock, at + 72);
    if (cryptoAlgo) {
      b.writeUInt32LE(ALGO_ID_TYPE_OID_STRING, at + 76);
      b.writeUInt32LE(56, at + 80);                        // from this entry's SecurityInfo: entry + 120
      b.writeUInt32LE(AES256_XTS_OID.length + 1, at + 84); // counts the NUL
      b.write(AES256_XTS_OID, at + BAND_TABLE_ENTRY_SIZE, 'latin1');
    }
    b.set(e.securityMetadata, at + 88);
  });
  return b;
}

export function enumerateBands(ctx: HandlerContext, req: IoctlRequest): IoctlResult {
  const input = req.input;
  // 2.
  const silo = openSilo(ctx);
  if (!silo.ok) return statusOnly(silo.status);
  const { device } = silo.value;
  // 3-4. sizeof 32, StructSize, Flags ⊆ ENUM_ALL_BANDS | REPORT_CRYPTO_ALGO
  const fixed = checkFixed(input, {
    size: ENUMERATE_BANDS_PARAMETERS_SIZE, flagsAt: 4, allowedFlags: ENUMBANDS_ENUM_ALL_BANDS | ENUMBANDS_REPORT_CRYPTO_ALGO,
  });
  if (!fixed.ok) return statusOnly(fixed.status);
  // 5. no variable parts
  // 6.
  const gate = device.gate(false);
  if (!gate.ok) return statusOnly(statusOf(gate.error));
  // 7. BandId @12, BandStart @16, BandSize @24 (D1, §1.2)
  const caps = device.capabilities();
  const sel = selectForEnumerate(device.bands(), {
    all: (fixed.value & ENUMBANDS_ENUM_ALL_BANDS) !== 0,
    bandId: u32(input, 12), bandStart: i64(input, 16), bandSize: i64(input, 24),
  }, { maxBandCount: caps.maxBandCount, sectorSize: ctx.sectorSize });
  if (!sel.ok) return statusOnly(sel.status);
  // reading the selected bands reaches them at the device (a band failure → STATUS_IO_DEVICE_ERROR)
  const entries = device.entries(sel.value);
  if (!entries.ok) return statusOnly(statusOf(entries.error));
  // 10. size query
  const cryptoAlgo = (fixed.value & ENUMBANDS_REPORT_CRYPTO_ALGO) !== 0;
  const required = bandTableSize(entries.value.length, cryptoAlgo);
  const early = sizeQuery(req.outputLength, required);
  if (early) return early;
  return { status: STATUS_SUCCESS, information: required, output: encodeBandTable(entries.value, cryptoAlgo) };
}
