'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ErrorAlert, refusal } from '@/components/imports/error-alert';
import { AnswerView, type Answer } from '@/components/imports/import-form';
import { bound, fieldClass, Labelled, LabelledInput, LabelledSelect } from '@/components/ui/field';

export interface ProfileChoice {
  key: string;
  label: string;
  json: string;
  sampleName: string | null;
  sample: string | null;
}

/** The part of a sample file previewed (the rest is left out, cut at a line's end). */
const SAMPLE_BYTES = 1024 * 1024;

const TEMPLATE = `{
  "name": "my-log",
  "input": "csv",
  "records": "",
  "timezone": "UTC",
  "fields": {
    "messageId": { "hash": true },
    "txType": { "path": "type", "map": { "RCV": "receipt", "SHP": "shipment" } },
    "direction": { "const": "wms_to_erp" },
    "facility": "warehouse",
    "status": { "path": "state", "map": { "OK": "delivered", "ERR": "failed" }, "default": "pending" },
    "createdAt": { "path": "created", "format": "yyyy-MM-dd HH:mm:ss" },
    "processedAt": { "path": "done", "format": "yyyy-MM-dd HH:mm:ss" },
    "errorMessage": "error"
  }
}
`;

type Result =
  | { kind: 'preview'; answer: Answer }
  | { kind: 'saved'; name: string; created: boolean }
  | { kind: 'error'; message: string; details: string[] };

/**
 * Writing a mapping profile: start from a saved or shipped one (or a template), try it on a sample
 * file as you type (a dry run a moment after each change: mapped, validated, nothing stored), and
 * save it under its name. A profile that is not valid shows its errors by field.
 */
export function ProfileEditor({ choices }: { choices: ProfileChoice[] }) {
  const router = useRouter();
  const [text, setText] = useState(choices[0]?.json ?? TEMPLATE);
  const [sample, setSample] = useState<{ name: string; text: string } | null>(
    choices[0]?.sample ? { name: choices[0].sampleName ?? 'sample', text: choices[0].sample } : null,
  );
  const [facility, setFacility] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);
  const asked = useRef(0);

  function load(key: string) {
    const c = choices.find((x) => x.key === key);
    setText(c?.json ?? TEMPLATE);
    if (c?.sample) setSample({ name: c.sampleName ?? 'sample', text: c.sample });
    setResult(null);
  }

  async function chooseSample(file: File | null) {
    if (!file) return setSample(null);
    let part = await file.slice(0, SAMPLE_BYTES).text();
    if (file.size > SAMPLE_BYTES) part = part.slice(0, part.lastIndexOf('\n') + 1);
    setSample({ name: file.name, text: part });
  }

  const profile = (): unknown | Result => {
    try {
      return JSON.parse(text);
    } catch (e) {
      return { kind: 'error', message: `The profile is not valid JSON: ${(e as Error).message}`, details: [] };
    }
  };
  const failure = (body: Record<string, unknown>, status: number): Result => ({
    kind: 'error',
    ...refusal(body, status),
  });

  async function preview() {
    const p = profile();
    if (p && typeof p === 'object' && 'kind' in p) return setResult(p as Result);
    if (!sample) return setResult({ kind: 'error', message: 'Choose a sample file to preview on.', details: [] });
    const mine = ++asked.current;
    setBusy(true);
    const res = await fetch('/api/imports/profiles/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        profile: p,
        sample: sample.text,
        fileName: sample.name,
        options: facility ? { facility } : {},
      }),
    }).catch(() => null);
    if (mine !== asked.current) return; // a later edit asked again
    setBusy(false);
    if (!res) return setResult({ kind: 'error', message: 'The server could not be reached.', details: [] });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    setResult(res.ok ? { kind: 'preview', answer: body as unknown as Answer } : failure(body, res.status));
  }

  async function save() {
    const p = profile();
    if (p && typeof p === 'object' && 'kind' in p) return setResult(p as Result);
    setBusy(true);
    const res = await fetch('/api/imports/profiles', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(p),
    }).catch(() => null);
    setBusy(false);
    if (!res) return setResult({ kind: 'error', message: 'The server could not be reached.', details: [] });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) return setResult(failure(body, res.status));
    setResult({ kind: 'saved', name: String(body.name), created: res.status === 201 });
    router.refresh();
  }

  // The live preview: a moment after the profile, the sample or the facility changes.
  useEffect(() => {
    if (!sample) return;
    const t = setTimeout(() => void preview(), 700);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, sample, facility]);

  return (
    <div className="space-y-3 text-sm" data-testid="profile-editor">
      <div className="flex flex-wrap items-end gap-3">
        <LabelledSelect
          id="prof-start"
          label="Start from"
          empty="A template"
          options={choices.map((c) => [c.key, c.label] as const)}
          defaultValue={choices[0]?.key ?? ''}
          onChange={(e) => load(e.target.value)}
        />
        <Labelled id="prof-sample" label={sample ? `Sample: ${sample.name}` : 'Sample file (CSV, JSON or NDJSON)'}>
          <input
            id="prof-sample"
            type="file"
            className="mt-0.5 text-sm"
            onChange={(e) => void chooseSample(e.target.files?.[0] ?? null)}
          />
        </Labelled>
        <LabelledInput
          id="prof-facility"
          label="Facility, if the profile maps none"
          width="w-28"
          {...bound(facility, setFacility)}
        />
        <div className="flex gap-2 pb-0.5">
          <button
            type="button"
            onClick={() => void preview()}
            disabled={busy}
            className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60"
          >
            Preview on the sample
          </button>
          <button
            type="button"
            onClick={() => void save()}
            disabled={busy}
            className="rounded-md bg-blue-700 px-3 py-1 text-white hover:bg-blue-800 disabled:opacity-60"
          >
            Save profile
          </button>
        </div>
      </div>
      <Labelled id="prof-json" label="The profile (JSON): name, input, records, timezone, fields">
        <textarea
          id="prof-json"
          rows={14}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          className={`${fieldClass} w-full font-mono text-xs`}
        />
      </Labelled>
      {busy ? <p className="text-xs text-slate-500">Checking…</p> : null}
      {result?.kind === 'error' ? (
        <ErrorAlert message={result.message} details={result.details} max={30} mono testId="profile-error" />
      ) : null}
      {result?.kind === 'saved' ? (
        <p role="status" className="text-green-800" data-testid="profile-saved">
          {result.created ? 'Saved' : 'Replaced'} the profile “{result.name}”. Import with it above (format: mapping
          profile).
        </p>
      ) : null}
      {result?.kind === 'preview' ? <AnswerView answer={result.answer} /> : null}
    </div>
  );
}
