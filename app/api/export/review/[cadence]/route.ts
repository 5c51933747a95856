import { z } from 'zod';
import { ROOT_CAUSES } from '@/db/schema';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { csvResponse } from '@/lib/http/csv';
import { flatParams } from '@/lib/http/search-params';
import { handler } from '@/lib/http/route';
import { issuesToStrings } from '@/lib/api/schemas';
import { lifecycleFindingsIn } from '@/lib/detect/lifecycle-log';
import { ownershipConflictsIn } from '@/lib/detect/ownership-log';
import { reversalsIn } from '@/lib/detect/reversals-log';
import { can } from '@/lib/auth/permissions';
import {
  AGE_BUCKETS,
  comparedFlows,
  failuresOfDay,
  kpiChecks,
  openExceptionsByAge,
  type CauseCounts,
  type Flow,
} from '@/lib/review/daily';
import { monthTotals, sharedFields } from '@/lib/review/monthly';
import { reviewPeriod } from '@/lib/review/period';
import { REVIEW_TABLES } from '@/lib/review/tables';
import * as weekly from '@/lib/review/weekly';
import { duplicateCorrectionPairs } from '@/lib/corrections/queries';
import { readDb } from '@/lib/http/read';
import { otherMethods } from '@/lib/http/methods';

/** A root-cause pivot's counts as one CSV column per root cause. */
const causeColumns = (r: CauseCounts) => Object.fromEntries(ROOT_CAUSES.map((k, i) => [k, r.byCause[i]]));

export const dynamic = 'force-dynamic';

type Cell = string | number | null;
type Row = Record<string, Cell>;
const once = (rows: Row[]) =>
  (async function* () {
    yield rows;
  })();
/** Columns of Postgres numerics, which arrive as text (quantities as written, no digit lost). */
const NUMERIC = new Set(['erpQuantity', 'wmsQuantity', 'originalQuantity', 'reversalQuantity']);
const csv = (name: string, keys: string[], rows: Row[]) =>
  csvResponse(
    name,
    keys.map((key) => ({ key, header: key, numeric: NUMERIC.has(key) })),
    once(rows),
  );
const flowRows = (list: Flow[]) =>
  list.map((f) => ({
    txType: f.txType,
    direction: f.direction,
    sent: f.sent,
    posted: f.posted,
    failed: f.failed,
    notYet: f.waiting,
    avgDelayMs: f.avgDelayMs,
  }));
const FLOW_KEYS = ['txType', 'direction', 'sent', 'posted', 'failed', 'notYet', 'avgDelayMs'];

