/** A refused import or profile: the message, and the first `max` details as a list. */
export function ErrorAlert({
  message,
  details,
  max,
  mono = false,
  testId,
}: {
  message: string;
  details: string[];
  max: number;
  /** Details in a fixed-width font (paths into a JSON document). */
  mono?: boolean;
  testId: string;
}) {
  return (
    <div role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-red-900" data-testid={testId}>
      <p className="font-medium">{message}</p>
      {details.length ? (
        <ul className={`mt-1 list-disc pl-5 ${mono ? 'font-mono ' : ''}text-xs`}>
          {details.slice(0, max).map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
