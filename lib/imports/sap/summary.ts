/**
 * What an IDoc's message needs of its status rows (SPEC 10): how many there are, the last one (highest
 * COUNTR), the failed one with the highest COUNTR, and the number of distinct times a failed or
 * delivered status was logged. The same summary comes from a list of rows (computeMessage) or is
 * kept row by row while an export is read, so that an IDoc whose every status row came in this
 * request is computed without reading its rows back from the database.
 */
import type { MessageStatus } from '@/db/schema';
import type { ErrorRow, StatusFact } from './fields';

export type { ErrorRow };

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

/** No summary for a DOCNUM in a SummaryTable: its rows are read back at the end. */
const NO_SUMMARY = -1;
const NONE = -1;
/** A SummaryTable's lastError: none, the failing row's, or the dead-letter row's of its own. */
const LAST_NONE = 0;
const LAST_FAILING = 1;
const LAST_DEAD = 2;
/** Texts a SummaryTable keeps one copy of (an export repeats a few error texts and codes a million times). */
const MAX_SHARED_TEXTS = 10_000;

function grown<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number, fill?: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

/**
 * SummaryBuilders of many IDocs, in columns: what a 200 MB export keeps for its 200,000 IDocs while
 * it is read. One Map from DOCNUM to a slot and typed arrays indexed by it (an object per IDoc, with
 * its error rows and its list of attempt times, took ~90 MB for 200,000 IDocs, which the server's
 * garbage collector then let the heap grow to four times). Rows are added as SummaryBuilder.add
 * adds them, with the same refusals; `summary` gives an IDoc's summary as a StatusSummary.
 */
export class SummaryTable {
  /** DOCNUM → slot, or NO_SUMMARY when its rows are to be read back. */
  private readonly slots = new Map<string, number>();
  private used = 0;
  private count = new Int32Array(1024);
  private seen = new Int32Array(1024);
  private lastCountr = new Int32Array(1024);
  private failingCountr = new Int32Array(1024);
  private attempts = new Int32Array(1024);
  private lastStatus = new Int32Array(1024);
  private lastKind = new Uint8Array(1024);
  private failing = new Int32Array(1024);
  private dead = new Int32Array(1024);
  private lastMs = new Float64Array(1024);
  private lastPlace = new Float64Array(1024);
  private try1 = new Float64Array(1024);
  private try2 = new Float64Array(1024);
  private try3 = new Float64Array(1024);
  /** Attempt times past the third, by slot (an IDoc seldom has them). */
  private readonly moreTries = new Map<number, number[]>();
  /** Error rows, in columns of text indexes (NONE for null). */
  private errors = 0;
  private readonly errorColumns = Array.from({ length: 8 }, () => new Int32Array(1024));
  /** Texts by index, and the index of each text shared. */
  private readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();

  /** `own` gives the copy of a text to keep (a cell is a slice of the text read, which the table outlives). */
  constructor(private readonly own: (t: string) => string = same) {}

  /** Whether this DOCNUM is known (with a summary or without). */
  has(docnum: string): boolean {
    return this.slots.has(docnum);
  }

  /** Whether this DOCNUM has a summary (its rows need not be read back). */
  summarized(docnum: string): boolean {
    return (this.slots.get(docnum) ?? NO_SUMMARY) !== NO_SUMMARY;
  }

  /** A DOCNUM new to the table: with an empty summary, or without one (its rows are read back). */
  start(docnum: string, withSummary: boolean) {
    this.slots.set(docnum, withSummary ? this.slot() : NO_SUMMARY);
  }

  /** From now on this DOCNUM's rows are read back. */
  drop(docnum: string) {
    if (this.slots.has(docnum)) this.slots.set(docnum, NO_SUMMARY);
  }

  delete(docnum: string) {
    this.moreTries.delete(this.slotOf(docnum));
    this.slots.delete(docnum);
  }

  /** The slot of a DOCNUM with a summary, else NO_SUMMARY (negative): for `add` over a run of one DOCNUM's rows. */
  slotOf(docnum: string): number {
    return this.slots.get(docnum) ?? NO_SUMMARY;
  }

