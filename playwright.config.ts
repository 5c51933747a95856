import { defineConfig, devices } from '@playwright/test';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_GROUP_ROLES, OIDC_ISSUER, OIDC_NAME } from './e2e/oidc-idp';

const PORT = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './e2e',
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  // A shared 2-core machine renders a loaded page in seconds, not milliseconds.
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e-results.json' }]] : 'list',
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    // A fresh embedded database per run, loaded with demo data at first start.
    command: `rm -rf .data/e2e && node scripts/start.mjs`,
    // E2E_SLOW_CARD: how long a card named in a request's x-e2e-slow-card header waits (e2e/streaming.spec.ts).
    env: {
      PORT: String(PORT),
      PGLITE_DIR: '.data/e2e',
      // 32 bytes or more: a production server refuses a shorter secret (lib/env/secret.ts).
      NEXTAUTH_SECRET: 'e2e-only-Qm3v8Zt1Lr6Kp0Wx4Nc7Hj2Bs5Dg9Fy',
      E2E_SLOW_CARD: '10000',
      // Single sign-on against the real provider e2e/oidc.spec.ts starts (e2e/oidc-idp.ts); the app
      // reads its discovery document only at sign-in, so the provider need not run before the server.
      OIDC_ISSUER,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET,
      OIDC_NAME,
      OIDC_ROLE_CLAIM: 'groups',
      OIDC_GROUP_ROLES,
    },
    url: `${baseURL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
