export async function register() {
  // Node-only work behind the runtime check (the Edge runtime cannot load the database). Read from
  // process.env, not lib/env: Next.js replaces this exact expression at build time, which drops the
  // import below from the Edge bundle.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServerSide } = await import('./instrumentation-node');
    await startServerSide();
  }
}
