import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { formValues, stateOfError, zodFieldErrors } from '@/lib/http/action-state';
import { formNumber } from '@/lib/validation';

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe('a form read for its schema', () => {
  const schema = z
    .object({
      ids: z.array(z.coerce.number()).min(1, 'Select at least one'),
      action: z.enum(['assign', 'resolve']),
      owner: z.string().trim().optional(),
      minutes: z.coerce.number().int().optional(),
      name: z.string().trim().min(1, 'Required'),
      priority: formNumber(z.number({ message: 'must be a whole number' })),
    })
    .superRefine((v, ctx) => {
      if (v.action === 'assign' && !v.owner)
        ctx.addIssue({ code: 'custom', path: ['owner'], message: 'Choose who owns them' });
    });

  it('gives a list field every value, and none when none is ticked', () => {
    expect(
      formValues(
        form([
          ['ids', '4'],
          ['ids', '7'],
        ]),
        schema,
      ).ids,
    ).toEqual(['4', '7']);
    expect(formValues(form([['ids', '4']]), schema).ids).toEqual(['4']);
    expect(formValues(form([]), schema).ids).toEqual([]);
  });

  it('reads a blank optional field as no value, a blank required one as blank, so each schema words its error', () => {
    const v = formValues(
      form([
        ['owner', ''],
        ['minutes', ''],
        ['name', ''],
        ['priority', ''],
        ['extra', 'x'],
        ['two', 'a'],
        ['two', 'b'],
      ]),
      schema,
    );
    expect(v).toEqual({
      ids: [],
      action: undefined,
      owner: undefined,
      minutes: undefined,
      name: '',
      priority: '',
      extra: 'x',
      two: ['a', 'b'],
    });
    const parsed = schema.safeParse(
      formValues(
        form([
          ['action', 'assign'],
          ['owner', ''],
          ['name', ' '],
          ['priority', 'x'],
        ]),
        schema,
      ),
    );
    expect(zodFieldErrors(parsed.error!)).toEqual({
      ids: 'Select at least one',
      name: 'Required',
      priority: 'must be a whole number',
    });
    // Refinements run once the fields parse: the blank owner is missing, not a zero-length name.
    const assign = schema.safeParse(
      formValues(
        form([
          ['ids', '1'],
          ['action', 'assign'],
          ['owner', ''],
          ['name', 'n'],
          ['priority', '3'],
        ]),
        schema,
      ),
    );
    expect(zodFieldErrors(assign.error!)).toEqual({ owner: 'Choose who owns them' });
    const ok = schema.safeParse(
      formValues(
        form([
          ['ids', '1'],
          ['action', 'resolve'],
          ['minutes', '12'],
          ['name', 'n'],
          ['priority', ' 3 '],
        ]),
        schema,
      ),
    );
    expect(ok.data).toEqual({ ids: [1], action: 'resolve', minutes: 12, name: 'n', priority: 3 });
  });

  it('passes every field on when the schema is not an object', () => {
    const pipe = z.preprocess((v) => v, z.object({ a: z.string() }));
    expect(
      formValues(
        form([
          ['a', ''],
          ['b', '1'],
        ]),
        pipe,
      ),
    ).toEqual({ a: '', b: '1' });
  });
});

describe('errors as a form state', () => {
  it('keeps the first zod message of each field; an issue about the whole input is under "form"', () => {
    const r = z
      .object({ a: z.string().min(2, 'short').regex(/^x/, 'starts with x'), b: z.number() })
      .refine(() => false, 'never')
      .safeParse({ a: 'y', b: 1 });
    expect(zodFieldErrors(r.error!)).toEqual({ a: 'short', form: 'never' });
    expect(zodFieldErrors(z.string({ message: 'text please' }).safeParse(1).error!)).toEqual({ form: 'text please' });
  });

  it("reads an AppError's details by field, as 'field: message' or { field, message }", () => {
    const e = new AppError('validation_failed', 'The rule was not saved.', [
      'priority: must be a whole number',
      'priority: again',
      'body without a field',
    ]);
    expect(stateOfError(e)).toEqual({
      error: 'The rule was not saved.',
      fieldErrors: { priority: 'must be a whole number' },
    });
    const o = new AppError('conflict', 'a@b is the last enabled admin', [
      { field: 'role', message: 'one of ops' },
      { field: 'email' },
      null,
    ]);
    expect(stateOfError(o)).toEqual({
      error: 'a@b is the last enabled admin',
      fieldErrors: { role: 'one of ops', email: 'invalid' },
    });
    expect(stateOfError(new AppError('not_found', 'No user 9'))).toEqual({ error: 'No user 9', fieldErrors: {} });
  });

  it('throws anything else again: a fault is not an answer', () => {
    const boom = new Error('connection lost');
    expect(() => stateOfError(boom)).toThrow(boom);
  });
});
