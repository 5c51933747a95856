import type { NextConfig } from 'next';

const config: NextConfig = {
  // PGlite bundled by Turbopack fails at run time (a URL passed where a path is expected).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
};

export default config;
