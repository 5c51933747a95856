/** What an API's error body says: its message (else the status), and its details as lines. */
export function refusal(body: Record<string, unknown>, status: number): { message: string; details: string[] } {
  const error = (body.error ?? {}) as { message?: string; details?: unknown[] };
  return {
    message: error.message ?? `The server answered ${status}.`,
    details: (error.details ?? []).map((d) => (typeof d === 'string' ? d : JSON.stringify(d))),
  };
}

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
