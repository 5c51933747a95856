/**
 * The SKU key (SPEC 10), each rule on and off, and its SQL twin: the snapshot import decides in
 * TypeScript what the join decides in SQL, so the two must agree on every code, on both databases.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db';
import { describeRules, EVERY_RULE, skuKey, skuKeySql, type SkuMatching } from '@/lib/sku-matching/rules';
import { testDb } from '@/lib/testing/db';

const h = testDb();
const OFF: SkuMatching = { ignoreCase: false, ignoreSeparators: false, ignoreLeadingZeros: false };
const COMBOS: SkuMatching[] = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({
  ignoreCase: !!(n & 1),
  ignoreSeparators: !!(n & 2),
  ignoreLeadingZeros: !!(n & 4),
}));
const SAMPLES = [
  'SKU-008',
  'sku-008',
  'SKU005',
  ' SKU 005 ',
  'sku_005',
  'a.b/c-d_e f',
  '000123',
  '0-0-12',
  '000',
  "O'Brien-1",
  'crème-brûlée',
  'CRÈME BRÛLÉE',
  'straße',
  'ÿ\u00a0z\tq',
  'Ωmega',
];

describe('skuKey', () => {
  it('ignores surrounding spaces always, and each rule only when on', () => {
    expect(skuKey('  SKU-008 ', OFF)).toBe('SKU-008');
    expect(skuKey('sku-008', OFF)).toBe('sku-008');
    expect(skuKey('sku-008', { ...OFF, ignoreCase: true })).toBe('SKU-008');
    expect(skuKey('SKU-0.0/5_ 1', { ...OFF, ignoreSeparators: true })).toBe('SKU0051');
    expect(skuKey('000123', { ...OFF, ignoreLeadingZeros: true })).toBe('123');
    expect(skuKey('A000123', { ...OFF, ignoreLeadingZeros: true })).toBe('A000123');
    expect(skuKey('0-0-12', EVERY_RULE)).toBe('12');
    // a–z only (as upper() under the "C" collation, on every database).
    expect(skuKey('crème', { ...OFF, ignoreCase: true })).toBe('CRèME');
    expect(describeRules(OFF)).toBe('exact (spaces around aside)');
    expect(describeRules(EVERY_RULE)).toBe('ignore case, separators, leading zeros');
  });

  it('makes no two codes one that every rule together keeps apart (the import relies on it)', () => {
    for (const r of COMBOS)
      for (const a of SAMPLES)
        for (const b of SAMPLES)
          if (skuKey(a, r) === skuKey(b, r)) expect(skuKey(a, EVERY_RULE), `${a} ${b}`).toBe(skuKey(b, EVERY_RULE));
  });

  it('is computed the same in SQL, under every combination of rules', async () => {
    for (const r of COMBOS) {
      const got = await rows<{ sku: string; k: string }>(
        h.db,
        sql`select sku, ${skuKeySql(sql.raw('sku'), r)} as k from unnest(${sql.raw(
          `array[${SAMPLES.map((s) => `'${s.replaceAll("'", "''")}'`).join(',')}]::text[]`,
        )}) as s(sku)`,
      );
      expect(got, JSON.stringify(r)).toEqual(SAMPLES.map((s) => ({ sku: s, k: skuKey(s, r) })));
    }
  });
});
