import { z } from 'zod';
import { getDb } from '@/db';
import { ROOT_CAUSES } from '@/db/schema';
import { authenticate } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { csvResponse } from '@/lib/http/csv';
import { handler } from '@/lib/http/route';
import { issuesToStrings } from '@/lib/ingest/schemas';
import { AGE_BUCKETS, comparedFlows, dailyParams, failuresOfDay, kpiChecks, openExceptionsByAge } from '@/lib/review/daily';
import { duplicateCorrectionPairs } from '@/lib/recon/queries';

export const dynamic = 'force-dynamic';

const tableParam = z.object({ table: z.enum(['kpis', 'open', 'failures', 'flows', 'pairs']) });

type Cell = string | number | null;
const once = (rows: Record<string, Cell>[]) => (async function* () { yield rows; })();
const columns = (keys: string[]) => keys.map((key) => ({ key, header: key }));

/** One table of the daily review as CSV, for the page's day and facility. */
export const GET = handler(async (req) => {
  await authenticate(req, { apiKey: false, session: true, capability: 'overview.read' });
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  const t = tableParam.safeParse(params);
  if (!t.success) throw new AppError('bad_request', 'Name the table to export.', issuesToStrings(t.error));
  const p = dailyParams(params);
  const db = await getDb();
  const name = `daily-review-${p.day}${p.facility ? `-${p.facility}` : ''}-${t.data.table}.csv`;
  switch (t.data.table) {
    case 'kpis': {
      const list = await kpiChecks(db, p);
      return csvResponse(name, columns(['kpi', 'value', 'bandLow', 'bandHigh', 'threshold', 'outside']), once(list.map((k) => ({ kpi: k.key, value: k.value, bandLow: k.low, bandHigh: k.high, threshold: k.tone, outside: String(k.outside) }))));
    }
    case 'open': {
      const list = await openExceptionsByAge(db, p.facility);
      const keys = AGE_BUCKETS.map(([label]) => label);
      return csvResponse(name, columns(['txType', ...keys, 'total']), once(list.map((r) => ({ txType: r.txType, ...Object.fromEntries(keys.map((k, i) => [k, r.ages[i]])), total: r.total }))));
    }
    case 'failures': {
      const list = await failuresOfDay(db, p);
      return csvResponse(name, columns(['txType', ...ROOT_CAUSES, 'total', 'stillOpen']), once(list.map((r) => ({ txType: r.txType, ...Object.fromEntries(ROOT_CAUSES.map((c, i) => [c, r.byCause[i]])), total: r.total, stillOpen: r.open }))));
    }
    case 'flows': {
      const list = await comparedFlows(db, p);
      return csvResponse(name, columns(['txType', 'direction', 'sent', 'posted', 'failed', 'notYet', 'avgDelayMs']), once(list.map((f) => ({ txType: f.txType, direction: f.direction, sent: f.sent, posted: f.posted, failed: f.failed, notYet: f.waiting, avgDelayMs: f.avgDelayMs }))));
    }
    case 'pairs': {
      const list = await duplicateCorrectionPairs(db, p);
      const keys = ['facility', 'sku', 'lot', 'erpCorrectionId', 'erpQuantity', 'erpUom', 'erpAt', 'wmsCorrectionId', 'wmsQuantity', 'wmsUom', 'wmsAt', 'hoursApart'];
      return csvResponse(name, columns(keys), once(list.map((x) => ({
        facility: x.erp.facility, sku: x.erp.sku, lot: x.erp.lot, erpCorrectionId: x.erp.correctionId, erpQuantity: x.erp.quantityDelta, erpUom: x.erp.uom, erpAt: x.erp.at,
        wmsCorrectionId: x.wms.correctionId, wmsQuantity: x.wms.quantityDelta, wmsUom: x.wms.uom, wmsAt: x.wms.at, hoursApart: Number(x.hoursApart.toFixed(2)),
      }))));
    }
  }
});
