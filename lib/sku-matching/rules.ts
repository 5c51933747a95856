/**
 * SKU matching rules (SPEC 10): how reconciliation and the master data audit compare SKU codes.
 * Surrounding spaces are always ignored; ignore case (on by default), ignore the separators
 * `-` `_` `.` `/` and spaces inside the code, ignore leading zeros (both off by default).
 *
 * A code's key is written twice, once here in TypeScript and once as SQL, and both must agree
 * exactly: the snapshot import decides in TypeScript whether a snapshot's positions stay unique
 * under every rule (which lets reconciliation join them without aggregating), and the join runs on
 * the SQL key. So neither depends on a locale (`upper()` maps letters by the database's locale,
 * which differs between PGlite and a Postgres server): case folds the letters a–z, as `upper()`
 * does under the "C" collation — the one cheap fold (a `translate` over Latin-1 letters as well
 * made a 500,000-row reconciliation several times slower). Separators go by `replace`, zeros by
 * `ltrim`, all of them about as cheap as reading the code.
 */
import { sql, type SQL } from 'drizzle-orm';

export interface SkuMatching {
  ignoreCase: boolean;
  ignoreSeparators: boolean;
  ignoreLeadingZeros: boolean;
}

export const DEFAULT_SKU_MATCHING: SkuMatching = {
  ignoreCase: true,
  ignoreSeparators: false,
  ignoreLeadingZeros: false,
};

/** Every rule on: the coarsest key, used to tell whether any rules could make two positions one. */
export const EVERY_RULE: SkuMatching = { ignoreCase: true, ignoreSeparators: true, ignoreLeadingZeros: true };

/** What "separators" are: `-`, `_`, `.`, `/`, and spaces (a space, a tab, a no-break space). */
export const SEPARATORS = '-_./ \t\u00a0';
const SEPARATOR = /[-_./ \t\u00a0]/g;

/** The key a SKU is compared by under `rules`. Order: trim, separators, leading zeros, case (they commute). */
export function skuKey(sku: string, rules: SkuMatching): string {
  let k = sku.replace(/^ +| +$/g, '');
  if (rules.ignoreSeparators) k = k.replace(SEPARATOR, '');
  if (rules.ignoreLeadingZeros) k = k.replace(/^0+/, '');
  // a–z only, as Postgres's upper() under the "C" collation.
  if (rules.ignoreCase) k = k.replace(/[a-z]+/g, (c) => c.toUpperCase());
  return k;
}

/** A constant as an SQL literal (the key must be one expression: grouping by it with bound parameters fails). */
const literal = (s: string) => sql.raw(`'${s.replaceAll("'", "''")}'`);

/** `skuKey` as SQL over the text expression `sku`. */
export function skuKeySql(sku: SQL, rules: SkuMatching): SQL {
  let k = sql`btrim(${sku}, ' ')`;
  if (rules.ignoreSeparators) for (const c of SEPARATORS) k = sql`replace(${k}, ${literal(c)}, '')`;
  if (rules.ignoreLeadingZeros) k = sql`ltrim(${k}, '0')`;
  if (rules.ignoreCase) k = sql`upper(${k} collate "C")`;
  return k;
}

/** The rules as people read them: "ignore case, separators". */
export function describeRules(r: SkuMatching): string {
  const on = [r.ignoreCase && 'case', r.ignoreSeparators && 'separators', r.ignoreLeadingZeros && 'leading zeros'];
  const list = on.filter(Boolean);
  return list.length ? `ignore ${list.join(', ')}` : 'exact (spaces around aside)';
}
