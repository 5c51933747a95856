import { Badge } from '@/components/ui/badge';

/** A message's status as a badge, with its error code beside it when it has one. */
export function MessageStatus({
  status,
  errorCode,
  children,
}: {
  status: string;
  errorCode?: string | null;
  children?: React.ReactNode;
}) {
  const tone = status === 'delivered' ? 'ok' : status === 'failed' || status === 'dead_letter' ? 'bad' : 'warn';
  return (
    <>
      <Badge tone={tone}>{status}</Badge>
      {children}
      {errorCode ? <span className="ml-1 font-mono text-xs text-red-700">{errorCode}</span> : null}
    </>
  );
}
