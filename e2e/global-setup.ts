import { chromium, type FullConfig } from '@playwright/test';
import fs from 'node:fs';
import { DEMO_PASSWORD, ROLES, demoEmail, storageStateFor } from './roles';
import { LoginPage } from './pages/login-page';

/** Signs in once per role through the real login page and saves each session for the tests. */
export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  fs.mkdirSync('e2e/.auth', { recursive: true });
  const browser = await chromium.launch(launchOptions);
  try {
    for (const role of ROLES) {
      const page = await browser.newPage({ baseURL });
      const login = new LoginPage(page);
      await login.goto();
      await login.signIn(demoEmail(role), DEMO_PASSWORD);
      await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
      await page.context().storageState({ path: storageStateFor(role) });
      await page.close();
    }
  } finally {
    await browser.close();
  }
}
