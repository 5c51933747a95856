'use client';
import { useMemo, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import Papa from 'papaparse';
import { ProgressBar } from '@/components/recon/progress-bar';
import { sendWithProgress } from '@/components/ui/upload';
import { bound, fieldClass, Labelled, LabelledInput, LabelledSelect } from '@/components/ui/field';

const FIELDS = [
  { key: 'sku', label: 'SKU', required: true },
  { key: 'location', label: 'Location', required: false },
  { key: 'lot', label: 'Lot', required: false },
  { key: 'uom', label: 'Unit of measure', required: false },
  { key: 'quantity', label: 'Quantity', required: true },
] as const;
type Field = (typeof FIELDS)[number]['key'];
const SYSTEMS = [
  ['erp', 'ERP'],
  ['wms', 'WMS'],
] as const;

interface RowError {
  index: number;
  line?: string;
  errors: string[];
}
interface Warning {
  row: number;
  message: string;
}
type Outcome =
  | {
      kind: 'stored';
      rows: number;
      id: number;
      system: string;
      facility: string;
      unchanged: boolean;
      warnings: Warning[];
      warningCount: number;
    }
  | { kind: 'rejected'; message: string; details: (RowError | string)[]; rejectedCount?: number; quarantine?: string }
  | { kind: 'error'; message: string };

const SYNONYMS: Record<Field, string[]> = {
  sku: ['sku', 'item', 'item no', 'item_no', 'itemno', 'material', 'article'],
  location: ['location', 'loc', 'bin', 'storage bin'],
  lot: ['lot', 'batch', 'lot no', 'lot_no'],
  uom: ['uom', 'unit', 'unit of measure'],
  quantity: ['quantity', 'qty', 'on hand', 'onhand', 'on_hand'],
};

function guess(header: string[]): Record<Field, string> {
  const out = {} as Record<Field, string>;
  for (const f of FIELDS) out[f.key] = header.find((h) => SYNONYMS[f.key].includes(h.trim().toLowerCase())) ?? '';
  return out;
}

const localNow = () => {
  const d = new Date();
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * CSV snapshot upload: the file's first rows are read in the browser to map its columns, then the
 * file itself is sent to the snapshot API (upload progress shown), which checks every row and
 * stores all of them or none. Rejected rows are listed and can be downloaded.
 */
export function SnapshotUpload({
  facilities,
  defaultFacility,
}: {
  facilities: string[];
  defaultFacility: string | null;
}) {
  const router = useRouter();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [header, setHeader] = useState<string[]>([]);
  const [preview, setPreview] = useState<string[][]>([]);
  const [mapping, setMapping] = useState<Record<Field, string>>({
    sku: '',
    location: '',
    lot: '',
    uom: '',
    quantity: '',
  });
  const [system, setSystem] = useState<'erp' | 'wms'>('erp');
  const [facility, setFacility] = useState(defaultFacility ?? facilities[0] ?? '');
  const [takenAt, setTakenAt] = useState(localNow);
  const [defaultUom, setDefaultUom] = useState('');
  const [decimal, setDecimal] = useState<'.' | ','>('.');
  const [progress, setProgress] = useState<number | null>(null);
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'storing'>('idle');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [readError, setReadError] = useState<string | null>(null);

  function choose(f: File | null) {
    setFile(f);
    setOutcome(null);
    setReadError(null);
    setHeader([]);
    setPreview([]);
    if (!f) return;
    Papa.parse<string[]>(f, {
      preview: 6,
      skipEmptyLines: 'greedy',
      complete: (res) => {
        const [h, ...rest] = res.data;
        if (!h?.length) return setReadError('The file has no header row.');
        const cols = h.map((c) => c.replace(/^\uFEFF/, '').trim());
        setHeader(cols);
        setPreview(rest);
        setMapping(guess(cols));
      },
      error: (e) => setReadError(`The file could not be read: ${e.message}`),
    });
  }

  const missing = FIELDS.filter((f) => f.required && !mapping[f.key]).map((f) => f.label);
  const errorsCsv = useMemo(() => {
    if (outcome?.kind !== 'rejected') return null;
    const list = outcome.details.map((d) =>
      typeof d === 'string'
        ? { row: '', errors: d }
        : { row: d.line ?? `record ${d.index}`, errors: d.errors.join('; ') },
    );
    return URL.createObjectURL(new Blob([Papa.unparse(list)], { type: 'text/csv' }));
  }, [outcome]);

  async function upload(e: React.FormEvent) {
    e.preventDefault();
    if (!file || missing.length || !facility.trim()) return;
    const q = new URLSearchParams({ system, facility: facility.trim(), takenAt: new Date(takenAt).toISOString() });
    for (const f of FIELDS) if (mapping[f.key]) q.set(`col.${f.key}`, mapping[f.key]);
    if (defaultUom.trim()) q.set('default.uom', defaultUom.trim());
    if (decimal !== '.') q.set('decimal', decimal);
    setOutcome(null);
    setProgress(0);
    setPhase('uploading');
    const res = await sendWithProgress(`/api/v1/snapshots?${q}`, file, {
      contentType: 'text/csv',
      onProgress: setProgress,
      onSent: () => setPhase('storing'),
    });
    setPhase('idle');
    const body = res.body as {
      error?: { message?: string; details?: (RowError | string)[]; rejectedCount?: number; quarantine?: string };
    } & Record<string, unknown>;
    if (res.status === 0) {
      setOutcome({ kind: 'error', message: 'The upload did not reach the server; nothing was stored. Try again.' });
    } else if (res.status === 201 || res.status === 200) {
      const { rows, id, system, facility, warnings, warningCount } = body;
      // 200: this very snapshot was stored already (same rows); nothing was written.
      const unchanged = res.status === 200;
      const stored = {
        rows: Number(rows),
        id: Number(id),
        system: String(system),
        facility: String(facility),
        warnings: Array.isArray(warnings) ? (warnings as Warning[]) : [],
        warningCount: Number(warningCount ?? 0),
      };
      setOutcome({ kind: 'stored', ...stored, unchanged });
      if (fileRef.current) fileRef.current.value = '';
      setFile(null);
      setHeader([]);
      setPreview([]);
      router.refresh();
    } else if (res.status === 422 || res.status === 400) {
      setOutcome({
        kind: 'rejected',
        message: body.error?.message ?? 'The file was rejected.',
        details: body.error?.details ?? [],
        rejectedCount: body.error?.rejectedCount,
        quarantine: body.error?.quarantine,
      });
    } else {
      setOutcome({ kind: 'error', message: body.error?.message ?? `The server answered ${res.status}.` });
    }
  }

  return (
    <form onSubmit={upload} className="space-y-3 text-sm" data-testid="snapshot-upload">
      <div className="flex flex-wrap items-end gap-3">
        <Labelled id="up-file" label="CSV file (UTF-8, header row)">
          <input
            id="up-file"
            ref={fileRef}
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
            className="mt-0.5 text-sm"
          />
        </Labelled>
        <LabelledSelect id="up-system" label="System" {...bound(system, setSystem)} options={SYSTEMS} />
        <LabelledInput
          id="up-facility"
          label="Facility"
          suggestions={facilities}
          {...bound(facility, setFacility)}
          required
          width="w-28"
        />
        <LabelledInput
          id="up-taken"
          label="Taken at (your time)"
          type="datetime-local"
          {...bound(takenAt, setTakenAt)}
          required
        />
        <LabelledInput
          id="up-default-uom"
          label="Default UOM (rows without one)"
          {...bound(defaultUom, setDefaultUom)}
          placeholder="ERP base UOM"
          maxLength={20}
          width="w-32"
        />
        <LabelledSelect
          id="up-decimal"
          label="Decimal separator"
          {...bound(decimal, setDecimal)}
          options={[
            ['.', 'point (1.5)'],
            [',', 'comma (1,5)'],
          ]}
        />
      </div>
      {readError ? (
        <p className="text-sm text-red-800" role="status">
          {readError}
        </p>
      ) : null}
      {header.length ? (
        <div className="space-y-2 rounded border border-slate-200 bg-slate-50 p-3">
          <p className="text-xs font-semibold text-slate-700">Map the columns of {file?.name}</p>
          <div className="flex flex-wrap gap-3">
            {FIELDS.map((f) => (
              <Labelled key={f.key} id={`up-col-${f.key}`} label={`${f.label}${f.required ? ' *' : ''}`}>
                <select
                  id={`up-col-${f.key}`}
                  value={mapping[f.key]}
                  onChange={(e) => setMapping({ ...mapping, [f.key]: e.target.value })}
                  className={fieldClass}
                >
                  <option value="">
                    {f.required ? 'Choose a column…' : f.key === 'uom' ? '(none: default UOM)' : '(none: empty)'}
                  </option>
                  {header.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </Labelled>
            ))}
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-xs" data-testid="upload-preview">
              <caption className="py-1 text-left text-slate-500">First rows as they will be read</caption>
              <thead>
                <tr>
                  {FIELDS.map((f) => (
                    <th key={f.key} scope="col" className="px-2 py-1 font-semibold text-slate-600">
                      {f.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.map((r, i) => (
                  <tr key={i} className="border-t border-slate-200">
                    {FIELDS.map((f) => (
                      <td key={f.key} className="px-2 py-1 font-mono">
                        {mapping[f.key]
                          ? (r[header.indexOf(mapping[f.key])] ?? '')
                          : f.key === 'uom'
                            ? defaultUom.trim() || 'ERP base UOM'
                            : '—'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {missing.length ? <p className="text-xs text-amber-800">Map {missing.join(', ')} to upload.</p> : null}
        </div>
      ) : null}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={!file || !!missing.length || !header.length || phase !== 'idle'}
          className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white disabled:cursor-not-allowed disabled:opacity-50"
        >
          Upload snapshot
        </button>
        {phase !== 'idle' && progress !== null ? (
          <div className="w-72">
            <ProgressBar label={phase === 'uploading' ? 'Uploading' : 'Checking and storing rows…'} value={progress} />
          </div>
        ) : null}
      </div>
      {outcome?.kind === 'stored' ? (
        <div role="status" data-testid="upload-result" className="space-y-1 text-sm">
          <p className="text-green-800">
            {outcome.unchanged ? 'Already stored, unchanged:' : 'Stored'} {outcome.system.toUpperCase()} snapshot{' '}
            {outcome.id} of {outcome.facility}: {outcome.rows.toLocaleString()} rows.
          </p>
          {outcome.warningCount ? (
            <div
              className="rounded border border-amber-200 bg-amber-50 p-2 text-amber-900"
              data-testid="upload-warnings"
            >
              <p>
                {outcome.warningCount.toLocaleString()} {outcome.warningCount === 1 ? 'warning' : 'warnings'}: stored as
                sent.
              </p>
              <ul className="max-h-48 list-disc overflow-auto pl-5 text-xs">
                {outcome.warnings.slice(0, 50).map((w, i) => (
                  <li key={i}>
                    row {w.row}: {w.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
      {outcome?.kind === 'error' ? (
        <p className="text-sm text-red-800" role="status" data-testid="upload-result">
          {outcome.message}
        </p>
      ) : null}
      {outcome?.kind === 'rejected' ? (
        <div
          className="space-y-2 rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900"
          role="status"
          data-testid="upload-result"
        >
          <p>{outcome.message}</p>
          <ul className="max-h-48 list-disc overflow-auto pl-5 text-xs">
            {outcome.details.slice(0, 50).map((d, i) => (
              <li key={i}>{typeof d === 'string' ? d : `${d.line ?? `record ${d.index}`}: ${d.errors.join('; ')}`}</li>
            ))}
          </ul>
          {errorsCsv ? (
            <a
              href={errorsCsv}
              download="snapshot-errors.csv"
              className="inline-block rounded border border-red-300 bg-white px-2 py-1 text-xs hover:bg-red-100"
            >
              Download the errors as CSV
            </a>
          ) : null}
          {outcome.quarantine ? (
            <p className="text-xs">The rejected rows are kept in the quarantine as “{outcome.quarantine}”.</p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
