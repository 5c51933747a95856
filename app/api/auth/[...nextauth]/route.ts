import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { otherMethods } from '@/lib/http/methods';

const auth = NextAuth(authOptions());
export { auth as GET, auth as POST };

/** Every other method: a 405 in SPEC 3's error shape, with `Allow` (lib/http/methods.ts). */
export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods({ GET: auth, POST: auth });
