import { sql } from 'drizzle-orm';
import { DAY_MS, HOUR_MS } from '@/lib/simulator/model';
import type { Scenario, ScenarioSim } from '@/lib/simulator/scenario';

const CHANGE_ID = 'CHG-MAP-SHIP-STATUS';
/** The mapping changes at 09:00 of the day 60% into the period. */
const changedAt = (s: ScenarioSim) => s.startMs + Math.floor(s.days * 0.6) * DAY_MS + 9 * HOUR_MS;

export const statusMappingDrift = {
  world: 'After a mapping change, shipments are mapped to a status the ERP rejects.',
  injects: 'A change-log entry (not integration-reviewed), then shipments failing STATUS_MAP.',
  detector: 'failedMessageRate for shipment after the change; exceptions (mapping); change annotation',
  rate: 0.05,
  hooks: {
    changes(s) {
      const summary = 'Shipment status map v2: CLOSED → POSTED';
      const at = s.iso(changedAt(s));
      const change = { changeId: CHANGE_ID, at, system: 'middleware', kind: 'mapping' as const, summary };
      s.changes.push({ ...change, integrationReviewed: false });
      s.inject(CHANGE_ID);
    },
    bookShipment(s, o, shipment) {
      if (!(o.shippedAt > changedAt(s) && s.fires())) return false;
      const text = 'Invalid status mapping: shipment status "POSTED" not allowed for order';
      s.fail(shipment, 'failed', 'STATUS_MAP', text);
      s.inject(shipment.messageId);
      return true;
    },
  },
  async expect(d) {
    d.expect(await d.q.exceptionsWith('STATUS_MAP')).toMatchObject({ n: d.injected - 1, cause: 'mapping' });
    const [c] = await d.q.rows<{ reviewed: boolean }>(
      sql`select integration_reviewed as reviewed from change_log where change_id = ${CHANGE_ID}`,
    );
    d.expect(c.reviewed).toBe(false);
  },
} satisfies Scenario;
