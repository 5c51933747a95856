'use client';

import { useSyncExternalStore } from 'react';
import { signOut } from 'next-auth/react';

const noSubscription = () => () => {};

/**
 * Signing out is next-auth's client call, so the button is disabled until the page is hydrated:
 * a click on the server-rendered button before that would do nothing, silently.
 */
export function SignOutButton() {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return (
    <button
      type="button"
      disabled={!hydrated}
      onClick={() => signOut({ callbackUrl: '/login' })}
      className="rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-700 hover:text-white disabled:opacity-60"
    >
      Sign out
    </button>
  );
}
