'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ErrorAlert, refusal } from '@/components/imports/error-alert';
import { ProgressBar } from '@/components/recon/progress-bar';
import { bound, fieldClass, Labelled, LabelledInput, LabelledSelect, type FieldOption } from '@/components/ui/field';
import { Table, Td } from '@/components/ui/table';
import { sendWithProgress } from '@/components/ui/upload';
import type { ImportResult } from '@/lib/imports/run';

export const FORMAT_LABELS = [
  ['sap-idoc-status', 'SAP IDoc status (EDIDC + EDIDS)'],
  ['oca-queue-job', 'Odoo queue_job'],
  ['celigo-errors', 'Celigo integrator.io errors'],
  ['profile', 'Anything else, through a mapping profile'],
] as const;
type Format = (typeof FORMAT_LABELS)[number][0];

/** What the import route answers: the runner's result, as JSON. */
export type Answer = ImportResult;
type Outcome = { kind: 'answer'; answer: Answer } | { kind: 'error'; message: string; details: string[] };

const DIRECTION_LABELS = [
  ['erp_to_wms', 'ERP → WMS'],
  ['wms_to_erp', 'WMS → ERP'],
] as const;

/** An option only some formats take: its select is shown, and its value sent, for those formats alone. */
interface FormatOption {
  name: 'direction' | 'profile';
  formats: readonly Format[];
  label: string;
  options: readonly FieldOption[];
  empty?: string;
}

/** The options of the formats that take one: the direction of queue and error exports, the mapping profile. */
const formatOptions = (profiles: string[]): FormatOption[] => [
  {
    name: 'direction',
    formats: ['oca-queue-job', 'celigo-errors'],
    label: 'Direction (required)',
    options: DIRECTION_LABELS,
    empty: 'Choose…',
  },
  {
    name: 'profile',
    formats: ['profile'],
    label: 'Mapping profile',
    options: profiles,
    empty: profiles.length ? undefined : 'No profile saved yet',
  },
];
const PREVIEW_FIELDS = ['messageId', 'txType', 'direction', 'facility', 'status', 'attempts', 'errorCode', 'createdAt'];