  /** SummaryBuilder.add, into a slot: false (and nothing added) for a COUNTR seen already or above MAX_BIT_COUNTR. */
  add(slot: number, s: StatusFact, place: number): boolean {
    if (s.countr > MAX_BIT_COUNTR) return false;
    const bit = 1 << s.countr;
    if (this.seen[slot] & bit) return false;
    this.seen[slot] |= bit;
    this.count[slot]++;
    const group = statusGroup(s.status);
    if (group === 'failed' || group === 'delivered') this.tryAt(slot, s.loggedMs);
    if (group === 'failed' && s.countr > this.failingCountr[slot]) {
      this.failingCountr[slot] = s.countr;
      this.failing[slot] = this.errorRow(s);
    }
    if (s.countr <= this.lastCountr[slot]) return true;
    this.lastCountr[slot] = s.countr;
    this.lastStatus[slot] = this.text(s.status);
    this.lastMs[slot] = s.loggedMs;
    this.lastPlace[slot] = place;
    if (group === 'failed') this.lastKind[slot] = LAST_FAILING;
    else if (group === 'dead_letter') {
      this.lastKind[slot] = LAST_DEAD;
      this.dead[slot] = this.errorRow(s);
    } else this.lastKind[slot] = LAST_NONE;
    return true;
  }

  /** The summary of a DOCNUM's rows, with the place (packed by the caller) of its last row; null without one. */
  summary(docnum: string): (StatusSummary & { lastPlace: number }) | null {
    const slot = this.slotOf(docnum);
    if (slot === NO_SUMMARY) return null;
    const failing = this.failing[slot] === NONE ? null : this.errorOf(this.failing[slot]);
    const kind = this.lastKind[slot];
    return {
      count: this.count[slot],
      lastStatus: this.lastStatus[slot] === NONE ? null : this.texts[this.lastStatus[slot]],
      lastMs: this.lastMs[slot],
      lastError: kind === LAST_FAILING ? failing : kind === LAST_DEAD ? this.errorOf(this.dead[slot]) : null,
      failing,
      attempts: this.attempts[slot],
      lastPlace: this.lastPlace[slot],
    };
  }

  private slot(): number {
    const i = this.used++;
    if (i === this.count.length) {
      const n = i * 2;
      this.count = grown(this.count, n);
      this.seen = grown(this.seen, n);
      this.lastCountr = grown(this.lastCountr, n);
      this.failingCountr = grown(this.failingCountr, n);
      this.attempts = grown(this.attempts, n);
      this.lastStatus = grown(this.lastStatus, n);
      this.lastKind = grown(this.lastKind, n);
      this.failing = grown(this.failing, n);
      this.dead = grown(this.dead, n);
      this.lastMs = grown(this.lastMs, n);
      this.lastPlace = grown(this.lastPlace, n);
      this.try1 = grown(this.try1, n);
      this.try2 = grown(this.try2, n);
      this.try3 = grown(this.try3, n);
    }
    this.lastCountr[i] = -1;
    this.failingCountr[i] = -1;
    this.lastStatus[i] = NONE;
    this.failing[i] = NONE;
    this.dead[i] = NONE;
    this.try1[i] = NaN;
    this.try2[i] = NaN;
    this.try3[i] = NaN;
    return i;
  }

  private tryAt(slot: number, ms: number) {
    if (ms === this.try1[slot] || ms === this.try2[slot] || ms === this.try3[slot]) return;
    const n = this.attempts[slot];
    if (n === 0) this.try1[slot] = ms;
    else if (n === 1) this.try2[slot] = ms;
    else if (n === 2) this.try3[slot] = ms;
    else {
      const more = this.moreTries.get(slot);
      if (!more) this.moreTries.set(slot, [ms]);
      else if (more.includes(ms)) return;
      else more.push(ms);
    }
    this.attempts[slot] = n + 1;
  }

  private text(t: string | null): number {
    if (t === null) return NONE;
    const known = this.textIndex.get(t);
    if (known !== undefined) return known;
    const kept = this.own(t);
    const i = this.texts.push(kept) - 1;
    if (this.textIndex.size < MAX_SHARED_TEXTS) this.textIndex.set(kept, i);
    return i;
  }

  private errorRow(s: StatusFact): number {
    const i = this.errors++;
    const c = this.errorColumns;
    if (i === c[0].length) for (let k = 0; k < c.length; k++) c[k] = grown(c[k], i * 2);
    const values = [s.status, s.stamid, s.stamno, s.statxt, s.stapa1, s.stapa2, s.stapa3, s.stapa4];
    for (let k = 0; k < c.length; k++) c[k][i] = this.text(values[k]);
    return i;
  }

  private errorOf(i: number): ErrorRow {
    const c = this.errorColumns;
    const t = (k: number) => (c[k][i] === NONE ? null : this.texts[c[k][i]]);
    return {
      status: t(0)!,
      stamid: t(1),
      stamno: t(2),
      statxt: t(3),
      stapa1: t(4),
      stapa2: t(5),
      stapa3: t(6),
      stapa4: t(7),
    };
  }
}
