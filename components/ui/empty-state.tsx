import { CardBody } from '@/components/ui/card';

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div
      className="rounded-md border border-dashed border-slate-300 bg-slate-50 px-6 py-10 text-center"
      data-testid="empty-state"
    >
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children ? <div className="mx-auto mt-2 max-w-prose text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

/** An empty state in the body of a card, where its table would be. */
export function CardEmpty({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <CardBody>
      <EmptyState title={title}>{children}</EmptyState>
    </CardBody>
  );
}
