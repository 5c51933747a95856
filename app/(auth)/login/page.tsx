import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/login-form';
import { ROLES } from '@/db/schema';
import { DEMO_PASSWORD, demoEmail, demoMode } from '@/lib/bootstrap';
import { oidcEnabled } from '@/lib/auth/options';
import { env } from '@/lib/env';
import { safeCallbackPath } from '@/lib/auth/callback';
import { LANDING } from '@/lib/auth/permissions';
import { currentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

/**
 * The page a user asked for, or null for their role's landing page. Only same-origin paths
 * (`safeCallbackPath`, which the form and next-auth's redirect callback use too): never bounce a
 * user to another origin after sign-in. The bare root counts as no request: it is where everybody
 * who opens the app's address is sent from, and a user who opens the app starts at their daily
 * work (the overview stays one click away).
 */
function requestedPage(raw: string | undefined): string | null {
  const path = safeCallbackPath(raw);
  if (!path || path === '/') return null;
  // Back to the login page itself would send a signed-in user round in circles.
  return /^\/login(?:[?#]|$)/.test(path) ? null : path;
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = requestedPage(params.callbackUrl);
  const user = await currentUser();
  if (user) redirect(callbackUrl ?? LANDING[user.role]);
  const demo = demoMode();
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-100 px-4">
      <div className="w-full max-w-md">
        <div className="mb-6 text-center">
          <p className="text-2xl font-bold tracking-tight text-slate-900">Sync Health</p>
          <p className="mt-1 text-sm text-slate-600">Where your ERP and your WMS disagree, and why.</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
          <LoginForm
            callbackUrl={callbackUrl}
            initialError={params.error}
            oidc={oidcEnabled() ? env().OIDC_NAME : undefined}
          />
        </div>
        {demo ? (
          <div
            className="mt-4 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900"
            data-testid="demo-credentials"
          >
            <p className="font-semibold">
              Demo mode: one account per role, password <code className="rounded bg-white px-1">{DEMO_PASSWORD}</code>
            </p>
            <ul className="mt-2 grid grid-cols-1 gap-1 sm:grid-cols-2">
              {ROLES.map((r) => (
                <li key={r}>
                  <code className="text-xs">{demoEmail(r)}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </main>
  );
}
