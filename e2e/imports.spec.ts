import http from 'node:http';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiWithKey, cliApiKey } from './api-client';
import { storageStateFor } from './roles';

/**
 * SPEC 10 as an IT user meets it: an EDIDC + EDIDS pair uploaded on /imports, previewed, imported;
 * the failed IDoc in the exception queue with its SAP error code; a later EDIDS file that reports it
 * posted resolves the exception by retry. The IDoc numbers are unique to the run.
 */
const RUN = String(Date.now() % 1e9).padStart(9, '0');
const FAILED = `0000000${RUN}1`;
const POSTED = `0000000${RUN}2`;

const EDIDC = [
  'MANDT\tDOCNUM\tSTATUS\tDIRECT\tMESTYP\tSNDPRN\tRCVPRN\tCREDAT\tCRETIM\tUPDDAT\tUPDTIM',
  `100\t${FAILED}\t51\t2\tWMMBXY\tWMSE2E\tS4PCLNT100\t20261120\t091500\t20261120\t091503`,
  `100\t${POSTED}\t53\t2\tSHPCON\tWMSE2E\tS4PCLNT100\t20261120\t101000\t20261120\t101005`,
].join('\n');
const STATUS_HEADER = 'MANDT\tDOCNUM\tLOGDAT\tLOGTIM\tCOUNTR\tSTATUS\tSTAMID\tSTAMNO\tSTATXT\tSTAPA1\tSTAPA2';
const EDIDS = [
  STATUS_HEADER,
  `100\t${FAILED}\t20261120\t091500\t1\t50\t\t\tIDoc added\t\t`,
  `100\t${FAILED}\t20261120\t091503\t2\t51\tZWM\t114\tQuantity &1 exceeds stock in bin &2\t40\tA-01-02`,
  `100\t${POSTED}\t20261120\t101000\t1\t50\t\t\tIDoc added\t\t`,
  `100\t${POSTED}\t20261120\t101005\t2\t53\t\t\tApplication document posted\t\t`,
].join('\n');
/** The next day: the failed IDoc reprocessed (BD87) and posted. */
const EDIDS_LATER = [
  STATUS_HEADER,
  `100\t${FAILED}\t20261121\t070000\t3\t53\t\t\tApplication document posted\t\t`,
].join('\n');

