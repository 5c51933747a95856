import type { ReactNode } from 'react';

/**
 * A form's primary submit button: disabled while the form is being sent, and saying so
 * (`busyText`). `className` adds the size and width of the place it stands in.
 */
export function SubmitButton({
  busy,
  busyText,
  className = '',
  children,
}: {
  busy: boolean;
  busyText: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="submit"
      disabled={busy}
      className={`rounded-md bg-blue-700 px-3 text-white hover:bg-blue-800 disabled:opacity-60 ${className}`}
    >
      {busy ? busyText : children}
    </button>
  );
}
