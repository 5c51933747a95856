'use client';

import { useState } from 'react';
import { control, Field, Result, submitClass } from '@/components/admin/list-form';
import { useKeptForm } from '@/components/ui/use-kept-form';
import type { ActionState, FormAction } from '@/lib/http/action-state';

/** A form's first values: text, a ticked box, or the ticked values of a group of boxes. */
export type FormValues = Record<string, string | boolean | string[] | null | undefined>;

const text = (v: FormValues[string]) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function Input({
  form,
  name,
  label,
  values,
  errors,
  ...rest
}: {
  form: string;
  name: string;
  label: string;
  values: FormValues;
  errors: Record<string, string>;
  placeholder?: string;
  list?: string;
  type?: string;
  className?: string;
}) {
  const id = `${form}-${name}`;
  const { className, ...attributes } = rest;
  return (
    <Field id={id} label={label} error={errors[name]}>
      <input {...control(id, name, errors[name], className)} defaultValue={text(values[name])} {...attributes} />
    </Field>
  );
}

function Select({
  form,
  name,
  label,
  values,
  errors,
  options,
  onChange,
}: {
  form: string;
  name: string;
  label: string;
  values: FormValues;
  errors: Record<string, string>;
  options: readonly (readonly [string, string])[];
  onChange?: (v: string) => void;
}) {
  const id = `${form}-${name}`;
  return (
    <Field id={id} label={label} error={errors[name]}>
      <select
        {...control(id, name, errors[name])}
        defaultValue={text(values[name])}
        onChange={onChange ? (e) => onChange(e.target.value) : undefined}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
}

function Check({ form, name, label, values }: { form: string; name: string; label: string; values: FormValues }) {
  const id = `${form}-${name}`;
  return (
    <div className="flex items-center gap-1.5 pb-1 text-sm text-slate-900">
      <input id={id} type="checkbox" name={name} defaultChecked={values[name] === true} className="h-4 w-4" />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function Choices({
  form,
  name,
  legend,
  choices,
  values,
  errors,
}: {
  form: string;
  name: string;
  legend: string;
  choices: readonly string[];
  values: FormValues;
  errors: Record<string, string>;
}) {
  const ticked = Array.isArray(values[name]) ? (values[name] as string[]) : [];
  const error = errors[name];
  return (
    <fieldset
      className="flex flex-col text-xs text-slate-600"
      aria-describedby={error ? `${form}-${name}-error` : undefined}
    >
      <legend>{legend}</legend>
      <div className="mt-0.5 flex flex-wrap gap-3 py-1">
        {choices.length ? (
          choices.map((c) => (
            <label key={c} className="flex items-center gap-1 text-sm text-slate-900">
              <input type="checkbox" name={name} value={c} defaultChecked={ticked.includes(c)} className="h-4 w-4" />
              {c}
            </label>
          ))
        ) : (
          <span className="text-slate-500">No channels yet.</span>
        )}
      </div>
      {error ? (
        <span id={`${form}-${name}-error`} className="text-red-700">
          {error}
        </span>
      ) : null}
    </fieldset>
  );
}

const pair = (xs: readonly string[]) => xs.map((x) => [x, x] as const);

/**
 * A rule: add or change it (saved through the configuration file's apply), or preview it — a GET of
 * the same fields to the page, which draws the value over the last 7 days and when it would have fired.
 */
export function RuleForm({
  action,
  values,
  kinds,
  kpis,
  facilities,
  channels,
  previewErrors = {},
}: {
  action: FormAction;
  values: FormValues;
  kinds: readonly string[];
  kpis: readonly string[];
  facilities: readonly string[];
  channels: readonly string[];
  previewErrors?: Record<string, string>;
}) {
  const {
    state,
    pending,
    form: { ref, onSubmit: save },
  } = useKeptForm<ActionState>(action, {});
  const errors = { ...previewErrors, ...(state.fieldErrors ?? {}) };
  const f = 'rule';
  const p = { form: f, values, errors };
  const [kind, setKind] = useState(text(values.kind) || 'kpi');
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    // "Preview" is a plain GET of the fields to this page; "Save" goes to the server action.
    if ((e.nativeEvent as SubmitEvent).submitter?.hasAttribute('data-preview')) return;
    save(e);
  }
  return (
    <form ref={ref} onSubmit={onSubmit} className="space-y-3" data-testid="rule-form">
      <div className="flex flex-wrap items-end gap-2">
        <Input {...p} name="id" label="Id" placeholder="failed-rate-high" />
        <Input {...p} name="name" label="Name" className="w-64" />
        <Select {...p} name="kind" label="Kind" options={pair(kinds)} onChange={setKind} />
        {kind === 'kpi' ? (
          <>
            <Input {...p} name="kpi" label="KPI" list="rule-kpis" placeholder="failedMessageRate" />
            <datalist id="rule-kpis">
              {kpis.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
            <Input {...p} name="window" label="Window" placeholder="1h" className="w-20" />
          </>
        ) : null}
        <Select
          {...p}
          name="facility"
          label="Facility"
          options={[['', 'All together'], ['*', 'Each facility (*)'], ...pair(facilities)]}
        />
        <Input {...p} name="txType" label="Tx type" placeholder="any" className="w-28" />
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <Select
          {...p}
          name="op"
          label="Op"
          options={[
            ['>', '>'],
            ['<', '<'],
          ]}
        />
        <Input {...p} name="threshold" label="Threshold" className="w-28" />
        <Input {...p} name="resolveThreshold" label="Resolve threshold" placeholder="= threshold" className="w-28" />
        <Input {...p} name="pendingFor" label="Pending for" placeholder="0s" className="w-20" />
        <Select {...p} name="severity" label="Severity" options={pair(['critical', 'warning', 'info'])} />
        <Input {...p} name="repeatEvery" label="Repeat every" placeholder="never" className="w-24" />
        <Input {...p} name="escalateAfter" label="Escalate after" placeholder="never" className="w-24" />
      </div>
      <div className="flex flex-wrap items-start gap-6">
        <Choices {...p} name="channels" legend="Channels" choices={channels} />
        <Choices {...p} name="escalateTo" legend="Escalate to" choices={channels} />
        <div className="flex flex-col gap-1 pt-4">
          <Check {...p} name="notifyResolved" label="Notify when resolved" />
          <Check {...p} name="enabled" label="Enabled" />
        </div>
      </div>
      <div className="flex items-center gap-2">
        <button disabled={pending} className={submitClass}>
          Save rule
        </button>
        <button
          type="submit"
          data-preview
          name="preview"
          value="1"
          formMethod="get"
          formAction="/admin/alerts/rules"
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
        >
          Preview last 7 days
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}

/** A channel: its type's fields (SPEC 9). A secret left blank keeps the saved one. */
export function ChannelForm({ action, values }: { action: FormAction; values: FormValues }) {
  const { state, pending, form } = useKeptForm<ActionState>(action, {});
  const errors = state.fieldErrors ?? {};
  const f = 'channel';
  const p = { form: f, values, errors };
  const [type, setType] = useState(text(values.type) || 'webhook');
  return (
    <form {...form} className="space-y-2" data-testid="channel-form">
      <div className="flex flex-wrap items-end gap-2">
        <Input {...p} name="id" label="Id" placeholder="ops-webhook" />
        <Select
          {...p}
          name="type"
          label="Type"
          options={pair(['webhook', 'email', 'slack', 'teams', 'pagerduty'])}
          onChange={setType}
        />
        {type === 'email' ? <Input {...p} name="to" label="To (addresses)" className="w-80" /> : null}
        {type !== 'email' ? (
          <Input
            {...p}
            name="url"
            label={type === 'pagerduty' ? 'URL (blank: PagerDuty enqueue)' : 'URL'}
            className="w-80"
            placeholder={type === 'slack' || type === 'teams' ? 'kept when blank' : undefined}
          />
        ) : null}
        {type === 'webhook' ? (
          <Input {...p} name="secret" label="Secret" type="password" placeholder="kept when blank" />
        ) : null}
        {type === 'pagerduty' ? (
          <Input {...p} name="routingKey" label="Routing key" type="password" placeholder="kept when blank" />
        ) : null}
        <Check {...p} name="enabled" label="Enabled" />
        <button disabled={pending} className={submitClass}>
          Save channel
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}

/** A silence: which alerts (rule, facility), from when (blank: now) until when (a time or a duration). */
export function SilenceForm({
  action,
  rules,
  facilities,
}: {
  action: FormAction;
  rules: readonly string[];
  facilities: readonly string[];
}) {
  const { state, pending, form } = useKeptForm<ActionState>(action, {}, { resetOnOk: true });
  const errors = state.fieldErrors ?? {};
  const f = 'silence';
  const p = { form: f, values: {}, errors };
  return (
    <form {...form} className="space-y-2" data-testid="silence-form">
      <div className="flex flex-wrap items-end gap-2">
        <Select {...p} name="ruleId" label="Rule" options={[['', 'Any rule'], ...pair(rules)]} />
        <Select {...p} name="facility" label="Facility" options={[['', 'Any facility'], ...pair(facilities)]} />
        <Input {...p} name="startsAt" label="Starts (UTC, blank: now)" type="datetime-local" />
        <Input {...p} name="endsAt" label="Ends (UTC)" type="datetime-local" />
        <Input {...p} name="duration" label="or for" placeholder="2h" className="w-20" />
        <Input {...p} name="comment" label="Comment" className="w-64" />
        <button disabled={pending} className={submitClass}>
          Add silence
        </button>
      </div>
      <Result state={state} />
    </form>
  );
}

/** A channel's "Send test": the answer or the error of one notification sent now. */
export function SendTestButton({ action, channelId }: { action: FormAction; channelId: string }) {
  const { state, pending, form } = useKeptForm<ActionState>(action, {});
  return (
    <form {...form} className="flex flex-col gap-1" data-testid="send-test">
      <input type="hidden" name="id" value={channelId} />
      <button
        disabled={pending}
        className="w-fit rounded border border-slate-300 bg-white px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-60"
        aria-label={`Send test through ${channelId}`}
      >
        {pending ? 'Sending…' : 'Send test'}
      </button>
      <Result state={state} />
    </form>
  );
}
