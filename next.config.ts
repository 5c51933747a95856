import type { NextConfig } from 'next';
import { staticSecurityHeaders } from './lib/http/security-headers';

const config: NextConfig = {
  // PGlite bundled by Turbopack fails at run time (a URL passed where a path is expected).
  serverExternalPackages: ['@electric-sql/pglite', 'postgres'],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // nosniff, referrer policy, HSTS over https, and a CSP on what the proxy never sees (the v1 API,
  // static files); pages get their CSP with a nonce from proxy.ts.
  async headers() {
    return staticSecurityHeaders();
  },
};

export default config;
