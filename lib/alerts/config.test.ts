import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { alerts, alertTransitions } from '@/db/schema';
import { testDb } from '@/lib/testing/db';
import { rejectsWithAppError } from '@/lib/testing/errors';
import { formatDuration, parseDuration } from '@/lib/alerts/duration';
import { applyAlertConfig, exportAlertConfig, MASK, removeAlertConfigItem } from '@/lib/alerts/config';

const h = testDb();

const file = {
  channels: [
    { id: 'ops-mail', type: 'email', to: ['ops@example.com'] },
    { id: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 's3cret' },
    { id: 'pd', type: 'pagerduty', routingKey: 'rk-123' },
    { id: 'chat', type: 'slack', url: 'https://hooks.slack.example/T1/B2/xyz' },
  ],
  rules: [
    {
      id: 'fail-rate',
      name: 'Failure rate',
      kind: 'kpi',
      kpi: 'failedMessageRate',
      facility: '*',
      window: '1h',
      threshold: 0.1,
      resolveThreshold: 0.05,
      pendingFor: '5m',
      severity: 'critical',
      channels: ['hook', 'ops-mail'],
      repeatEvery: '1h',
      escalateAfter: '30m',
      escalateTo: ['pd'],
    },
    { id: 'open', name: 'Open exceptions', kind: 'open_exceptions', threshold: 100, channels: ['chat'] },
  ],
  silences: [
    {
      id: 'maint',
      matchers: { facility: 'DC1' },
      startsAt: '2026-01-01T00:00:00Z',
      endsAt: '2026-01-01T02:00:00+01:00',
      comment: 'maintenance',
    },
  ],
};

describe('durations', () => {
  it('reads and writes 30s, 5m, 1h, 7d and combinations', () => {
    expect(['30s', '5m', '1h', '7d', '1h30m', '0s'].map(parseDuration)).toEqual([30, 300, 3600, 604800, 5400, 0]);
    expect([0, 30, 90, 3600, 86400 * 7 + 1].map(formatDuration)).toEqual(['0s', '30s', '1m30s', '1h', '7d1s']);
    for (const bad of ['', '5', 'm', '1.5h', '-1m', '5 m', '1m1h'])
      expect(() => parseDuration(bad)).toThrow(RangeError);
  });
});

