'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { SubmitButton } from '@/components/ui/button';
import { safeCallbackPath } from '@/lib/auth/callback';

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'That email and password do not match an account.',
  NoRole: 'Your account has no Sync Health role yet. Ask an administrator to add you.',
  SessionRequired: 'Sign in to continue.',
  EmailUnverified: 'Your single sign-on account has no verified email address. Verify it with your provider first.',
};

/**
 * What to show for an error code or message: a known code's text, or the sign-in throttle's own
 * message (lib/auth/throttle.ts), matched whole so that `?error=` cannot put other text on the page.
 */
const LOCKED = /^Too many failed sign-ins (for this account|from this address); try again in \d+ minutes?\.$/;
const messageFor = (error: string) =>
  Object.hasOwn(MESSAGES, error) ? MESSAGES[error] : LOCKED.test(error) ? error : 'Sign-in failed. Try again.';

/**
 * Without a `callbackUrl` the form goes back to /login once signed in: the login page knows the
 * user's role by then and sends them on to its landing page (lib/auth/permissions LANDING). The
 * page hands a checked path; it is checked again here, by the same rule, right where the browser
 * navigates, so no other caller can hand this form another origin.
 */
export function LoginForm({
  callbackUrl,
  initialError,
  oidc,
}: {
  callbackUrl: string | null;
  initialError?: string;
  oidc?: string;
}) {
  const next = safeCallbackPath(callbackUrl) ?? '/login';
  const [error, setError] = useState(initialError ? messageFor(initialError) : '');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    const res = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    if (res?.ok && !res.error) {
      window.location.assign(next);
      return;
    }
    setBusy(false);
    setError(messageFor(res?.error ?? ''));
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-blue-600 focus:outline-none"
        />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-blue-600 focus:outline-none"
        />
      </div>
      {error ? (
        <p data-testid="login-error" role="status" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <SubmitButton busy={busy} busyText="Signing in…" className="w-full py-2 text-sm font-semibold">
        Sign in
      </SubmitButton>
      {oidc ? (
        <button
          type="button"
          onClick={() => signIn('oidc', { callbackUrl: next })}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
        >
          Sign in with {oidc}
        </button>
      ) : null}
    </form>
  );
}
