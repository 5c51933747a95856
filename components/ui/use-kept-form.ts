'use client';

import { startTransition, useActionState, useEffect, useRef } from 'react';

/**
 * A server-action form that keeps what was typed. React resets a form after its `action` runs,
 * whatever the answer, so a refused entry came back empty (and a controlled select showed its
 * first option while its state still held the choice). Submitting by hand skips that reset; with
 * `resetOnOk` the form is cleared once the server took it.
 */
export function useKeptForm<S extends { ok?: string }>(
  action: (s: Awaited<S>, f: FormData) => Promise<S>,
  initial: Awaited<S>,
  opts: { resetOnOk?: boolean } = {},
) {
  const [state, formAction, pending] = useActionState<S, FormData>(action, initial);
  const ref = useRef<HTMLFormElement>(null);
  const { resetOnOk = false } = opts;
  useEffect(() => {
    if (resetOnOk && state.ok) ref.current?.reset();
  }, [state, resetOnOk]);
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // With the button that sent it, as a plain submit would (a form with two buttons tells them apart).
    const data = new FormData(e.currentTarget, (e.nativeEvent as SubmitEvent).submitter);
    startTransition(() => formAction(data));
  }
  return { state, pending, form: { ref, onSubmit } };
}
