/**
 * The read side of alerts for the pages (SPEC 9): firing, pending and recent alerts with their rule,
 * value, since when and who acknowledged; one alert with its transitions and deliveries (each with
 * its attempts); the firing count of the navigation; the deliveries list with every attempt and
 * error; the rules, channels (secrets masked) and silences. Numbers stay numbers, times ISO text.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { isoText, rows, type Executor } from '@/db';
import { keyset, paged, type Page } from '@/db/paging';
import { ALERT_DELIVERY_STATUSES, type AlertChannelType } from '@/db/schema';

/** Which alerts a list shows: firing, pending, recently resolved, or all of them. */
export const ALERT_VIEWS = ['firing', 'pending', 'recent', 'all'] as const;
export type AlertView = (typeof ALERT_VIEWS)[number];

/** How far back "recent" reaches: alerts resolved in the last 7 days. */
export const RECENT_DAYS = 7;

export const alertFilters = z.object({
  view: z.enum(ALERT_VIEWS).catch('firing'),
  facility: z.string().trim().min(1).max(64).optional().catch(undefined),
  ruleId: z.string().trim().min(1).max(200).optional().catch(undefined),
  severity: z.enum(['critical', 'warning', 'info']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type AlertFilters = z.infer<typeof alertFilters>;

/** The filters from a page's query (one value per key); empty ones are unset. */
export function parseAlertFilters(params: Record<string, string | undefined>, view?: AlertView): AlertFilters {
  const flat = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  return alertFilters.parse(view ? { ...flat, view } : flat);
}

/** An alert as the lists show it: its rule, scope, state, value against the threshold, and its times. */
export interface AlertListRow {
  id: number;
  ruleId: string;
  ruleName: string;
  kind: string;
  severity: 'critical' | 'warning' | 'info';
  facility: string | null;
  state: 'normal' | 'pending' | 'firing';
  value: number | null;
  op: '>' | '<';
  threshold: number;
  resolveThreshold: number | null;
  /** When the present state began: pending since, firing since, or resolved at. */
  since: string | null;
  pendingSince: string | null;
  startedAt: string | null;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  evaluatedAt: string | null;
}

const LIST_SELECT = sql`a.id::float8 as "id", a.rule_id as "ruleId", r.name as "ruleName", r.kind, r.severity,
  a.facility, a.state, a.value, r.op, r.threshold, r.resolve_threshold as "resolveThreshold",
  ${isoText("case a.state when 'pending' then a.pending_since when 'firing' then a.started_at else a.resolved_at end")}
    as "since",
  ${isoText('a.pending_since')} as "pendingSince", ${isoText('a.started_at')} as "startedAt",
  ${isoText('a.resolved_at')} as "resolvedAt", ${isoText('a.acknowledged_at')} as "acknowledgedAt",
  a.acknowledged_by as "acknowledgedBy", a.acknowledge_note as "acknowledgeNote",
  ${isoText('a.evaluated_at')} as "evaluatedAt"`;

function where(f: AlertFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.view === 'firing') parts.push(sql`a.state = 'firing'`);
  else if (f.view === 'pending') parts.push(sql`a.state = 'pending'`);
  else if (f.view === 'recent')
    parts.push(sql`a.state = 'normal' and a.resolved_at >= now() - ${`${RECENT_DAYS} days`}::interval`);
  if (f.facility) parts.push(sql`a.facility = ${f.facility}`);
  if (f.ruleId) parts.push(sql`a.rule_id = ${f.ruleId}`);
  if (f.severity) parts.push(sql`r.severity = ${f.severity}`);
  return sql.join(parts, sql` and `);
}

/** Critical first, then the longest-standing; recent ones newest first. */
function order(view: AlertView): SQL {
  const severity = sql`case r.severity when 'critical' then 0 when 'warning' then 1 else 2 end`;
  if (view === 'recent') return sql`a.resolved_at desc, a.id desc`;
  if (view === 'pending') return sql`${severity}, a.pending_since asc nulls last, a.id asc`;
  if (view === 'firing') return sql`${severity}, a.started_at asc nulls last, a.id asc`;
  return sql`case a.state when 'firing' then 0 when 'pending' then 1 else 2 end, ${severity}, a.id asc`;
}

const FROM = sql`from alerts a join alert_rules r on r.id = a.rule_id`;

/** One page of alerts for the filters. */
export function listAlerts(db: Executor, f: AlertFilters): Promise<Page<AlertListRow>> {
  return paged<AlertListRow>(db, sql`${FROM} where ${where(f)}`, LIST_SELECT, order(f.view), f.page);
}

/** Every alert of the filters, by id, a batch at a time (the CSV export). */
export function iterateAlerts(db: Executor, f: AlertFilters): AsyncGenerator<AlertListRow[]> {
  return keyset<AlertListRow, number>(
    db,
    (after) =>
      sql`select ${LIST_SELECT} ${FROM} where ${where(f)} ${after === null ? sql`` : sql`and a.id > ${after}`}
        order by a.id`,
    (last) => last.id,
  );
}

/** How many alerts fire now, for the navigation. */
export async function firingCount(db: Executor): Promise<number> {
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(*)::float8 as n from alerts a join alert_rules r on r.id = a.rule_id where a.state = 'firing'`,
  );
  return Number(r.n);
}

/** How many alerts are firing, pending and resolved lately (the tabs' counts). */
export async function alertCounts(db: Executor): Promise<Record<'firing' | 'pending' | 'recent', number>> {
  const [r] = await rows<{ firing: number; pending: number; recent: number }>(
    db,
    sql`select count(*) filter (where a.state = 'firing')::float8 as firing,
      count(*) filter (where a.state = 'pending')::float8 as pending,
      count(*) filter (where a.state = 'normal' and a.resolved_at >= now() - ${`${RECENT_DAYS} days`}::interval)::float8
        as recent
      ${FROM}`,
  );
  return { firing: Number(r.firing), pending: Number(r.pending), recent: Number(r.recent) };
}

export interface TransitionRow {
  id: number;
  at: string;
  fromState: string | null;
  toState: string;
  value: number | null;
  note: string | null;
  by: string | null;
}

export interface AttemptRow {
  id: number;
  deliveryId: string;
  at: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
}

export interface DeliveryRow {
  id: string;
  eventId: number;
  event: string;
  alertId: number;
  ruleName: string | null;
  facility: string | null;
  channelId: string;
  channelType: AlertChannelType | null;
  status: (typeof ALERT_DELIVERY_STATUSES)[number];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  /** Every attempt, oldest first. */
  tries: AttemptRow[];
}

const ATTEMPT_SELECT = sql`t.id::float8 as "id", t.delivery_id as "deliveryId", ${isoText('t.at')} as "at", t.ok,
  t.status_code as "statusCode", t.error, t.duration_ms as "durationMs"`;

const DELIVERY_SELECT = sql`d.id, d.event_id::float8 as "eventId", e.event, e.alert_id::float8 as "alertId",
  r.name as "ruleName", a.facility, d.channel_id as "channelId", c.type as "channelType", d.status, d.attempts,
  ${isoText('d.next_attempt_at')} as "nextAttemptAt", d.last_error as "lastError",
  ${isoText('d.delivered_at')} as "deliveredAt", ${isoText('d.created_at')} as "createdAt"`;

const DELIVERY_FROM = sql`from alert_deliveries d join alert_events e on e.id = d.event_id
  left join alerts a on a.id = e.alert_id left join alert_rules r on r.id = a.rule_id
  left join alert_channels c on c.id = d.channel_id`;

/** The attempts of these deliveries, each list oldest first. */
async function withAttempts(db: Executor, list: Omit<DeliveryRow, 'tries'>[]): Promise<DeliveryRow[]> {
  if (!list.length) return [];
  const ids = list.map((d) => d.id);
  const tries = await rows<AttemptRow>(
    db,
    sql`select ${ATTEMPT_SELECT} from alert_delivery_attempts t
      where t.delivery_id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )}) order by t.at, t.id`,
  );
  const by = new Map<string, AttemptRow[]>();
  for (const t of tries) by.set(t.deliveryId, [...(by.get(t.deliveryId) ?? []), t]);
  return list.map((d) => ({ ...d, tries: by.get(d.id) ?? [] }));
}

export interface AlertDetail {
  alert: AlertListRow & { window: string | null; kpi: string | null; pendingFor: string; channels: string[] };
  transitions: TransitionRow[];
  deliveries: DeliveryRow[];
}

/** One alert with its rule, every transition (newest first) and every delivery with its attempts; null if none. */
export async function alertDetail(db: Executor, id: number): Promise<AlertDetail | null> {
  const [alert] = await rows<AlertDetail['alert']>(
    db,
    sql`select ${LIST_SELECT}, r.window, r.kpi, r.pending_for as "pendingFor", r.channels ${FROM} where a.id = ${id}`,
  );
  if (!alert) return null;
  const [transitions, deliveries] = await Promise.all([
    rows<TransitionRow>(
      db,
      sql`select id::float8 as "id", ${isoText('at')} as "at", from_state as "fromState", to_state as "toState", value,
        note, by from alert_transitions where alert_id = ${id} order by at desc, id desc`,
    ),
    rows<Omit<DeliveryRow, 'tries'>>(
      db,
      sql`select ${DELIVERY_SELECT} ${DELIVERY_FROM} where e.alert_id = ${id} order by d.created_at desc, d.id`,
    ),
  ]);
  return { alert, transitions, deliveries: await withAttempts(db, deliveries) };
}

export const deliveryFilters = z.object({
  status: z.enum(ALERT_DELIVERY_STATUSES).optional().catch(undefined),
  channelId: z.string().trim().min(1).max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type DeliveryFilters = z.infer<typeof deliveryFilters>;

export function parseDeliveryFilters(params: Record<string, string | undefined>): DeliveryFilters {
  const flat = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  return deliveryFilters.parse(flat);
}

function deliveryWhere(f: DeliveryFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.status) parts.push(sql`d.status = ${f.status}`);
  if (f.channelId) parts.push(sql`d.channel_id = ${f.channelId}`);
  return sql.join(parts, sql` and `);
}

/** One page of deliveries, newest first, each with every attempt and its error. */
export async function listDeliveries(db: Executor, f: DeliveryFilters): Promise<Page<DeliveryRow>> {
  const page = await paged<Omit<DeliveryRow, 'tries'>>(
    db,
    sql`${DELIVERY_FROM} where ${deliveryWhere(f)}`,
    DELIVERY_SELECT,
    sql`d.created_at desc, d.id desc`,
    f.page,
  );
  return { ...page, rows: await withAttempts(db, page.rows) };
}

/** An attempt with its delivery's facts: one CSV line per attempt (a delivery never tried is one line without). */
export type AttemptExportRow = Omit<DeliveryRow, 'tries'> & {
  attemptAt: string | null;
  ok: boolean | null;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
};

/** Every delivery of the filters with every attempt, by delivery id, a batch of deliveries at a time. */
export async function* iterateDeliveryAttempts(db: Executor, f: DeliveryFilters): AsyncGenerator<AttemptExportRow[]> {
  const batches = keyset<Omit<DeliveryRow, 'tries'>, string>(
    db,
    (after) =>
      sql`select ${DELIVERY_SELECT} ${DELIVERY_FROM} where ${deliveryWhere(f)}
        ${after === null ? sql`` : sql`and d.id > ${after}`} order by d.id`,
    (last) => last.id,
    200,
  );
  for await (const batch of batches) {
    const full = await withAttempts(db, batch);
    yield full.flatMap(({ tries, ...d }): AttemptExportRow[] =>
      tries.length
        ? tries.map((t) => ({
            ...d,
            attemptAt: t.at,
            ok: t.ok,
            statusCode: t.statusCode,
            error: t.error,
            durationMs: t.durationMs,
          }))
        : [{ ...d, attemptAt: null, ok: null, statusCode: null, error: null, durationMs: null }],
    );
  }
}
