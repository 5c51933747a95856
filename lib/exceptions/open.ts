/**
 * Exceptions opened and resolved by the message log (SPEC 5): a message that starts failing opens
 * one, classified by the root-cause rules; a later delivered version of it resolves it, "by retry".
 * Each change is written to the exception's audit trail in the same statement.
 */
import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '@/db';
import { rootCauseRules } from '@/db/schema';
import { fingerprint } from '@/lib/detect/fingerprint';
import { makeClassifier, type RootCauseRule } from '@/lib/detect/root-cause';
import { microsToIso } from '@/lib/time';

export const RESOLVED_BY_RETRY = 'system (resolved by retry)';

/** What an exception is opened from: the failing version of a message. */
export interface FailedMessage {
  messageId: string;
  facility: string;
  txType: string;
  sku: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface ToOpen {
  v: FailedMessage;
  openedUs: number;
  /** Set when a later record of the same batch delivered the message. */
  resolvedUs: number | null;
}

let cachedRules: { key: string; classify: ReturnType<typeof makeClassifier> } | null = null;

/**
 * The root-cause rules as stored now, read by every batch that opens exceptions (a table of a few
 * dozen rows, well under a millisecond), so a rule an admin changes classifies the next exception
 * opened by any process of the app; applying the rules to open exceptions reads them here too.
 * Only their compiled form is kept, while the rules stay the same.
 */
export async function currentClassifier(db: Executor) {
  // In priority order, the older rule first on a tie (the classifier's sort keeps this order).
  const rules = await db.select().from(rootCauseRules).orderBy(rootCauseRules.priority, rootCauseRules.id);
  const key = JSON.stringify(rules);
  if (cachedRules?.key !== key) cachedRules = { key, classify: makeClassifier(rules as RootCauseRule[]) };
  return cachedRules.classify;
}

export async function applyExceptions(tx: Tx, toOpen: ToOpen[], toResolve: { messageId: string; atUs: number }[]) {
  // Resolutions of exceptions opened earlier come first, so a message that failed again in this
  // batch can open its new one.
  if (toResolve.length) {
    const list = toResolve.map((r) => ({ message_id: r.messageId, at: microsToIso(r.atUs) }));
    await tx.execute(sql`
      with res as (
        update exceptions e set state = 'resolved', resolved_at = r.at::timestamptz, resolved_by = ${RESOLVED_BY_RETRY},
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(message_id text, at text)
        where e.message_id = r.message_id and e.state in ('open','acknowledged')
        returning e.id
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, now(), 'system', 'resolved', '{"reason":"a later delivered update of the message"}'::jsonb from res`);
  }
  if (toOpen.length) {
    const classify = await currentClassifier(tx);
    const list = toOpen.map(({ v, openedUs, resolvedUs }) => ({
      message_id: v.messageId,
      facility: v.facility,
      tx_type: v.txType,
      sku: v.sku,
      fingerprint: fingerprint(v.txType, v.errorCode, v.errorMessage),
      error_code: v.errorCode,
      error_message: v.errorMessage,
      root_cause: classify(v.errorCode, v.errorMessage),
      opened_at: microsToIso(openedUs),
      resolved_at: resolvedUs === null ? null : microsToIso(resolvedUs),
    }));
    await tx.execute(sql`
      with ins as (
        insert into exceptions (message_id, facility, tx_type, sku, fingerprint, error_code, error_message, root_cause,
          opened_at,
          state, resolved_at, resolved_by)
        select r.message_id, r.facility, r.tx_type, r.sku, r.fingerprint, r.error_code, r.error_message, r.root_cause,
          r.opened_at::timestamptz,
          case when r.resolved_at is null then 'open' else 'resolved' end, r.resolved_at::timestamptz,
          case when r.resolved_at is null then null else ${RESOLVED_BY_RETRY} end
        from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(message_id text, facility text, tx_type text, sku
          text, fingerprint text,
          error_code text, error_message text, root_cause text, opened_at text, resolved_at text)
        returning id, root_cause, opened_at, resolved_at
      )
      insert into exception_audit (exception_id, at, actor, action, detail)
      select id, now(), 'system', 'opened', jsonb_build_object('rootCause', root_cause, 'openedAt', opened_at) from ins
      union all
      select id, now(), 'system', 'resolved', '{"reason":"a later delivered update of the message"}'::jsonb from ins
        where resolved_at is not null`);
  }
}
