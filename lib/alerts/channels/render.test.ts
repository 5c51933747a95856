import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderNotification } from './render';
import type { AlertObject, HttpNotification } from './types';
import { signature } from './webhook';

const alert: AlertObject = {
  id: 42,
  ruleId: 'failed-rate',
  ruleName: 'Failed rate <high> & rising',
  severity: 'critical',
  facility: 'DC1',
  value: 0.1234567,
  threshold: 0.05,
  state: 'firing',
  startedAt: '2026-12-07T02:00:00.000Z',
  resolvedAt: null,
  acknowledgedBy: null,
  url: 'https://sync.example.com/?facility=DC1',
};

const http = (n: ReturnType<typeof renderNotification>) => {
  expect(n.kind).toBe('http');
  return n as HttpNotification;
};

describe('renderNotification', () => {
  it("webhook: exactly SPEC 9's body, the alert's keys in order and nothing more", () => {
    const n = http(
      renderNotification({ id: 'hook', type: 'webhook', url: 'https://r.example/x', secret: 's3cret' }, 'firing', {
        ...alert,
        extra: 'not in the spec',
      } as AlertObject),
    );
    expect(n.url).toBe('https://r.example/x');
    expect(n.secret).toBe('s3cret');
    const body = JSON.parse(n.body);
    expect(Object.keys(body)).toEqual(['version', 'event', 'alert']);
    expect(body.version).toBe(1);
    expect(body.event).toBe('firing');
    expect(Object.keys(body.alert)).toEqual([
      'id',
      'ruleId',
      'ruleName',
      'severity',
      'facility',
      'value',
      'threshold',
      'state',
      'startedAt',
      'resolvedAt',
      'acknowledgedBy',
      'url',
    ]);
    expect(body.alert).toMatchObject({ id: 42, value: 0.1234567, threshold: 0.05, facility: 'DC1', resolvedAt: null });
  });

  it('signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, t.body)>, recomputed here', () => {
    const body = '{"version":1}';
    const header = signature('k', body, 1_800_000_000.9);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(m?.[1]).toBe('1800000000');
    expect(m?.[2]).toBe(createHmac('sha256', 'k').update(`1800000000.${body}`).digest('hex'));
    expect(signature('other', body, 1_800_000_000)).not.toBe(header);
  });

  it('slack: text plus blocks, saying what fired, value vs threshold, since when, facility, link; markup escaped', () => {
    const n = http(renderNotification({ id: 's', type: 'slack', url: 'https://hooks.slack.test/x' }, 'firing', alert));
    const p = JSON.parse(n.body);
    expect(p.text).toContain('Firing: Failed rate <high> & rising at DC1');
    expect(p.text).toContain(alert.url);
    const all = JSON.stringify(p.blocks);
    expect(all).toContain('Failed rate &lt;high&gt; &amp; rising');
    expect(all).not.toMatch(/\*Rule\*\\nFailed rate <high>/);
    expect(all).toContain('0.1235 (threshold 0.05)');
    expect(all).toContain('2026-12-07 02:00 UTC');
    expect(all).toContain('DC1');
    expect(p.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(p.blocks[3].elements[0].url).toBe(alert.url);
  });

  it('teams: a message with one Adaptive Card attachment', () => {
    const n = http(renderNotification({ id: 't', type: 'teams', url: 'https://teams.test/wf' }, 'escalated', alert));
    const p = JSON.parse(n.body);
    expect(p.type).toBe('message');
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = p.attachments[0].content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.body[0].text).toBe('Escalated: Failed rate <high> & rising at DC1');
    expect(card.body[2].facts).toContainEqual({ title: 'Facility', value: 'DC1' });
    expect(card.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Open in Sync Health', url: alert.url });
  });

  it('pagerduty: trigger / acknowledge / resolve with the alert id as dedup_key, default URL', () => {
    const ch = { id: 'pd', type: 'pagerduty' as const, routingKey: 'R0UT1NG' };
    const actions = (['firing', 'repeat', 'escalated', 'acknowledged', 'resolved'] as const).map((e) => {
      const n = http(renderNotification(ch, e, alert, '2026-12-07T02:01:00.000Z'));
      expect(n.url).toBe('https://events.pagerduty.com/v2/enqueue');
      const p = JSON.parse(n.body);
      expect(p).toMatchObject({
        routing_key: 'R0UT1NG',
        dedup_key: '42',
        payload: { severity: 'critical', source: 'sync-health', timestamp: '2026-12-07T02:01:00.000Z' },
      });
      expect(p.payload.summary.length).toBeLessThanOrEqual(1024);
      expect(p.payload.custom_details).toMatchObject({ event: e, ruleId: 'failed-rate', facility: 'DC1' });
      return p.event_action;
    });
    expect(actions).toEqual(['trigger', 'trigger', 'trigger', 'acknowledge', 'resolve']);
    const own = http(renderNotification({ ...ch, url: 'http://127.0.0.1:9/pd' }, 'firing', alert));
    expect(own.url).toBe('http://127.0.0.1:9/pd');
  });

  it('email: the subject names state, severity, rule and facility; all facilities when null', () => {
    const n = renderNotification({ id: 'm', type: 'email', to: ['ops@example.com'] }, 'resolved', {
      ...alert,
      facility: null,
      state: 'normal',
      resolvedAt: '2026-12-07T03:30:00.000Z',
    });
    expect(n.kind).toBe('email');
    if (n.kind !== 'email') return;
    expect(n.to).toEqual(['ops@example.com']);
    expect(n.subject).toBe('[RESOLVED] critical: Failed rate <high> & rising (all facilities)');
    expect(n.text).toContain('Resolved at: 2026-12-07 03:30 UTC');
    expect(n.text).toContain(`Open in Sync Health: ${alert.url}`);
    expect(n.html).toContain('Failed rate &lt;high&gt; &amp; rising');
    expect(n.html).not.toContain('<high>');
  });

  it('escalated and repeat messages say so', () => {
    const esc = renderNotification({ id: 'm', type: 'email', to: ['a@b.c'] }, 'escalated', alert);
    const rep = renderNotification({ id: 'm', type: 'email', to: ['a@b.c'] }, 'repeat', alert);
    if (esc.kind !== 'email' || rep.kind !== 'email') throw new Error('email expected');
    expect(esc.subject).toMatch(/^\[ESCALATED\] critical: /);
    expect(esc.text).toMatch(/Escalated: .* nobody has acknowledged it/);
    expect(rep.subject).toMatch(/^\[STILL FIRING\]/);
  });
});

describe("the README's signature check", () => {
  it('accepts what sendNotification signs and refuses a changed body, another secret or an old time', async () => {
    const { readFileSync } = await import('node:fs');
    const crypto = await import('node:crypto');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const code = /## Verifying webhook signatures[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code?.split('\n').filter(Boolean).length).toBeLessThanOrEqual(10);
    const body = code!.replace(/^import .*\n/m, '');
    const verify = new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verify;`)(
      crypto.createHmac,
      crypto.timingSafeEqual,
    ) as (secret: string, header: string, raw: string) => boolean;
    const raw = '{"version":1,"event":"firing"}';
    const now = Date.now() / 1000;
    expect(verify('sec', signature('sec', raw, now), raw)).toBe(true);
    expect(verify('sec', signature('sec', raw, now), `${raw} `)).toBe(false);
    expect(verify('other', signature('sec', raw, now), raw)).toBe(false);
    expect(verify('sec', signature('sec', raw, now - 3600), raw)).toBe(false);
    expect(verify('sec', 't=1,v1=zz', raw)).toBe(false);
  });
});
