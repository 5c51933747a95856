import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/testing/db';
import { send } from '@/lib/testing/send';
import { testMessage } from '@/lib/testing/records';
import { signOff } from '@/lib/review/signoff';
import { newGroups, reviewOverdueSeconds, RuleValueReader } from '@/lib/alerts/rule-values';

const h = testDb();
const T = Date.parse('2025-06-02T12:00:00Z');
const iso = (min: number) => new Date(T + min * 60_000).toISOString();
const failed = (id: string, min: number, code: string, facility = 'DC1') =>
  testMessage(id, iso(min), { status: 'failed', errorCode: code, errorMessage: `failure ${code}`, facility });

describe('rule values that are no KPI', () => {
  it('new_exception_group counts groups first seen in the window, not those seen before', async () => {
    await send(h.db, [failed('OLD', -300, 'E_OLD'), failed('A1', -10, 'E_OLD'), failed('N1', -10, 'E_NEW')]);
    await send(h.db, [failed('N2', -5, 'E_NEW2', 'DC2')]);
    expect(await newGroups(h.db, new Date(T - 3_600_000), new Date(T), null, null)).toBe(2);
    expect(await newGroups(h.db, new Date(T - 3_600_000), new Date(T), 'DC1', null)).toBe(1);
    expect(await newGroups(h.db, new Date(T - 3_600_000), new Date(T), 'DC1', 'shipment')).toBe(0);
    const reader = new RuleValueReader(h.db);
    const rule = { kind: 'new_exception_group' as const, kpi: null, window: '1h', txType: null };
    expect(await reader.value(rule, null, new Date(T))).toBe(2);
    // Seven hours on, the window holds none of them.
    expect(await reader.value(rule, null, new Date(T + 7 * 3_600_000))).toBe(0);
  });

  it("review_overdue: seconds past the due time without yesterday's sign-off", async () => {
    const at = new Date('2025-06-03T10:30:00Z');
    expect(await reviewOverdueSeconds(h.db, '11:00', null, at)).toBe(0);
    expect(await reviewOverdueSeconds(h.db, '09:00', null, at)).toBe(5400);
    expect(await reviewOverdueSeconds(h.db, '09:00', 'DC1', at)).toBe(5400);
    await signOff(
      h.db,
      { cadence: 'daily', period: '2025-06-02', facility: '*', notes: null },
      { email: 'ops@example.com', name: 'Ops', role: 'ops' },
    );
    // A sign-off for all facilities covers each of them.
    expect(await reviewOverdueSeconds(h.db, '09:00', null, at)).toBe(0);
    expect(await reviewOverdueSeconds(h.db, '09:00', 'DC1', at)).toBe(0);
    expect(await reviewOverdueSeconds(h.db, '09:00', null, new Date('2025-06-04T10:30:00Z'))).toBe(5400);
  });
});
