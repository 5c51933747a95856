/**
 * The alert configuration as the admin pages list it: rules with their firing alerts, channels with
 * their secrets masked (never sent to a page) and last week's deliveries, silences by status.
 */
import { sql } from 'drizzle-orm';
import { isoText, rows, type Executor } from '@/db';
import type { AlertChannelType } from '@/db/schema';

export interface RuleRow {
  id: string;
  name: string;
  kind: string;
  kpi: string | null;
  facility: string | null;
  txType: string | null;
  window: string | null;
  op: '>' | '<';
  threshold: number;
  resolveThreshold: number | null;
  pendingFor: string;
  severity: 'critical' | 'warning' | 'info';
  channels: string[];
  notifyResolved: boolean;
  repeatEvery: string | null;
  escalateAfter: string | null;
  escalateTo: string[];
  enabled: boolean;
  /** Its alerts firing now. */
  firing: number;
  updatedAt: string;
}

const RULE_SELECT = sql`r.id, r.name, r.kind, r.kpi, r.facility, r.tx_type as "txType", r.window, r.op, r.threshold,
  r.resolve_threshold as "resolveThreshold", r.pending_for as "pendingFor", r.severity, r.channels,
  r.notify_resolved as "notifyResolved", r.repeat_every as "repeatEvery", r.escalate_after as "escalateAfter",
  r.escalate_to as "escalateTo", r.enabled,
  (select count(*) from alerts a where a.rule_id = r.id and a.state = 'firing')::float8 as "firing",
  ${isoText('r.updated_at')} as "updatedAt"`;

/** Every rule, by id, with how many of its alerts fire now. */
export function listRules(db: Executor): Promise<RuleRow[]> {
  return rows<RuleRow>(db, sql`select ${RULE_SELECT} from alert_rules r order by r.id`);
}

/** One rule, or null. */
export async function getRule(db: Executor, id: string): Promise<RuleRow | null> {
  const [r] = await rows<RuleRow>(db, sql`select ${RULE_SELECT} from alert_rules r where r.id = ${id}`);
  return r ?? null;
}

/** Fields that hold a secret, by channel type (SPEC 9): never sent to a page. */
const SECRET_FIELDS: Record<AlertChannelType, readonly string[]> = {
  email: [],
  webhook: ['secret'],
  slack: ['url'],
  teams: ['url'],
  pagerduty: ['routingKey'],
};
export const MASK = '********';

export interface ChannelRow {
  id: string;
  type: AlertChannelType;
  enabled: boolean;
  /** The type's fields, secrets masked. */
  config: Record<string, unknown>;
  /** Deliveries of the last 7 days: delivered, failed and still pending. */
  delivered: number;
  failed: number;
  pending: number;
  updatedAt: string;
}

/** A channel's fields with its secrets masked. */
export function maskChannel(type: AlertChannelType, config: Record<string, unknown>): Record<string, unknown> {
  const out = { ...config };
  for (const k of SECRET_FIELDS[type] ?? [])
    if (out[k] !== undefined && out[k] !== null && out[k] !== '') out[k] = MASK;
  return out;
}

/** Every channel, by id, secrets masked, with its deliveries of the last 7 days. */
export async function listChannels(db: Executor): Promise<ChannelRow[]> {
  const list = await rows<ChannelRow>(
    db,
    sql`select c.id, c.type, c.enabled, c.config,
      count(d.id) filter (where d.status = 'delivered')::float8 as "delivered",
      count(d.id) filter (where d.status = 'failed')::float8 as "failed",
      count(d.id) filter (where d.status = 'pending')::float8 as "pending",
      ${isoText('c.updated_at')} as "updatedAt"
      from alert_channels c left join alert_deliveries d on d.channel_id = c.id and d.created_at >= now() - interval '7 days'
      group by c.id order by c.id`,
  );
  return list.map((c) => ({ ...c, config: maskChannel(c.type, c.config ?? {}) }));
}

export interface SilenceRow {
  id: string;
  ruleId: string | null;
  facility: string | null;
  startsAt: string;
  endsAt: string;
  comment: string | null;
  createdBy: string | null;
  /** 'active' now, 'scheduled' to start, or 'ended'. */
  status: 'active' | 'scheduled' | 'ended';
}

/** Every silence: active ones first, then scheduled, then ended (newest first). */
export function listSilences(db: Executor): Promise<SilenceRow[]> {
  return rows<SilenceRow>(
    db,
    sql`select id, rule_id as "ruleId", facility, ${isoText('starts_at')} as "startsAt", ${isoText('ends_at')} as "endsAt",
      comment, created_by as "createdBy",
      case when ends_at <= now() then 'ended' when starts_at > now() then 'scheduled' else 'active' end as "status"
      from alert_silences
      order by case when ends_at <= now() then 2 when starts_at > now() then 1 else 0 end, ends_at desc, id`,
  );
}
