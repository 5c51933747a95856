import { HOUR_MS, MINUTE_MS } from '@/lib/simulator/model';
import type { Scenario } from '@/lib/simulator/scenario';

export const batchDelay = {
  world: 'One interface runs as an hourly batch where near-real-time is expected.',
  injects: 'Adjustments of one facility processed on the next full hour.',
  detector: 'avgProcessingDelayMs / p95ProcessingDelayMs for adjustment',
  rate: 1, // applies to the last facility's adjustments
  hooks: {
    adjustmentDelay(s, a) {
      return a.facility === s.facilities[s.facilities.length - 1] ? HOUR_MS - (a.at % HOUR_MS) + MINUTE_MS : undefined;
    },
    adjusted(s, a, adjustment) {
      if (a.facility === s.facilities[s.facilities.length - 1]) s.inject(adjustment.messageId);
    },
  },
  async expect({ expect, q }) {
    const slow = await q.kpis({ facility: 'DC2', txType: 'adjustment' });
    const normal = await q.kpis({ facility: 'DC1', txType: 'adjustment' });
    expect(slow.avgProcessingDelayMs!).toBeGreaterThan(10 * 60_000);
    expect(normal.avgProcessingDelayMs!).toBeLessThan(30_000);
  },
} satisfies Scenario;
