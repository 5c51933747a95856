'use client';

import { useEffect, useState } from 'react';

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD HH:MM[:SS]" in the viewer's time zone: the same width as the UTC text it replaces. */
function local(iso: string, seconds: boolean) {
  const d = new Date(iso);
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${base}:${pad(d.getSeconds())}` : base;
}

/**
 * A timestamp in the viewer's time zone. The server renders UTC (it does not know the zone); the
 * browser swaps in local time after hydration, with the exact ISO value in the title.
 */
export function Time({ iso, withSeconds = false }: { iso: string | null; withSeconds?: boolean }) {
  const [text, setText] = useState(() => (iso ? iso.slice(0, withSeconds ? 19 : 16).replace('T', ' ') : ''));
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the zone is only known in the browser
    if (iso) setText(local(iso, withSeconds));
  }, [iso, withSeconds]);
  if (!iso) return <span className="text-slate-500">—</span>;
  return (
    <time dateTime={iso} title={iso} className="tabular-nums whitespace-nowrap" suppressHydrationWarning>
      {text}
    </time>
  );
}
