import { describe, expect, it } from 'vitest';
import { lsnBytes, replicaLag } from '@/db/replica';

describe('lsnBytes', () => {
  it('reads both halves of an LSN as hex', () => {
    expect(lsnBytes('0/0')).toBe(0n);
    expect(lsnBytes('0/4BEE358')).toBe(0x4bee358n);
    expect(lsnBytes('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(lsnBytes('1/0') > lsnBytes('0/FFFFFFFF')).toBe(true);
  });
});

describe('replicaLag', () => {
  const now = 1_000_000;
  it('is 0 when the replica has replayed all the primary has flushed, however old its last transaction', () => {
    expect(replicaLag(now, 100n, 100n, 86_400, [])).toBe(0);
    expect(replicaLag(now, 100n, 120n, null, [])).toBe(0);
  });

  it('is bounded by the last check whose primary position the replica has reached (an idle primary)', () => {
    // The primary idle for a day, then a checkpoint record the replica has not replayed yet.
    const samples = [
      { at: now - 4000, lsn: 90n },
      { at: now - 2000, lsn: 100n },
    ];
    expect(replicaLag(now, 101n, 100n, 86_400, samples)).toBe(2);
  });

  it('grows from the last replayed transaction when replay stops under writes', () => {
    const samples = [
      { at: now - 9000, lsn: 100n },
      { at: now - 6000, lsn: 150n },
      { at: now - 3000, lsn: 200n },
    ];
    // Replay stopped at 100, its last transaction 8 s ago: the bound from the samples is 9 s.
    expect(replicaLag(now, 250n, 100n, 8, samples)).toBe(8);
    expect(replicaLag(now, 250n, 100n, 20, samples)).toBe(9);
  });

  it('is unknown when nothing bounds it', () => {
    expect(replicaLag(now, 250n, 100n, null, [{ at: now - 1000, lsn: 200n }])).toBeNull();
  });
});
