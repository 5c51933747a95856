/** A row's Remove button: a form posting the row's key to a server action. */
export function RemoveButton({ action, values, label }: { action: (f: FormData) => Promise<void>; values: Record<string, string | number>; label: string }) {
  return (
    <form action={action}>
      {Object.entries(values).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <button className="text-sm text-red-700 underline" aria-label={label}>Remove</button>
    </form>
  );
}
