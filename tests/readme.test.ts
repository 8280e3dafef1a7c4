// The README's library example, verbatim in substance, so the documentation cannot drift from the API.
import { Host, VirtualDisk, layouts, IOCTL_STORAGE_PERSISTENT_RESERVE_OUT, statusName } from '../src/index';

test('the README example registers a persistent-reservation key through the public API', () => {
  const disk = new VirtualDisk({ sectors: 2048, removable: true });
  const host = new Host(disk);
  const node1 = host.open({ process: 'clussvc', initiator: 'node1', access: ['GENERIC_READ', 'GENERIC_WRITE'] });
  const input = new Uint8Array(36);
  input.set(layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Version: 12, Size: 36, PR_OUT: { ServiceAction: 0 } }));
  input.set(layouts.PRO_PARAMETER_LIST.bytes({ ServiceActionReservationKey: 0x1122334455667788n }), 10);
  const r = host.deviceIoControl(node1, IOCTL_STORAGE_PERSISTENT_RESERVE_OUT, input, 0);
  expect([statusName(r.status), r.information, r.output.length]).toEqual(['STATUS_SUCCESS', 0, 0]);
  // the key is now registered: READ KEYS shows it
  const readKeys = layouts.PERSISTENT_RESERVE_COMMAND.bytes({ Version: 12, Size: 12, PR_IN: { ServiceAction: 0, AllocationLength: 16 } });
  const keys = host.deviceIoControl(node1, 0x002d5018, readKeys, 16);
  expect(statusName(keys.status)).toBe('STATUS_SUCCESS');
  expect(Buffer.from(keys.output).toString('hex')).toBe('00000001' + '00000008' + '1122334455667788');
});
