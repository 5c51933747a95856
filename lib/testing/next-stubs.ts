/**
 * Next's request-time modules stood in for, for tests of server actions and route handlers:
 * `stub.role` is the signed-in person's role (null: signed out), forbidden() and redirect() throw
 * errors naming themselves, and revalidated paths are kept. In a test file:
 *   vi.mock('next-auth', () => import('@/lib/testing/next-stubs').then((m) => m.nextAuth));
 * and the same for 'next/navigation', 'next/headers' and 'next/cache'.
 */
export const stub = { role: null as string | null, revalidated: [] as string[], pathname: '/admin' };

export const nextAuth = {
  getServerSession: async () =>
    stub.role ? { user: { email: `${stub.role}@example.com`, name: stub.role, role: stub.role } } : null,
};

export const navigation = {
  forbidden: () => {
    throw new Error('NEXT_FORBIDDEN');
  },
  redirect: (to: string) => {
    throw new Error(`NEXT_REDIRECT ${to}`);
  },
};

export const nextHeaders = { headers: async () => new Headers({ 'x-pathname': stub.pathname }) };

export const nextCache = { revalidatePath: (path: string) => void stub.revalidated.push(path) };
