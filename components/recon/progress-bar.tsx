/** A labelled progress bar (0–1), announced to assistive technology. */
export function ProgressBar({
  label,
  value,
  tone = 'info',
}: {
  label: string;
  value: number;
  tone?: 'info' | 'bad' | 'ok';
}) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  const bar = tone === 'bad' ? 'bg-red-600' : tone === 'ok' ? 'bg-green-600' : 'bg-blue-600';
  return (
    <div className="text-xs text-slate-600">
      <div className="mb-0.5 flex justify-between">
        <span>{label}</span>
        <span className="tabular-nums">{pct}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        <div className={`h-full ${bar} transition-[width] duration-300`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
