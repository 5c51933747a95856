import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { alertChannels } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { formValues } from '@/lib/http/action-state';
import { testDb } from '@/lib/testing/db';
import { channelForm, channelFromForm, formError, ruleForm, ruleFromForm, silenceForm, silenceFromForm } from './forms';
import { MASK } from './config-lists';

const h = testDb();

const form = (fields: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of fields) f.append(k, v);
  return f;
};
function parse<S extends z.ZodType>(schema: S, fields: [string, string][]) {
  return schema.safeParse(formValues(form(fields), schema)) as z.ZodSafeParseResult<z.output<S>>;
}

const seconds = (t: string) => {
  const m = /^(\d+)([smhd])$/.exec(t);
  if (!m) throw new Error('bad');
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's'];
};

describe('rule form', () => {
  it('turns the fields into a rule of the file, blanks left to their defaults', () => {
    const r = parse(ruleForm, [
      ['id', 'failed-high'],
      ['name', 'Failed rate high'],
      ['kind', 'kpi'],
      ['kpi', 'failedMessageRate'],
      ['window', '1h'],
      ['facility', '*'],
      ['op', '>'],
      ['threshold', '0.05'],
      ['resolveThreshold', ''],
      ['pendingFor', '5m'],
      ['severity', 'critical'],
      ['channels', 'ops'],
      ['channels', 'chat'],
      ['notifyResolved', 'on'],
      ['repeatEvery', ''],
    ]);
    expect(r.success).toBe(true);
    expect(ruleFromForm(r.data!)).toEqual({
      id: 'failed-high',
      name: 'Failed rate high',
      kind: 'kpi',
      kpi: 'failedMessageRate',
      window: '1h',
      facility: '*',
      op: '>',
      threshold: 0.05,
      pendingFor: '5m',
      severity: 'critical',
      channels: ['ops', 'chat'],
      notifyResolved: true,
      escalateTo: [],
      enabled: false,
    });
  });

  it('names the refused fields: a threshold that is not a number, a blank id, an unknown kind', () => {
    const r = parse(ruleForm, [
      ['id', ''],
      ['name', 'x'],
      ['kind', 'nope'],
      ['op', '>'],
      ['threshold', 'ten'],
      ['severity', 'warning'],
    ]);
    expect(r.success).toBe(false);
    const fields = new Set(r.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(['id', 'kind', 'threshold']));
  });

  it('puts the file apply’s paths back on the form’s fields', () => {
    const e = formError(
      new AppError('validation_failed', 'not applied', [
        'rules[0].threshold: expected a number',
        'silences[0].matchers.ruleId: unknown',
      ]),
    );
    expect(e.details).toEqual(['threshold: expected a number', 'ruleId: unknown']);
    expect(() => formError(new Error('boom'))).toThrow('boom');
  });
});

describe('channel form', () => {
  it('keeps a saved secret when the field is left blank or masked, and splits email addresses', async () => {
    await h.db.insert(alertChannels).values({
      id: 'hook',
      type: 'webhook',
      config: { url: 'https://old.example.test', secret: 'keep-me' },
    });
    const blank = parse(channelForm, [
      ['id', 'hook'],
      ['type', 'webhook'],
      ['url', 'https://new.example.test'],
      ['secret', ''],
      ['enabled', 'on'],
    ]);
    expect(await channelFromForm(h.db, blank.data!)).toEqual({
      id: 'hook',
      type: 'webhook',
      enabled: true,
      url: 'https://new.example.test',
      secret: 'keep-me',
    });
    const masked = parse(channelForm, [
      ['id', 'hook'],
      ['type', 'webhook'],
      ['url', 'https://new.example.test'],
      ['secret', MASK],
    ]);
    expect((await channelFromForm(h.db, masked.data!)).secret).toBe('keep-me');
    const changed = parse(channelForm, [
      ['id', 'hook'],
      ['type', 'webhook'],
      ['secret', 'rotated'],
    ]);
    expect((await channelFromForm(h.db, changed.data!)).secret).toBe('rotated');
    const mail = parse(channelForm, [
      ['id', 'mail'],
      ['type', 'email'],
      ['to', 'a@example.test, b@example.test\nc@example.test'],
    ]);
    expect((await channelFromForm(h.db, mail.data!)).to).toEqual([
      'a@example.test',
      'b@example.test',
      'c@example.test',
    ]);
  });
});

describe('silence form', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  it('ends after a duration from now, or at a UTC time', () => {
    const d = parse(silenceForm, [
      ['ruleId', 'r1'],
      ['duration', '2h'],
      ['comment', 'maintenance'],
    ]);
    const s = silenceFromForm(d.data!, 'admin@example.test', seconds, now);
    expect(s).toMatchObject({
      matchers: { ruleId: 'r1' },
      startsAt: '2026-12-07T10:00:00.000Z',
      endsAt: '2026-12-07T12:00:00.000Z',
      createdBy: 'admin@example.test',
    });
    const t = parse(silenceForm, [
      ['startsAt', '2026-12-08T01:00'],
      ['endsAt', '2026-12-08T03:30'],
    ]);
    expect(silenceFromForm(t.data!, 'a', seconds, now)).toMatchObject({
      startsAt: '2026-12-08T01:00:00.000Z',
      endsAt: '2026-12-08T03:30:00.000Z',
      matchers: {},
    });
  });

  it('refuses no end, an end before the start, and a bad duration, by field', () => {
    const none = parse(silenceForm, [['comment', 'x']]);
    expect(none.error?.issues[0].path).toEqual(['endsAt']);
    const before = parse(silenceForm, [
      ['startsAt', '2026-12-08T05:00'],
      ['endsAt', '2026-12-08T03:00'],
    ]);
    expect(() => silenceFromForm(before.data!, 'a', seconds, now)).toThrow(AppError);
    const bad = parse(silenceForm, [['duration', 'soon']]);
    try {
      silenceFromForm(bad.data!, 'a', seconds, now);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).details[0]).toMatch(/^duration: /);
    }
  });
});
