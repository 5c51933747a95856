/** A line under a filter bar saying why what the address asked for was not shown (a bad window or period). */
export function BarNotice({ text, testId }: { text: string | undefined; testId: string }) {
  if (!text) return null;
  return (
    <p role="status" className="basis-full text-xs font-medium text-amber-800" data-testid={testId}>
      {text}
    </p>
  );
}
