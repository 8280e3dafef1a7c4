// A Host on a FakeDisk, plus readable shorthands for the tests.
import { Host } from '../../../src/host';
import { statusName } from '../../../src/codecs/ntstatus';
import type { IoResult } from '../../../src/dispatch/io-manager';
import { FakeDisk } from './fake-disk';

export function setup(options = { removable: true, sectorSize: 512 }, sectors = 2048): { host: Host; disk: FakeDisk } {
  const disk = new FakeDisk(options, sectors);
  return { host: new Host(disk), disk };
}

/** [status name, information, output hex] */
export function summary(r: IoResult): [string, number, string] {
  return [statusName(r.status), r.information, Buffer.from(r.output).toString('hex')];
}

export const name = (r: IoResult): string => statusName(r.status);

/** host and device state together, for "a failing request changes nothing" */
export function state(host: Host, disk: FakeDisk): unknown {
  return JSON.parse(JSON.stringify({ host: host.snapshot(), device: disk.snapshot() }));
}
