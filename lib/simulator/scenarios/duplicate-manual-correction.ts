import { CASE, HOUR_MS, type SimCorrection } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const duplicateManualCorrection = {
  world: 'The same stock fix is keyed by hand in both systems.',
  injects: 'An ERP and a WMS correction of equal base quantity within hours.',
  detector: 'duplicateManualCorrections',
  rate: 0.3,
  hooks: {
    corrected(s, d, c) {
      if (!s.fires()) return;
      const qty = Number(c.quantityDelta);
      const other: SimCorrection = {
        ...c,
        correctionId: `CORR-${String(s.nextSeq()).padStart(7, '0')}`,
        system: c.system === 'erp' ? 'wms' : 'erp',
        quantityDelta: String(qty / CASE),
        uom: 'CASE',
        user: s.pick(['kim', 'ravi']),
        at: s.iso(Math.min(s.endMs - 1, d.at + 2 * HOUR_MS)),
        reasonCode: 'SYNC_FIX',
      };
      s.corrections.push(other);
      s.move(other.system, d.facility, d.sku, d.location, d.lot, qty);
      s.inject(c.correctionId);
    },
  },
  async expect({ expect, q, injected }) {
    expect((await q.kpis()).duplicateManualCorrections).toBeGreaterThanOrEqual(injected);
  },
} satisfies Scenario;
