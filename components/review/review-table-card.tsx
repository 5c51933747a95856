import { TableCard, type TableEmpty } from '@/components/ui/table-card';
import { STEP_SLA_MS } from '@/lib/detect/lifecycle';
import { formatCount, formatDuration } from '@/lib/format';
import { periodQuery, type ReviewPeriod } from '@/lib/review/period';
import type { ReviewTableName } from '@/lib/review/tables';
import { CUSTOMERS_LISTED } from '@/lib/review/weekly';

/** The KPI band's card makes its title of three counts; every other table's title is declared below. */
type OwnTitled = 'kpis';

interface About {
  description: React.ReactNode;
  /** What the card says when it has no rows (for the review's period); none: the table shows, empty. */
  empty?: TableEmpty | ((period: ReviewPeriod) => TableEmpty);
}
interface Titled extends About {
  /** The card's title, or its title made of the card's count (its rows, unless the card counts otherwise). */
  title: string | ((count: number) => string);
}

/**
 * What each table of the reviews says about itself: its title, a description under it and, for a
 * table that can be empty, what its card says instead. One entry per table of
 * `lib/review/tables.ts`, so a table cannot be added without its text.
 */
const ABOUT: Record<OwnTitled, About> & Record<Exclude<ReviewTableName, OwnTitled>, Titled> = {
  kpis: {
    description:
      "The day's value against its normal band (the mean of the seven days before, plus or minus two standard " +
      'deviations) and against its threshold. Rows that need a look are shaded.',
  },
  open: {
    title: (n) => `Open exceptions by age: ${formatCount(n)}`,
    description:
      'Open or acknowledged right now, whatever the day, by transaction type and how long they have been open.',
    empty: (p) => ({ title: 'Nothing open', text: <>No exception is open{p.facility ? ` at ${p.facility}` : ''}.</> }),
  },
  failures: {
    title: (n) => `Failures of the day: ${formatCount(n)}`,
    description: 'Exceptions opened that day, by transaction type and root cause, and how many of them are still open.',
    empty: { title: 'No failures that day' },
  },
  flows: {
    title: 'Receipts, shipments and adjustments between the systems',
    description:
      'Messages created that day by the sending system, against what the receiving system posted, what failed, and ' +
      'what neither has happened to yet (pending or retrying). A gap that stays open is stock one system has and ' +
      'the other does not.',
  },
  pairs: {
    title: (n) => `Corrections keyed in both systems: ${formatCount(n)}`,
    description:
      'Pairs of an ERP and a WMS correction of the same facility, SKU and lot and quantity, at most 24 h apart, in ' +
      'corrections made that day.',
    empty: { title: 'No correction keyed twice that day' },
  },
  lifecycle: {
    title: (n) => `Lifecycle checks: ${formatCount(n)} steps of the day broke their document's flow`,
    description: `Inbound: purchase order, receipt, putaway; outbound: order release, pick, shipment. A step sent before the step before it, before that step was delivered, without it in the log, or not delivered within its SLA of its creation (${formatDuration(STEP_SLA_MS)} unless an admin set the step's own).`,
    empty: { title: 'Every step of the day followed its flow' },
  },
  ownership: {
    title: (n) => `Ownership conflicts: ${formatCount(n)}`,
    description:
      'Field changes reported by a system that does not own the field, and shared fields both systems changed to different values within 24 hours (Admin → Ownership matrix).',
    empty: { title: 'No ownership conflict that day' },
  },
  reversals: {
    title: (n) => `Adjustments reversed: ${formatCount(n)}`,
    description:
      'Adjustments and cycle counts undone by a later message of the same document (same SKU, location, lot and unit, the opposite quantity) within 24 hours: counts approved too early, or posted twice and taken back.',
    empty: { title: 'No adjustment reversed that day' },
  },
  causes: {
    title: (n) => `Exceptions of the week by facility and root cause: ${formatCount(n)}`,
    description: "Where the week's failures came from, and why.",
    empty: { title: 'No exceptions opened this week' },
  },
  customers: {
    // causesByCustomer lists CUSTOMERS_LISTED at the most: as many means there may be more.
    title: (n) => `Exceptions of the week by customer: ${formatCount(n)}${n === CUSTOMERS_LISTED ? ' or more' : ''}`,
    description:
      "Whom the week's failures hit: exceptions by the customer their messages name (senders give it on outbound " +
      'documents as customer), most first, and why.',
    empty: {
      title: 'No customer named',
      text: <>None of this week&apos;s exceptions is on a message that names a customer.</>,
    },
  },
  skus: {
    title: 'Top discrepancy causes by SKU',
    description:
      'SKUs by exceptions opened this week plus stock differences in the latest reconciliation of each facility ' +
      '(as the mismatches KPI counts them), with the main root cause and the suspected source (the last message ' +
      'type before the snapshot).',
    empty: { title: 'No SKU behind an exception or a difference this week' },
  },
  repeated: {
    title: (n) => `Items with repeated UOM, lot or status issues: ${formatCount(n)}`,
    description:
      "Counted over this week's exceptions (UOM…, LOT… and status errors), the differences of every reconciliation " +
      'finished this week, and what the master data audit finds now. Two or more make an item repeated.',
    empty: { title: 'No item with a repeated issue' },
  },
  changes: {
    title: (n) => `Changes without integration review: ${formatCount(n)}`,
    description:
      'Mapping, configuration and release changes of the week that the integration team did not review (changes carry no facility).',
    empty: { title: 'Every change of the week was reviewed' },
  },
  totals: {
    title: 'Transaction totals by type, reconciled across both systems',
    description:
      'Messages created in the month by the sending system, against what the receiving system posted, what failed ' +
      'and what neither has happened to yet. Every unposted message is a posting one system has and the other ' +
      'lacks.',
    empty: { title: 'No messages in this month' },
  },
  shared: {
    title: (n) => `Shared fields in the ownership matrix: ${formatCount(n)}`,
    description:
      'Fields both systems may change. Confirm the precedence rule still holds; a field that one system should own ' +
      'belongs to it alone (Admin → Ownership matrix).',
    empty: { title: 'No shared field', text: 'Every field has one owner.' },
  },
};

