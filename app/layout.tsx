import type { Metadata } from 'next';
import { connection } from 'next/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Sync Health', template: '%s · Sync Health' },
  description: 'Where your ERP and your WMS disagree, and why.',
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders at request time, the 404 page included: Next puts the nonce of the request's
  // CSP (proxy.ts) on its scripts only while rendering, so a page prerendered at build time would
  // carry none and the browser would refuse its scripts
  // (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md, "Forcing dynamic rendering").
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
