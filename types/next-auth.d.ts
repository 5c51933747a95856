import type { Role } from '@/db/schema';

declare module 'next-auth' {
  interface Session {
    user?: { name?: string | null; email?: string | null; image?: string | null; role?: Role };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: Role;
    /** When the session began (ms since the epoch). */
    signedInAt?: number;
  }
}