const file = (name: string, text: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

async function fillForm(page: Page, files: ReturnType<typeof file>[]) {
  await page.goto('/imports');
  await page.locator('#imp-format').selectOption('sap-idoc-status');
  await page.locator('#imp-files').setInputFiles(files);
  await page.locator('#imp-tz').fill('Europe/Berlin');
  await page.locator('#imp-more').fill('partner.WMSE2E=DC1');
}

test.describe('as IT', () => {
  test.use({ storageState: storageStateFor('it') });

  test('imports an EDIDC + EDIDS pair, finds the failed IDoc in the queue, and a later EDIDS file resolves it', async ({
    page,
  }) => {
    await fillForm(page, [file('EDIDC.txt', EDIDC), file('EDIDS.txt', EDIDS)]);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByTestId('import-card').getByTestId('import-preview');
    await expect(preview).toContainText('nothing stored');
    await expect(preview).toContainText('6 rows read; 2 records would be stored, 0 rows rejected');
    const failedRow = preview.getByTestId('preview-row').filter({ hasText: FAILED });
    await expect(failedRow).toContainText('adjustment');
    await expect(failedRow).toContainText('failed');
    await expect(failedRow).toContainText('ZWM/114');
    await page.screenshot({ path: 'test-results/screens/imports-preview.png', fullPage: true });

    // Nothing was stored by the preview.
    await page.goto(`/exceptions?q=${FAILED}&state=all`);
    await expect(page.getByTestId('exception-row')).toHaveCount(0);

    await fillForm(page, [file('EDIDC.txt', EDIDC), file('EDIDS.txt', EDIDS)]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByTestId('import-card').getByTestId('import-result');
    await expect(result).toContainText('6 rows read → 2 accepted, 0 updated, 0 unchanged, 0 rejected');
    // Its row in the history (other specs, the fuzz among them, may have imported since).
    await expect(page.getByTestId('import-row').filter({ hasText: 'EDIDC.txt, EDIDS.txt' }).first()).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/imports-result.png', fullPage: true });

    await page.goto(`/exceptions?q=${FAILED}`);
    const exception = page.getByTestId('exception-row');
    await expect(exception).toHaveCount(1);
    await expect(exception).toContainText('ZWM/114');

    await fillForm(page, [file('EDIDS-0002.txt', EDIDS_LATER)]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-card').getByTestId('import-result')).toContainText(
      '1 rows read → 0 accepted, 1 updated',
    );

    await page.goto(`/exceptions?q=${FAILED}`);
    await expect(page.getByTestId('exception-row')).toHaveCount(0);
    await page.goto(`/exceptions?q=${FAILED}&state=resolved`);
    await expect(page.getByTestId('exception-row')).toHaveCount(1);
    await page.goto(`/messages?q=${FAILED}`);
    await expect(page.getByRole('region', { name: 'Messages' })).toContainText('delivered');
  });

  test('a file that cannot be read is refused whole, and a rejected row is kept and shown', async ({ page }) => {
    await fillForm(page, [file('garbage.bin', '\u0000\u0001PK\u0003\u0004')]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('import-error')).toContainText('garbage.bin: this is not a text file');

    const orphan = `0000000${RUN}9`;
    await fillForm(page, [
      file('EDIDS-orphan.txt', [STATUS_HEADER, `100\t${orphan}\t20261120\t091500\t1\t51`].join('\n')),
    ]);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const result = page.getByTestId('import-card').getByTestId('import-result');
    await expect(result.getByTestId('rejected-row')).toContainText('no control record');
    await result.getByRole('link', { name: 'Its messages and rejected rows' }).click();
    const quarantine = page.getByTestId('quarantine-card');
    await expect(quarantine.getByTestId('quarantine-row')).toContainText('EDIDS-orphan.txt row 1');
    await expect(quarantine.getByTestId('quarantine-row')).toContainText(orphan);
  });

  test('writes a mapping profile against a sample, sees it mapped live, and saves it', async ({ page }) => {
    await page.goto('/imports');
    const editor = page.getByTestId('profile-editor');
    await editor.locator('#prof-start').selectOption('ready:boomi-executions');
    await expect(editor.getByTestId('preview-row').first()).toBeVisible();
    const name = `boomi-e2e-${RUN}`;
    const json = await editor.locator('#prof-json').inputValue();
    await editor
      .locator('#prof-json')
      .fill(json.replace(/"name":\s*"[^"]+"/, `"name": "${name}"`).replace('"input": "csv"', '"input": "xml"'));
    await expect(editor.getByTestId('profile-error')).toContainText('input: must be csv, json or ndjson');
    await editor.locator('#prof-json').fill(json.replace(/"name":\s*"[^"]+"/, `"name": "${name}"`));
    await expect(editor.getByTestId('preview-row').first()).toBeVisible();
    await editor.getByRole('button', { name: 'Save profile' }).click();
    await expect(editor.getByTestId('profile-saved')).toContainText(name);
    await expect(page.getByTestId('saved-profile').filter({ hasText: name })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/imports-profile.png', fullPage: true });
  });
});

test.describe('over HTTP with an API key', () => {
  let key = '';
  test.beforeAll(() => {
    key = cliApiKey(`imports-e2e-${RUN}`);
  });

  test('a multipart pair, a raw body, and per-row answers; what cannot be read is a 4xx', async ({
    playwright,
    baseURL,
  }) => {
    const api = await apiWithKey(playwright, baseURL, key);
    const docs = (n: number) => `1${RUN}${n}`;
    const edidc = EDIDC.replaceAll(FAILED, docs(1)).replaceAll(POSTED, docs(2));
    const edids = EDIDS.replaceAll(FAILED, docs(1)).replaceAll(POSTED, docs(2));
    // The files in either order, told apart by their header.
    const pair = await api.post('/api/v1/imports/sap-idoc-status?partner.WMSE2E=DC1', {
      multipart: {
        a: { name: 'status.txt', mimeType: 'text/plain', buffer: Buffer.from(edids) },
        b: { name: 'control.txt', mimeType: 'text/plain', buffer: Buffer.from(edidc) },
      },
    });
    expect(pair.status()).toBe(200);
    const body = await pair.json();
    expect(body).toMatchObject({ format: 'sap-idoc-status', rows: 6, accepted: 2, rejected: [], warnings: [] });
    expect(body.importId).toEqual(expect.any(Number));

    // One file as the body; an unknown MESTYP is that row's error, naming the option.
    const odd = `100\t${docs(3)}\t53\t2\tZZFOO\tWMSE2E\tS4PCLNT100\t20261120\t091500\t20261120\t091503`;
    const raw = await api.post('/api/v1/imports/sap-idoc-status?partner.WMSE2E=DC1&filename=EDIDC-odd.txt', {
      headers: { 'content-type': 'text/tab-separated-values' },
      data: [EDIDC.split('\n')[0], odd].join('\n'),
    });
    expect(raw.status()).toBe(200);
    const rejected = (await raw.json()).rejected;
    expect(rejected).toEqual([
      expect.objectContaining({ file: 'EDIDC-odd.txt', row: 1, index: 1, messageId: docs(3) }),
    ]);
    expect(rejected[0].errors.join()).toMatch(/ZZFOO.*map\.ZZFOO=<txType>/);

    const refusals: [string, Parameters<APIRequestContext['post']>[1], number, RegExp][] = [
      ['/api/v1/imports/sap-idoc-status', { data: '' }, 400, /empty/],
      ['/api/v1/imports/sap-idoc-status', { data: 'MANDT\tFOO\tBAR\n1\t2\t3\n' }, 400, /EDIDC|EDIDS/],
      ['/api/v1/imports/sap-idoc-status', { data: Buffer.from([0, 159, 146, 150, 0, 1]) }, 400, /not a text file/],
      ['/api/v1/imports/oca-queue-job?facility=DC1', { data: 'uuid,state\n1,done\n' }, 400, /direction/],
      ['/api/v1/imports/teleport', { data: 'x' }, 404, /no import format "teleport"/],
      ['/api/v1/imports/sap-idoc-status?timezone=Moon/Base', { data: 'x' }, 400, /timezone/],
    ];
    for (const [url, opts, status, message] of refusals) {
      const res = await api.post(url, opts);
      expect(res.status(), url).toBe(status);
      expect((await res.json()).error.message, url).toMatch(message);
    }
    await api.dispose();
  });

  test('a body larger than the limit is a 413 before it is read', async ({ baseURL }) => {
    // Declared larger than IMPORT_MAX_BYTES (1 GiB by default): refused at once, without sending the body.
    const url = new URL('/api/v1/imports/sap-idoc-status', baseURL);
    const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-length': String(2 * 1024 ** 3) },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('DOCNUM\tSTATUS\n');
      setTimeout(() => req.destroy(), 10_000);
    });
    expect(status.code).toBe(413);
    expect(JSON.parse(status.body).error.message).toMatch(/IMPORT_MAX_BYTES/);
  });
});
