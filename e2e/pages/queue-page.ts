import { expect, type Page } from '@playwright/test';

export class QueuePage {
  constructor(private readonly page: Page) {}

  rows() {
    return this.page.getByTestId('exception-row');
  }

  async select(n: number) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const box = this.rows().nth(i).getByRole('checkbox');
      await box.check();
      ids.push((await box.getAttribute('value'))!);
    }
    return ids;
  }

  async apply(
    action: 'Acknowledge' | 'Assign' | 'Resolve' | 'Ignore',
    fields: { owner?: string; rootCause?: string; effort?: string; note?: string } = {},
  ) {
    await this.page.getByLabel('With selected').selectOption({ label: action });
    if (fields.owner !== undefined) await this.page.getByLabel('Owner (user or role)').fill(fields.owner);
    if (fields.rootCause !== undefined)
      await this.page.getByLabel('Root cause (required)').selectOption(fields.rootCause);
    if (fields.effort !== undefined) await this.page.getByLabel('Effort (minutes)').fill(fields.effort);
    if (fields.note !== undefined) await this.page.getByLabel('Note').fill(fields.note);
    await this.page.getByRole('button', { name: 'Apply to selected' }).click();
  }

  async expectResult(text: RegExp | string) {
    await expect(this.page.getByTestId('bulk-result')).toContainText(text);
  }
}
