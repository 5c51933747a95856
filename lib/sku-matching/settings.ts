/**
 * The SKU matching rules an admin sets per facility, with '*' as the default of every facility
 * without rules of its own (and the rules of the master data audit: item masters belong to no
 * facility). A facility without a row, and no '*' row, has DEFAULT_SKU_MATCHING.
 */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Executor } from '@/db';
import { skuMatchingRules } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { DEFAULT_SKU_MATCHING, type SkuMatching } from '@/lib/sku-matching/rules';
import { storableString, storableText } from '@/lib/validation';

/** The facility of the default row. */
export const EVERY_FACILITY = '*';

/** The rules that apply to `facility`: its own, else the default row, else the built-in default. */
export async function skuMatchingFor(db: Executor, facility: string): Promise<SkuMatching> {
  const [r] = await rows<SkuMatching>(
    db,
    sql`select ignore_case as "ignoreCase", ignore_separators as "ignoreSeparators",
      ignore_leading_zeros as "ignoreLeadingZeros"
      from sku_matching_rules where facility in (${facility}, ${EVERY_FACILITY}) order by facility = ${EVERY_FACILITY}
      limit 1`,
  );
  return r ?? { ...DEFAULT_SKU_MATCHING };
}

export interface SkuMatchingRow extends SkuMatching {
  facility: string;
  /** False for the built-in default, shown while no admin has set the '*' row. */
  own: boolean;
  updatedAt: Date | null;
}

/** The default row first (the built-in one when none is stored), then each facility with rules of its own. */
export async function listSkuMatching(db: Executor): Promise<SkuMatchingRow[]> {
  const stored = await db.select().from(skuMatchingRules).orderBy(skuMatchingRules.facility);
  const own = stored.map((r): SkuMatchingRow => ({
    facility: r.facility,
    ignoreCase: r.ignoreCase,
    ignoreSeparators: r.ignoreSeparators,
    ignoreLeadingZeros: r.ignoreLeadingZeros,
    own: true,
    updatedAt: r.updatedAt,
  }));
  const dflt = own.find((r) => r.facility === EVERY_FACILITY) ?? {
    facility: EVERY_FACILITY,
    ...DEFAULT_SKU_MATCHING,
    own: false,
    updatedAt: null,
  };
  return [dflt, ...own.filter((r) => r.facility !== EVERY_FACILITY)];
}

/** A yes/no from JSON (a boolean) or a form (its select's text). */
const flag = z.preprocess(
  (v) => (v === 'true' || v === 'yes' || v === 'on' ? true : v === 'false' || v === 'no' || v === 'off' ? false : v),
  z.boolean({ message: 'must be true or false' }),
);

export const skuMatchingInput = z.object({
  facility: storableString('is required')
    .trim()
    .min(1, "is required ('*' for every facility)")
    .max(64, 'at most 64 characters'),
  ignoreCase: flag,
  ignoreSeparators: flag,
  ignoreLeadingZeros: flag,
});
export type SkuMatchingInput = z.output<typeof skuMatchingInput>;

export async function saveSkuMatching(db: Executor, r: SkuMatchingInput): Promise<{ created: boolean }> {
  const [saved] = await rows<{ created: boolean }>(
    db,
    sql`insert into sku_matching_rules (facility, ignore_case, ignore_separators, ignore_leading_zeros)
      values (${r.facility}, ${r.ignoreCase}, ${r.ignoreSeparators}, ${r.ignoreLeadingZeros})
      on conflict (facility) do update set ignore_case = excluded.ignore_case,
        ignore_separators = excluded.ignore_separators, ignore_leading_zeros = excluded.ignore_leading_zeros,
        updated_at = now()
      returning (xmax = 0) as created`,
  );
  return saved;
}

/** Back to the default; a 404 AppError when the facility had no rules of its own. */
export async function removeSkuMatching(db: Executor, facility: string) {
  if (!storableText(facility)) throw new AppError('not_found', 'No such facility');
  const gone = await db
    .delete(skuMatchingRules)
    .where(eq(skuMatchingRules.facility, facility))
    .returning({ f: skuMatchingRules.facility });
  if (!gone.length)
    throw new AppError(
      'not_found',
      facility === EVERY_FACILITY
        ? 'The default rules are the built-in ones already'
        : `${facility} has no rules of its own`,
    );
}
