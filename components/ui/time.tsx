/**
 * A timestamp rendered in UTC on the server (stable, no layout shift) with the exact ISO value in
 * the title; the wall clock of the viewer is one hover away.
 */
export function Time({ iso, withSeconds = false }: { iso: string | null; withSeconds?: boolean }) {
  if (!iso) return <span className="text-slate-500">—</span>;
  const text = iso.slice(0, withSeconds ? 19 : 16).replace('T', ' ');
  return (
    <time dateTime={iso} title={iso} className="tabular-nums whitespace-nowrap">
      {text}
    </time>
  );
}
