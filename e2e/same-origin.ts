import type { Fixtures, PlaywrightTestArgs, PlaywrightTestOptions } from '@playwright/test';

/**
 * Playwright's request contexts send no Origin header, and a signed-in change without one is
 * refused as a browser on another site would be (lib/auth/csrf.ts): specs that change things
 * through `page.request` with a session say they come from the app's own origin.
 * Use: `test.use(fromThisSite)`.
 */
export const fromThisSite: Fixtures<object, object, PlaywrightTestArgs & PlaywrightTestOptions> = {
  extraHTTPHeaders: async ({ baseURL }, provide) => provide({ origin: new URL(baseURL!).origin }),
};
