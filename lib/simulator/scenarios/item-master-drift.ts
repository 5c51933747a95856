import { skuCode } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

/** Hand edits in the WMS item master: a case size, a status, a retyped code. */
const DRIFT = { caseOf10: skuCode(52), blocked: skuCode(53), lowerCase: skuCode(54) };

export const itemMasterDrift = {
  world: 'Item masters edited by hand on one side drift apart: a case size, a status, a code retyped.',
  injects:
    'In the WMS item master: a CASE of 10 instead of 12 for one item, a blocked status for another, ' +
    'one code retyped in lower case.',
  detector: 'master data audit `conversion`, `status`, `near_identical_code`',
  rate: 1, // applies to the items it names
  hooks: {
    wmsItem(s, item) {
      const sku = item.sku;
      if (sku === DRIFT.caseOf10) item.uoms = [{ uom: 'CASE', toBase: 10 }];
      else if (sku === DRIFT.blocked) item.status = 'blocked';
      else if (sku === DRIFT.lowerCase) item.sku = sku.toLowerCase();
      if (Object.values(DRIFT).includes(sku)) s.inject(sku);
    },
  },
  async expect(d) {
    d.expect(d.injected).toBe(3);
    const [caseOf10, blocked, lower] = d.ids;
    d.expect(await d.q.findingsFor('conversion')).toEqual([caseOf10]);
    d.expect(await d.q.findingsFor('status')).toEqual([blocked]);
    d.expect(await d.q.findingsFor('near_identical_code')).toEqual([lower]);
    // Case is ignored by the default SKU matching rules (SPEC 10): the retyped code is the same item, missing nowhere.
    d.expect(await d.q.findingsFor('missing_in_erp')).toEqual([]);
  },
} satisfies Scenario;