describe('applyAlertConfig', () => {
  it('creates, then finds the same file unchanged, and exports it back in the same form', async () => {
    const first = await applyAlertConfig(h.db, file, { by: 'admin@example.com' });
    expect(first.created.sort()).toEqual(
      [
        'channel:chat',
        'channel:hook',
        'channel:ops-mail',
        'channel:pd',
        'rule:fail-rate',
        'rule:open',
        'silence:maint',
      ].sort(),
    );
    expect(first.updated).toEqual([]);
    const again = await applyAlertConfig(h.db, file, { by: 'admin@example.com' });
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toHaveLength(7);

    const out = await exportAlertConfig(h.db);
    expect(out.channels.find((c) => c.id === 'hook')).toMatchObject({ secret: MASK, url: 'http://127.0.0.1:9/hook' });
    expect(out.channels.find((c) => c.id === 'chat')).toMatchObject({ url: MASK });
    expect(out.channels.find((c) => c.id === 'pd')).toMatchObject({ routingKey: MASK });
    expect(out.silences[0]).toMatchObject({
      endsAt: '2026-01-01T01:00:00.000Z',
      createdBy: 'admin@example.com',
      matchers: { ruleId: null, facility: 'DC1' },
    });
    expect(out.rules.find((r) => r.id === 'open')).toMatchObject({ op: '>', pendingFor: '0s', severity: 'warning' });
    // The masked export applied back changes nothing and keeps the secrets.
    const back = await applyAlertConfig(h.db, out);
    expect(back.updated).toEqual([]);
    const secret = await exportAlertConfig(h.db, { withSecrets: true });
    expect(secret.channels.find((c) => c.id === 'hook')).toMatchObject({ secret: 's3cret' });
    expect(secret.channels.find((c) => c.id === 'pd')).toMatchObject({ routingKey: 'rk-123' });
    // An export with secrets is itself a file that applies unchanged.
    expect((await applyAlertConfig(h.db, secret)).unchanged).toHaveLength(7);
  });

  it('updates by id and reports what changed', async () => {
    const changed = structuredClone(file);
    changed.rules[1].threshold = 50;
    const r = await applyAlertConfig(h.db, { rules: [changed.rules[1]] });
    expect(r).toEqual({ created: [], updated: ['rule:open'], unchanged: [] });
    expect((await exportAlertConfig(h.db)).rules.find((x) => x.id === 'open')?.threshold).toBe(50);
  });

  it('applies nothing from a file with an error, and names every bad field by its path', async () => {
    const bad = structuredClone(file) as { rules: Record<string, unknown>[]; channels: Record<string, unknown>[] };
    bad.rules.push({ id: 'new-one', name: 'x', kind: 'kpi', kpi: 'messages', threshold: 1 });
    bad.rules.push({ id: 'r3', name: 'y', kind: 'kpi', kpi: 'messages', threshold: 'high', window: '1 hour' });
    bad.channels.push({ id: 'c2', type: 'fax', number: '1' });
    bad.channels[0].typo = true;
    const e = await rejectsWithAppError(applyAlertConfig(h.db, bad));
    expect(e.status).toBe(422);
    expect(e.details).toEqual(
      expect.arrayContaining([
        'rules[3].threshold: expected a number',
        'rules[3].window: expected a duration like 30s, 5m, 1h or 7d',
        'channels[4].type: expected one of email, webhook, slack, teams, pagerduty',
        'channels[0].typo: unknown field',
      ]),
    );
    expect((await exportAlertConfig(h.db)).rules.map((r) => r.id)).not.toContain('new-one');
  });

  it('checks references, cross-field rules and duplicate ids', async () => {
    const e = await rejectsWithAppError(
      applyAlertConfig(h.db, {
        rules: [
          { id: 'a', name: 'a', kind: 'open_exceptions', threshold: 1, channels: ['nowhere'] },
          { id: 'b', name: 'b', kind: 'kpi', threshold: 1, op: '<', resolveThreshold: 0 },
        ],
      }),
    );
    expect(e.details).toEqual([
      'rules[1].kpi: required for kind kpi: expected one of ' +
        'messages, failedMessageRate, firstPassFailureRate, avgProcessingDelayMs, p95ProcessingDelayMs, duplicateCount, ' +
        'openExceptions, manualCorrections, duplicateManualCorrections, mismatches, mismatchValue, reconciliationMinutes',
      'rules[1].resolveThreshold: must be at least threshold (1) for op <',
    ]);
    const refs = await rejectsWithAppError(
      applyAlertConfig(h.db, {
        channels: [{ id: 'new-hook', type: 'slack', url: MASK }],
        rules: [
          { id: 'a', name: 'a', kind: 'open_exceptions', threshold: 1, channels: ['hook', 'nowhere'] },
          { id: 'a', name: 'a', kind: 'open_exceptions', threshold: 1 },
        ],
      }),
    );
    expect(refs.details).toEqual(['rules[1].id: "a" appears twice in the file']);
    const refs2 = await rejectsWithAppError(
      applyAlertConfig(h.db, {
        channels: [{ id: 'new-hook', type: 'slack', url: MASK }],
        rules: [{ id: 'a', name: 'a', kind: 'open_exceptions', threshold: 1, channels: ['hook', 'nowhere'] }],
      }),
    );
    expect(refs2.details).toEqual([
      `channels[0].url: "${MASK}" keeps a stored secret, and this channel has none`,
      'rules[0].channels[1]: no channel "nowhere" in the file or stored',
    ]);
    expect((await rejectsWithAppError(applyAlertConfig(h.db, [1]))).details).toEqual([
      'file: expected an object { channels, rules, silences }',
    ]);
  });

  it('a rule switched off puts its firing alerts back to normal, with a transition saying so', async () => {
    const [a] = await h.db
      .insert(alerts)
      .values({ ruleId: 'open', facility: null, state: 'firing', value: 120, startedAt: new Date() })
      .returning();
    const off = { ...file.rules[1], threshold: 50, enabled: false };
    expect((await applyAlertConfig(h.db, { rules: [off] }, { by: 'admin@example.com' })).updated).toEqual([
      'rule:open',
    ]);
    const [after] = await h.db.select().from(alerts).where(eq(alerts.id, a.id));
    expect(after.state).toBe('normal');
    const moves = await h.db.select().from(alertTransitions).where(eq(alertTransitions.alertId, a.id));
    expect(moves).toMatchObject([
      { fromState: 'firing', toState: 'normal', note: 'rule disabled', by: 'admin@example.com' },
    ]);
    await applyAlertConfig(h.db, { rules: [{ ...off, enabled: true }] });
  });

  it('removes one record: a channel in use is kept (409), an unknown one is a 404', async () => {
    expect((await rejectsWithAppError(removeAlertConfigItem(h.db, 'channel', 'hook'))).status).toBe(409);
    expect((await rejectsWithAppError(removeAlertConfigItem(h.db, 'rule', 'nope'))).status).toBe(404);
    await removeAlertConfigItem(h.db, 'rule', 'fail-rate');
    await removeAlertConfigItem(h.db, 'channel', 'hook');
    await removeAlertConfigItem(h.db, 'silence', 'maint');
    const out = await exportAlertConfig(h.db);
    expect(out.rules.map((r) => r.id)).toEqual(['open']);
    expect(out.channels.map((c) => c.id)).toEqual(['chat', 'ops-mail', 'pd']);
    expect(out.silences).toEqual([]);
  });
});
