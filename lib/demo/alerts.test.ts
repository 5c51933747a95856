import { describe, expect, it } from 'vitest';
import { alertDetail, listAlerts, parseAlertFilters } from '@/lib/alerts/queries';
import { listChannels, listRules } from '@/lib/alerts/config-lists';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { seedDemoAlerts } from './alerts';

const h = testDb();
const HOUR = 3_600_000;

const failed = (id: string, hoursAgo: number, facility: string) => {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  return {
    messageId: id,
    txType: 'receipt',
    direction: 'wms_to_erp',
    facility,
    sku: `SKU-${id}`,
    status: 'failed',
    errorCode: 'ITEM_NOT_FOUND',
    errorMessage: 'Item not found',
    createdAt: at,
    updatedAt: at,
  };
};

describe('demo alerts', () => {
  it('ship three rules on a disabled channel with alerts in every state', async () => {
    await send(h.db, [failed('A', 72, 'DC1'), failed('B', 50, 'DC2'), failed('C', 1, 'DC2')]);
    await seedDemoAlerts(h.db);
    expect((await listRules(h.db)).map((r) => r.id)).toHaveLength(3);
    const channels = await listChannels(h.db);
    expect(channels.map((c) => [c.id, c.enabled])).toEqual([['example-webhook', false]]);

    const firing = (await listAlerts(h.db, parseAlertFilters({ view: 'firing' }))).rows;
    expect(firing.map((a) => a.facility).sort()).toEqual(['DC1', 'DC2']);
    expect(firing.filter((a) => a.acknowledgedBy)).toHaveLength(1);
    expect((await listAlerts(h.db, parseAlertFilters({ view: 'pending' }))).total).toBe(1);
    const recent = (await listAlerts(h.db, parseAlertFilters({ view: 'recent' }))).rows;
    expect(recent.map((a) => a.ruleId)).toEqual(['demo-open-exceptions-spike']);
    const history = await alertDetail(h.db, recent[0].id);
    expect(history?.transitions.map((t) => t.toState)).toContain('firing');
    // The example channel is disabled: nothing is queued to leave the machine.
    for (const a of firing) expect((await alertDetail(h.db, a.id))?.deliveries ?? []).toEqual([]);
  });
});
