/**
 * What people do with exceptions (SPEC 5): acknowledge, assign, resolve with a root cause, ignore.
 * Every change is written to the audit log with who and when, in the same transaction.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '@/db';
import { ROOT_CAUSES } from '@/db/schema';
import { currentClassifier } from '@/lib/exceptions/open';
import { storableString } from '@/lib/validation';

export const bulkActionInput = z
  .object({
    ids: z
      .array(z.coerce.number().int().positive())
      .min(1, 'Select at least one exception')
      .max(500, 'At most 500 at once'),
    action: z.enum(['acknowledge', 'assign', 'resolve', 'ignore']),
    owner: storableString().trim().max(200).optional(),
    rootCause: z.enum(ROOT_CAUSES).optional(),
    note: storableString().trim().max(2000).optional(),
    effortMinutes: z.coerce.number().int('whole minutes').min(0).max(100_000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'assign' && !v.owner)
      ctx.addIssue({ code: 'custom', path: ['owner'], message: 'Choose who owns them' });
    if (v.action === 'resolve' && !v.rootCause)
      ctx.addIssue({ code: 'custom', path: ['rootCause'], message: 'A root cause is required to resolve' });
  });
export type BulkActionInput = z.infer<typeof bulkActionInput>;

/**
 * Applies one action to the selected exceptions; closed ones (resolved, ignored) are left as they are. Returns how many
 * changed.
 */
export async function applyBulkAction(db: Db, input: BulkActionInput, actor: string): Promise<number> {
  const ids = JSON.stringify(input.ids);
  return db.transaction(async (tx) => {
    let changed: { id: string }[] = [];
    const open = sql`id in (select (jsonb_array_elements_text(${ids}::jsonb))::bigint) and state in
      ('open','acknowledged')`;
    switch (input.action) {
      case 'acknowledge':
        changed = await rows(
          tx,
          sql`update exceptions set state = 'acknowledged', acknowledged_at = now(), owner = coalesce(owner, ${actor}),
            updated_at = now()
          where ${open} and state = 'open' returning id::text`,
        );
        break;
      case 'assign':
        changed = await rows(
          tx,
          sql`update exceptions set owner = ${input.owner!}, updated_at = now() where ${open} returning id::text`,
        );
        break;
      case 'resolve':
        changed = await rows(
          tx,
          sql`update exceptions set state = 'resolved', resolved_at = now(), resolved_by = ${actor}, root_cause =
            ${input.rootCause!},
          root_cause_source = 'person', note = coalesce(${input.note ?? null}, note), effort_minutes =
            coalesce(${input.effortMinutes ?? null}::int, effort_minutes), updated_at = now()
          where ${open} returning id::text`,
        );
        break;
      case 'ignore':
        changed = await rows(
          tx,
          sql`update exceptions set state = 'ignored', resolved_by = ${actor}, note = coalesce(${input.note ?? null},
            note), updated_at = now()
          where ${open} returning id::text`,
        );
        break;
    }
    if (changed.length) {
      const detail = JSON.stringify({
        owner: input.owner,
        rootCause: input.rootCause,
        note: input.note,
        effortMinutes: input.effortMinutes,
      });
      const action = { acknowledge: 'acknowledged', assign: 'assigned', resolve: 'resolved', ignore: 'ignored' }[
        input.action
      ];
      await tx.execute(sql`insert into exception_audit (exception_id, actor, action, detail)
        select (jsonb_array_elements_text(${JSON.stringify(changed.map((c) => c.id))}::jsonb))::bigint, ${actor},
          ${action}, ${detail}::jsonb`);
    }
    return changed.length;
  });
}

/**
 * Applies the current root-cause rules to the open exceptions that rules classified (a category a
 * person chose is left alone), after the rules changed. Each change is audited with its old and new
 * category. Returns how many changed.
 */
export async function reclassifyOpen(db: Db, actor: string): Promise<number> {
  return db.transaction(async (tx) => {
    const classify = await currentClassifier(tx);
    const open = await rows<{
      id: string;
      error_code: string | null;
      error_message: string | null;
      root_cause: string;
    }>(
      tx,
      sql`select id::text, error_code, error_message, root_cause from exceptions
          where state in ('open','acknowledged') and root_cause_source = 'rule' for update`,
    );
    const changes = open
      .map((e) => ({ id: e.id, from: e.root_cause, to: classify(e.error_code, e.error_message) }))
      .filter((c) => c.to !== c.from);
    if (!changes.length) return 0;
    const list = JSON.stringify(changes);
    await tx.execute(sql`update exceptions e set root_cause = c."to", updated_at = now()
      from jsonb_to_recordset(${list}::jsonb) as c(id bigint, "to" text) where e.id = c.id`);
    await tx.execute(sql`insert into exception_audit (exception_id, actor, action, detail)
      select c.id, ${actor}, 'reclassified', jsonb_build_object('from', c."from", 'to', c."to")
      from jsonb_to_recordset(${list}::jsonb) as c(id bigint, "from" text, "to" text)`);
    return changes.length;
  });
}