/** `name=value` lines (blank lines and `#` comments skipped) as options. */
function moreOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq > 0) out[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The import form of /imports: files and options, a preview (a dry run: mapped and validated,
 * nothing stored) and the import itself, with upload progress and what the server did per row.
 */
export function ImportForm({ facilities, profiles }: { facilities: string[]; profiles: string[] }) {
  const router = useRouter();
  const [format, setFormat] = useState<Format>('sap-idoc-status');
  const [files, setFiles] = useState<File[]>([]);
  const [timezone, setTimezone] = useState('UTC');
  const [facility, setFacility] = useState('');
  const [chosen, setChosen] = useState({ direction: '', profile: profiles[0] ?? '' });
  const [more, setMore] = useState('');
  const [busy, setBusy] = useState<null | 'preview' | 'import'>(null);
  const [progress, setProgress] = useState(0);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const ownOptions = formatOptions(profiles).filter((o) => o.formats.includes(format));

  async function send(dryRun: boolean) {
    if (!files.length) return setOutcome({ kind: 'error', message: 'Choose a file to import.', details: [] });
    const q = new URLSearchParams(moreOptions(more));
    if (timezone.trim()) q.set('timezone', timezone.trim());
    if (facility.trim()) q.set('facility', facility.trim());
    for (const { name } of ownOptions) if (chosen[name]) q.set(name, chosen[name]);
    if (dryRun) q.set('dryRun', 'true');
    const body = new FormData();
    for (const f of files) body.append('file', f, f.name);
    setBusy(dryRun ? 'preview' : 'import');
    setProgress(0);
    setOutcome(null);
    const res = await sendWithProgress(`/api/v1/imports/${format}?${q}`, body, { onProgress: setProgress });
    setBusy(null);
    if (res.status === 200) {
      setOutcome({ kind: 'answer', answer: res.body as unknown as Answer });
      if (!dryRun) router.refresh();
      return;
    }
    const refused = refusal(res.body, res.status);
    if (res.status === 0) refused.message = 'The upload did not reach the server; nothing was stored. Try again.';
    setOutcome({ kind: 'error', ...refused });
  }

  return (
    <div className="space-y-4 text-sm">
      <form
        className="flex flex-wrap items-end gap-3"
        data-testid="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        <LabelledSelect id="imp-format" label="Format" options={FORMAT_LABELS} {...bound(format, setFormat)} />
        <Labelled id="imp-files" label="Files (several for SAP: EDIDC and EDIDS)">
          <input
            id="imp-files"
            type="file"
            multiple
            onChange={(e) => {
              setFiles([...(e.target.files ?? [])]);
              setOutcome(null);
            }}
            className="mt-0.5 text-sm"
          />
        </Labelled>
        <LabelledInput id="imp-tz" label="Time zone of times without one" {...bound(timezone, setTimezone)} />
        <LabelledInput
          id="imp-facility"
          label="Default facility"
          width="w-28"
          suggestions={facilities}
          {...bound(facility, setFacility)}
        />
        {ownOptions.map(({ name, label, options, empty }) => (
          <LabelledSelect
            key={name}
            id={`imp-${name}`}
            label={label}
            empty={empty}
            options={options}
            {...bound(chosen[name], (v) => setChosen((c) => ({ ...c, [name]: v })))}
          />
        ))}
        <Labelled id="imp-more" label="More options, one name=value a line (map.WMMBXY=adjustment, partner.WMS01=DC7)">
          <textarea
            id="imp-more"
            rows={2}
            value={more}
            onChange={(e) => setMore(e.target.value)}
            className={`${fieldClass} w-96 font-mono text-xs`}
          />
        </Labelled>
        <div className="flex gap-2 pb-0.5">
          <button
            type="button"
            disabled={!!busy}
            onClick={() => void send(true)}
            className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-60"
          >
            {busy === 'preview' ? 'Checking…' : 'Preview'}
          </button>
          <button
            type="submit"
            disabled={!!busy}
            className="rounded-md bg-blue-700 px-3 py-1 text-white hover:bg-blue-800 disabled:opacity-60"
          >
            {busy === 'import' ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {busy ? <ProgressBar label={progress < 1 ? 'Uploading' : 'Importing on the server'} value={progress} /> : null}
      {outcome?.kind === 'error' ? (
        <ErrorAlert message={outcome.message} details={outcome.details} max={20} testId="import-error" />
      ) : null}
      {outcome?.kind === 'answer' ? <AnswerView answer={outcome.answer} /> : null}
    </div>
  );
}

export function AnswerView({ answer: a }: { answer: Answer }) {
  return (
    <div className="space-y-3" role="status" data-testid={a.dryRun ? 'import-preview' : 'import-result'}>
      <p>
        {a.dryRun ? (
          <>
            <strong>Preview</strong> (nothing stored): {a.rows} rows read; {a.accepted} records would be stored,{' '}
            {a.rejected.length} rows rejected; {a.warningCount} warnings.
          </>
        ) : (
          <>
            <strong>Import #{a.importId}</strong>: {a.rows} rows read → {a.accepted} accepted, {a.updated} updated,{' '}
            {a.unchanged} unchanged, {a.rejected.length} rejected; {a.warningCount} warnings.{' '}
            <Link className="underline" href={`/messages?import=${a.importId}`}>
              Its messages and rejected rows
            </Link>
          </>
        )}
      </p>
      {a.preview?.length ? (
        <FileRowsTable
          caption="The first mapped records"
          columns={PREVIEW_FIELDS}
          errorsHeading="Errors"
          rows={a.preview}
          testId="preview-row"
          cells={(p) =>
            PREVIEW_FIELDS.map((f) => (
              <Td key={f} className="text-xs">
                {p.record[f] === undefined || p.record[f] === null ? '—' : String(p.record[f])}
              </Td>
            ))
          }
        />
      ) : null}
      {a.rejected.length ? (
        <FileRowsTable
          caption="Rejected rows"
          columns={['Message id']}
          errorsHeading="Why"
          rows={a.rejected.slice(0, 100)}
          testId="rejected-row"
          cells={(r) => <Td className="text-xs">{r.messageId ?? '—'}</Td>}
        />
      ) : null}
      {a.warnings.length ? (
        <ul className="list-disc pl-5 text-xs text-amber-800">
          {a.warnings.slice(0, 20).map((w, i) => (
            <li key={i}>
              {w.file} row {w.row}: {w.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Rows of the files sent: each one's file and row, its `cells`, and its errors under `errorsHeading`. */
function FileRowsTable<T extends { file: string; row: number; errors: string[] }>({
  caption,
  columns,
  errorsHeading,
  rows,
  testId,
  cells,
}: {
  caption: string;
  columns: readonly string[];
  errorsHeading: string;
  rows: T[];
  testId: string;
  cells: (row: T) => React.ReactNode;
}) {
  return (
    <Table caption={caption} columns={['File', 'Row', ...columns, errorsHeading]}>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} data-testid={testId}>
            <Td className="text-xs">{r.file}</Td>
            <Td className="tabular-nums">{r.row}</Td>
            {cells(r)}
            <Td className="text-xs text-red-800">{r.errors.join('; ')}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
