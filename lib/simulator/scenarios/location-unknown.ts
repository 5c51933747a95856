import type { Scenario } from '@/lib/simulator/scenario';

export const locationUnknown = {
  world: 'A putaway names a location the ERP does not know.',
  injects: 'Putaways failed with LOC_UNKNOWN.',
  detector: 'open exceptions (master_data)',
  rate: 0.01,
  hooks: {
    putaway(s, r, putaway) {
      if (!s.fires()) return;
      s.fail(putaway, 'failed', 'LOC_UNKNOWN', `Location "${r.location}" not found in ERP`);
      s.inject(putaway.messageId);
    },
  },
  async expect(d) {
    d.expect(await d.q.exceptionsWith('LOC_UNKNOWN')).toMatchObject({ n: d.injected, cause: 'master_data' });
  },
} satisfies Scenario;
