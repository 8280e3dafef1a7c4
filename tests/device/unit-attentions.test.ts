// scsi-device.md §5: per-initiator queues, no duplicates, oldest first, POWER ON replaces everything.
import { UnitAttentions } from '../../src/device/unit-attentions';

const take = (u: UnitAttentions, i: string): string => {
  const c = u.take(i);
  return c < 0 ? 'none' : `${(c >>> 8).toString(16)}/${(c & 0xff).toString(16)}`;
};

describe('UnitAttentions (scsi-device.md §5)', () => {
  test('a new device has nothing pending', () => {
    expect(take(new UnitAttentions(), 'a')).toBe('none');
  });

  test('conditions are reported one per take, oldest first, and cleared by reporting', () => {
    const u = new UnitAttentions();
    u.establish(['a'], 0x2a, 0x05);
    u.establish(['a'], 0x2a, 0x04);
    expect([take(u, 'a'), take(u, 'a'), take(u, 'a')]).toEqual(['2a/5', '2a/4', 'none']);
  });

  test('a condition already pending is not queued twice', () => {
    const u = new UnitAttentions();
    u.establish(['a'], 0x2a, 0x04);
    u.establish(['a'], 0x2a, 0x04);
    expect(u.pending('a')).toEqual([{ key: 6, asc: 0x2a, ascq: 0x04 }]);
  });

  test('power-on replaces every pending condition of every initiator with 29h/00h, initiators not yet seen included', () => {
    const u = new UnitAttentions();
    u.establish(['a', 'b'], 0x2a, 0x03);
    u.powerOn();
    expect([take(u, 'a'), take(u, 'a'), take(u, 'b'), take(u, 'never-seen')]).toEqual(['29/0', 'none', '29/0', '29/0']);
  });

  test("'all' reaches known and future initiators; {except} spares exactly one", () => {
    const u = new UnitAttentions();
    u.take('a');
    u.establish({ except: 'a' }, 0x2a, 0x04);
    u.establish('all', 0x28, 0x00);
    expect([take(u, 'a'), take(u, 'a')]).toEqual(['28/0', 'none']);
    expect([take(u, 'late'), take(u, 'late'), take(u, 'late')]).toEqual(['2a/4', '28/0', 'none']);
  });

  test('clearAll (creation, reboot) leaves nothing pending for anyone', () => {
    const u = new UnitAttentions();
    u.powerOn();
    u.clearAll();
    expect([take(u, 'a'), take(u, 'z')]).toEqual(['none', 'none']);
  });

  test('equal states give equal snapshots: a seen initiator with forNew pending equals an unseen one', () => {
    const u1 = new UnitAttentions();
    const u2 = new UnitAttentions();
    u1.powerOn();
    u2.powerOn();
    u1.establish(['x'], 0x29, 0x00); // x materialised, queue == forNew
    expect(u1.snapshot()).toEqual(u2.snapshot());
    u1.take('x');
    expect(u1.snapshot()).toEqual({ queues: { x: [] }, forNew: ['29h/00h'] });
  });
});
