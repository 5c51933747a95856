export async function register() {
  // Node-only work behind the runtime check (the Edge runtime cannot load the database).
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startServerSide } = await import('./instrumentation-node');
    await startServerSide();
  }
}
