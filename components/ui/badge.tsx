const TONES = {
  neutral: 'bg-slate-100 text-slate-700 ring-slate-200',
  ok: 'bg-green-50 text-green-800 ring-green-200',
  warn: 'bg-amber-50 text-amber-800 ring-amber-200',
  bad: 'bg-red-50 text-red-800 ring-red-200',
  info: 'bg-blue-50 text-blue-800 ring-blue-200',
} as const;

export type Tone = keyof typeof TONES;

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: React.ReactNode }) {
  return (
    <span
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

/** The system a record came from: the ERP in blue, the WMS in grey. */
export function SystemBadge({ system }: { system: string }) {
  return <Badge tone={system === 'erp' ? 'info' : 'neutral'}>{system.toUpperCase()}</Badge>;
}