/** One table of a review (daily, weekly, monthly) as CSV, for the page's period and facility. */
export const GET = handler(async (req, { params }: { params: Promise<{ cadence: string }> }) => {
  const who = await authenticate(req, { apiKey: false, session: true, capability: 'overview.read' });
  // Changed values come from payloads: only for the roles that may read them (SPEC 7).
  const readsPayloads = who.kind === 'user' && can(who.user.role, 'payloads.read');
  const { cadence } = await params;
  if (!(cadence in REVIEW_TABLES)) throw new AppError('not_found', `There is no ${cadence} review.`);
  const c = cadence as keyof typeof REVIEW_TABLES;
  const query = flatParams(new URL(req.url).searchParams);
  const t = z.object({ table: z.enum(REVIEW_TABLES[c]) }).safeParse(query);
  if (!t.success) throw new AppError('bad_request', 'Name the table to export.', issuesToStrings(t.error));
  const p = reviewPeriod(c, query);
  const db = await readDb();
  const name = `${c}-review-${p.value}${p.facility ? `-${p.facility}` : ''}-${t.data.table}.csv`;
  switch (t.data.table) {
    case 'kpis':
      return csv(
        name,
        ['kpi', 'value', 'bandLow', 'bandHigh', 'band', 'threshold', 'flagged'],
        (await kpiChecks(db, p)).map((k) => ({
          kpi: k.key,
          value: k.value,
          bandLow: k.low,
          bandHigh: k.high,
          band: k.band,
          threshold: k.tone,
          flagged: String(k.flagged),
        })),
      );
    case 'open': {
      const keys = AGE_BUCKETS.map(([label]) => label);
      return csv(
        name,
        ['txType', ...keys, 'total'],
        (await openExceptionsByAge(db, p.facility)).map((r) => ({
          txType: r.txType,
          ...Object.fromEntries(keys.map((k, i) => [k, r.ages[i]])),
          total: r.total,
        })),
      );
    }
    case 'failures':
      return csv(
        name,
        ['txType', ...ROOT_CAUSES, 'total', 'stillOpen'],
        (await failuresOfDay(db, p)).map((r) => ({
          txType: r.txType,
          ...causeColumns(r),
          total: r.total,
          stillOpen: r.open,
        })),
      );
    case 'flows':
      return csv(name, FLOW_KEYS, flowRows(await comparedFlows(db, p)));
    case 'lifecycle':
      return csv(
        name,
        ['messageId', 'correlationKey', 'facility', 'txType', 'status', 'createdAt', 'findings'],
        (await lifecycleFindingsIn(db, p)).map(({ kinds, ...f }) => ({ ...f, findings: kinds.join(' ') })),
      );
    case 'ownership': {
      const keys = [
        'at',
        'facility',
        'sku',
        'field',
        'changedBy',
        ...(readsPayloads ? ['value'] : []),
        'owner',
        'precedence',
        'finding',
        'messageId',
        'otherMessageId',
        'otherAt',
        ...(readsPayloads ? ['otherValue'] : []),
      ];
      return csv(
        name,
        keys,
        (await ownershipConflictsIn(db, p)).map((c) => ({
          at: new Date(c.change.atMs).toISOString(),
          facility: c.change.facility,
          sku: c.change.sku,
          field: c.change.field,
          changedBy: c.change.system,
          ...(readsPayloads ? { value: c.change.value, otherValue: c.other?.value ?? null } : {}),
          owner: c.owner,
          precedence: c.precedence,
          finding: c.kind,
          messageId: c.change.messageId,
          otherMessageId: c.other?.messageId ?? null,
          otherAt: c.other ? new Date(c.other.atMs).toISOString() : null,
        })),
      );
    }
    case 'reversals':
      return csv(
        name,
        [
          'correlationKey',
          'facility',
          'sku',
          'location',
          'lot',
          'uom',
          'originalMessageId',
          'originalTxType',
          'originalQuantity',
          'originalAt',
          'reversalMessageId',
          'reversalTxType',
          'reversalQuantity',
          'reversalAt',
        ],
        (await reversalsIn(db, p)).map(({ original: o, reversal: r }) => ({
          correlationKey: r.correlationKey,
          facility: r.facility,
          sku: r.sku,
          location: r.location,
          lot: r.lot,
          uom: r.uom,
          originalMessageId: o.messageId,
          originalTxType: o.txType,
          originalQuantity: o.quantity,
          originalAt: new Date(o.createdMs).toISOString(),
          reversalMessageId: r.messageId,
          reversalTxType: r.txType,
          reversalQuantity: r.quantity,
          reversalAt: new Date(r.createdMs).toISOString(),
        })),
      );
    case 'pairs':
      return csv(
        name,
        [
          'facility',
          'sku',
          'lot',
          'erpCorrectionId',
          'erpQuantity',
          'erpUom',
          'erpAt',
          'wmsCorrectionId',
          'wmsQuantity',
          'wmsUom',
          'wmsAt',
          'hoursApart',
        ],
        (await duplicateCorrectionPairs(db, p)).map((x) => ({
          facility: x.erp.facility,
          sku: x.erp.sku,
          lot: x.erp.lot,
          erpCorrectionId: x.erp.correctionId,
          erpQuantity: x.erp.quantityDelta,
          erpUom: x.erp.uom,
          erpAt: x.erp.at,
          wmsCorrectionId: x.wms.correctionId,
          wmsQuantity: x.wms.quantityDelta,
          wmsUom: x.wms.uom,
          wmsAt: x.wms.at,
          hoursApart: Number(x.hoursApart.toFixed(2)),
        })),
      );
    case 'causes':
      return csv(
        name,
        ['facility', ...ROOT_CAUSES, 'total'],
        (await weekly.causesByFacility(db, p)).map((r) => ({
          facility: r.facility,
          ...causeColumns(r),
          total: r.total,
        })),
      );
    case 'customers':
      return csv(
        name,
        ['customer', ...ROOT_CAUSES, 'total'],
        (await weekly.causesByCustomer(db, p, 1_000_000)).map((r) => ({
          customer: r.customer,
          ...causeColumns(r),
          total: r.total,
        })),
      );
    case 'skus':
      return csv(
        name,
        ['sku', 'facilities', 'exceptions', 'mainCause', 'differences', 'kinds', 'sources'],
        (await weekly.topSkus(db, p)).map((s) => ({
          ...s,
          facilities: s.facilities.join(' '),
          kinds: s.kinds.join(' '),
          sources: s.sources.join(' '),
        })),
      );
    case 'repeated':
      return csv(
        name,
        ['sku', 'uom', 'lot', 'status', 'total'],
        (await weekly.repeatedItemIssues(db, p)).map((r) => ({ ...r })),
      );
    case 'changes':
      return csv(
        name,
        ['changeId', 'at', 'system', 'kind', 'summary'],
        (await weekly.unreviewedChanges(db, p)).map((r) => ({ ...r })),
      );
    case 'totals':
      return csv(name, FLOW_KEYS, flowRows(await monthTotals(db, p)));
    case 'shared':
      return csv(
        name,
        ['dataObject', 'field', 'precedence'],
        (await sharedFields(db)).map((r) => ({ ...r })),
      );
  }
});

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
