/**
 * What an IDoc's message needs of its status rows (SPEC 10): how many there are, the last one (highest
 * COUNTR), the failed one with the highest COUNTR, and the number of distinct times a failed or
 * delivered status was logged. The same summary comes from a list of rows (computeMessage) or is
 * kept row by row while an export is read, so that an IDoc whose every status row came in this
 * request is computed without reading its rows back from the database.
 */
import type { MessageStatus } from '@/db/schema';
import type { StatusFact } from './fields';

/** SPEC 10's status groups; every code not listed is `pending`. */
export const DELIVERED_CODES = ['03', '12', '39', '41', '53'];
export const FAILED_CODES = [
  '02',
  '04',
  '05',
  '07',
  '09',
  '11',
  '17',
  '20',
  '21',
  '23',
  '26',
  '27',
  '29',
  '34',
  '37',
  '40',
  '51',
  '52',
  '54',
  '56',
  '57',
  '60',
  '63',
  '65',
];
export const DEAD_LETTER_CODES = ['31', '68'];

const GROUP = new Map<string, MessageStatus>([
  ...DELIVERED_CODES.map((c) => [c, 'delivered'] as const),
  ...FAILED_CODES.map((c) => [c, 'failed'] as const),
  ...DEAD_LETTER_CODES.map((c) => [c, 'dead_letter'] as const),
]);

export const statusGroup = (code: string): MessageStatus => GROUP.get(code) ?? 'pending';

/** A status row's error fields: kept only from a row whose status is failed or dead letter. */
export interface ErrorRow {
  status: string;
  stamid: string | null;
  stamno: string | null;
  statxt: string | null;
  stapa1: string | null;
  stapa2: string | null;
  stapa3: string | null;
  stapa4: string | null;
}

export interface StatusSummary {
  /** Status rows (one per COUNTR). */
  count: number;
  /** The row with the highest COUNTR: its status, its time, and its error fields when it has an error status. */
  lastStatus: string | null;
  lastMs: number;
  lastError: ErrorRow | null;
  /** The failed row with the highest COUNTR. */
  failing: ErrorRow | null;
  /** Distinct LOGDAT+LOGTIM among the rows with a failed or delivered status. */
  attempts: number;
}

const same = (t: string) => t;

const errorRow = (s: StatusFact, intern: (t: string) => string): ErrorRow => ({
  status: intern(s.status),
  stamid: s.stamid === null ? null : intern(s.stamid),
  stamno: s.stamno === null ? null : intern(s.stamno),
  statxt: s.statxt === null ? null : intern(s.statxt),
  stapa1: s.stapa1 === null ? null : intern(s.stapa1),
  stapa2: s.stapa2 === null ? null : intern(s.stapa2),
  stapa3: s.stapa3 === null ? null : intern(s.stapa3),
  stapa4: s.stapa4 === null ? null : intern(s.stapa4),
});

/** The summary of a list of status rows (one per COUNTR, any order). */
export function summarize(statuses: readonly StatusFact[]): StatusSummary {
  const b = new SummaryBuilder();
  for (const s of statuses) b.addUnchecked(s);
  return b;
}

/** COUNTRs up to this one are told apart by a bit each; a higher one sends its IDoc to the database. */
const MAX_BIT_COUNTR = 30;

/**
 * A summary built row by row as rows are read, in any order. `add` refuses (returns false) a row
 * whose COUNTR it has seen already (a repeated row replaces the one before in the database, which
 * a summary cannot undo) or is above MAX_BIT_COUNTR: the caller then reads that IDoc's rows back.
 * A class of fixed shape: a 1,000,000-row export keeps one per IDoc.
 */
export class SummaryBuilder implements StatusSummary {
  count = 0;
  lastStatus: string | null = null;
  lastMs = 0;
  lastError: ErrorRow | null = null;
  failing: ErrorRow | null = null;
  attempts = 0;
  /** The place (packed by the caller) of the row with the highest COUNTR. */
  lastPlace = 0;
  private lastCountr = -1;
  private failingCountr = -1;
  private seen = 0;
  /** The distinct attempt times: the first two in place, the others in a list (an IDoc seldom has more). */
  private try1 = NaN;
  private try2 = NaN;
  private moreTries: number[] | null = null;

  /** Adds a row at `place`; `intern` gives the copy of an error field's text to keep (one shared by the rows that repeat it). */
  add(s: StatusFact, place: number, intern: (t: string) => string = same): boolean {
    if (s.countr > MAX_BIT_COUNTR) return false;
    const bit = 1 << s.countr;
    if (this.seen & bit) return false;
    this.seen |= bit;
    if (this.addUnchecked(s, intern)) this.lastPlace = place;
    return true;
  }

  /** Adds a row; true when it is the last one so far. */
  addUnchecked(s: StatusFact, intern: (t: string) => string = same): boolean {
    this.count++;
    const group = statusGroup(s.status);
    if (group === 'failed' || group === 'delivered') this.tryAt(s.loggedMs);
    if (group === 'failed' && s.countr > this.failingCountr) {
      this.failingCountr = s.countr;
      this.failing = errorRow(s, intern);
    }
    if (s.countr <= this.lastCountr) return false;
    this.lastCountr = s.countr;
    this.lastStatus = s.status;
    this.lastMs = s.loggedMs;
    this.lastError = group === 'failed' ? this.failing : group === 'dead_letter' ? errorRow(s, intern) : null;
    return true;
  }

  private tryAt(ms: number) {
    if (ms === this.try1 || ms === this.try2) return;
    if (this.attempts === 0) this.try1 = ms;
    else if (this.attempts === 1) this.try2 = ms;
    else if (!this.moreTries) this.moreTries = [ms];
    else if (this.moreTries.includes(ms)) return;
    else this.moreTries.push(ms);
    this.attempts++;
  }
}