/** The address of a review table's CSV download, for the review's period and facility. */
const csvHref = (period: ReviewPeriod, table: ReviewTableName) =>
  `/api/export/review/${period.cadence}?${periodQuery(period)}&table=${table}`;

/**
 * A card of a review: one table of `lib/review/tables.ts` with its title and description, its
 * "Export CSV" link (the same rows for the review's period and facility) and, when `rows` is
 * empty, its empty text. `count` is what the title counts when it is not the rows (a sum of
 * totals).
 */
export function ReviewTableCard(
  props: { period: ReviewPeriod; rows?: readonly unknown[]; children: React.ReactNode } & (
    { table: OwnTitled; title: string } | { table: Exclude<ReviewTableName, OwnTitled>; count?: number }
  ),
) {
  const { period, table, rows, children } = props;
  let title: string;
  if (props.table === 'kpis') title = props.title;
  else {
    const t = ABOUT[props.table].title;
    title = typeof t === 'function' ? t(props.count ?? rows?.length ?? 0) : t;
  }
  const { description, empty } = ABOUT[table];
  const whenEmpty = typeof empty === 'function' ? empty(period) : empty;
  const listing = rows && whenEmpty ? { rows, empty: whenEmpty } : {};
  return (
    <TableCard title={title} description={description} csvHref={csvHref(period, table)} {...listing}>
      {children}
    </TableCard>
  );
}

/** The sum of the rows' totals: what a card of counts by type or facility counts in its title. */
export const sumOfTotals = (rows: readonly { total: number }[]) => rows.reduce((a, r) => a + r.total, 0);
