/**
 * Whether reads may go to the streaming replica of `DATABASE_READ_URL`: it must answer, be in
 * recovery, and lag the primary by no more than the allowed seconds. Checked at most once every
 * `checkEveryMs`, whatever the traffic, so a page pays for it once in a while and never waits on a
 * replica that is down for longer than the check's timeout.
 *
 * Lag is the age of the oldest write the replica has not replayed. When its replay position has
 * reached the primary's flushed WAL, nothing is missing: lag 0, however long ago the last
 * transaction was (an idle primary leaves `pg_last_xact_replay_timestamp()` growing forever). When it
 * has not, the oldest missing write is younger than both the last transaction it replayed and the
 * latest check at which the primary's WAL had not yet gone past what the replica now has — so the
 * lag is at most the younger of those two ages. A replica that is a moment behind an idle primary
 * (a checkpoint's record on its way) thus reads as behind by one check interval at most, and a
 * paused or cut-off replica's lag grows from its last replayed write.
 */
import type postgres from 'postgres';

export interface ReadState {
  /** Where pages and GET APIs read now. */
  using: 'replica' | 'primary';
  /** The replica's lag in seconds at the last check (null when it could not be measured). */
  lagSeconds: number | null;
  /** Why reads went to the primary: the replica is `down`, `lagging`, or `not-in-recovery`. */
  reason: 'down' | 'lagging' | 'not-in-recovery' | null;
  /** When this was measured (ISO). */
  checkedAt: string;
}

export interface ReplicaOptions {
  maxLagSeconds: number;
  /** The least time between two checks. */
  checkEveryMs?: number;
  /** A check that takes longer counts the replica as down. */
  timeoutMs?: number;
}

/** "16/B374D848" as a number of bytes. */
export function lsnBytes(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * The replica's lag in seconds, or null when nothing bounds it. `samples` are earlier checks'
 * (time, primary LSN), oldest first; `sinceReplaySeconds` is the age of the last replayed commit.
 */
export function replicaLag(
  now: number,
  primaryLsn: bigint,
  replayLsn: bigint,
  sinceReplaySeconds: number | null,
  samples: readonly { at: number; lsn: bigint }[],
): number | null {
  if (replayLsn >= primaryLsn) return 0;
  let bound: number | null = sinceReplaySeconds === null ? null : Math.max(0, sinceReplaySeconds);
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i].lsn <= replayLsn) {
      const age = (now - samples[i].at) / 1000;
      bound = bound === null ? age : Math.min(bound, age);
      break;
    }
  }
  return bound;
}

export class ReadReplica {
  private samples: { at: number; lsn: bigint }[] = [];
  private state: ReadState | null = null;
  private checking: Promise<ReadState> | null = null;
  private readonly every: number;
  private readonly timeout: number;

  constructor(
    private readonly primary: postgres.Sql,
    private readonly replica: postgres.Sql,
    private readonly opts: ReplicaOptions,
  ) {
    this.every = opts.checkEveryMs ?? 2000;
    this.timeout = opts.timeoutMs ?? 1500;
  }

  /** The state, checked again when the last check is older than the interval. */
  async current(): Promise<ReadState> {
    if (this.state && Date.now() - Date.parse(this.state.checkedAt) < this.every) return this.state;
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  private async check(): Promise<ReadState> {
    const now = Date.now();
    const checkedAt = new Date(now).toISOString();
    let state: ReadState;
    try {
      const [p] = await this.primary<{ lsn: string }[]>`select pg_current_wal_flush_lsn()::text as lsn`;
      const primaryLsn = lsnBytes(p.lsn);
      const r = await this.withTimeout(
        this.replica<{ recovering: boolean; lsn: string | null; since: number | null }[]>`
          select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as lsn,
            extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 as since`,
      );
      if (!r) state = { using: 'primary', lagSeconds: null, reason: 'down', checkedAt };
      else if (!r[0].recovering || !r[0].lsn)
        state = { using: 'primary', lagSeconds: null, reason: 'not-in-recovery', checkedAt };
      else {
        const lag = replicaLag(now, primaryLsn, lsnBytes(r[0].lsn), r[0].since, this.samples);
        const ok = lag !== null && lag <= this.opts.maxLagSeconds;
        state = {
          using: ok ? 'replica' : 'primary',
          lagSeconds: lag === null ? null : Math.round(lag * 1000) / 1000,
          reason: ok ? null : 'lagging',
          checkedAt,
        };
      }
      this.samples.push({ at: now, lsn: primaryLsn });
      // Older samples than the allowed lag (and a margin) cannot change a decision.
      const keepFrom = now - (this.opts.maxLagSeconds + 60) * 1000;
      while (this.samples.length > 1 && this.samples[1].at < keepFrom) this.samples.shift();
    } catch {
      // The primary's own query failed: reads go there all the same, and fail there as writes would.
      state = { using: 'primary', lagSeconds: null, reason: 'down', checkedAt };
    }
    this.state = state;
    return state;
  }

  /** The query's rows, or null when the replica refused, failed or took too long. */
  private async withTimeout<T>(q: Promise<T>): Promise<T | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.timeout)));
    try {
      return await Promise.race([q.catch(() => null), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
