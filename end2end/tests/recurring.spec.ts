import { expect, test } from '@playwright/test';
import { createTemplate, hydrated, nextStep } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `Sunday 2027-01-31 09:00 UTC` for a day of a month (month 1–12). */
function run(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const iso = date.toISOString().slice(0, 10);
  return `${WEEKDAYS[date.getUTCDay()]} ${iso} 09:00 UTC`;
}

/** The last day of a month (1–12). */
function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

// A recurring campaign built in the wizard: the next three runs follow the schedule as it is typed
// (the 31st runs on the last day of shorter months, never before the start date), a bad day is
// refused at its field, and the published campaign shows its next run.
test('a recurring campaign shows its next runs as it is typed', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    await createTemplate(page, 'Digest CRM', receiver.url);
    await page.goto('/campaigns/new/setup');
    await hydrated(page);
    await page.getByLabel('Campaign name').fill('Monthly digest');
    await page.getByLabel('Webhook template').selectOption({ label: `Digest CRM (POST ${receiver.url})` });
    await nextStep(page, 'who');
    await page.getByLabel('Event', { exact: true }).fill('Digest Opened');
    await nextStep(page, 'what');
    await nextStep(page, 'when');

    await page.getByLabel('Recurring').check();
    const nextRuns = page.getByRole('region', { name: 'Next runs' });
    await expect(nextRuns).toContainText('Fill in the schedule to see its next runs.');
    const year = new Date().getUTCFullYear() + 1;
    await page.getByLabel('Repeat').selectOption({ label: 'Every month' });
    await page.getByLabel('Day of the month').fill('32');
    await page.getByLabel('At', { exact: true }).fill('09:00');
    await page.getByLabel('Start date').fill(`${year}-01-15`);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Enter the day of the month, from 1 to 31.')).toBeVisible();

    await page.getByLabel('Day of the month').fill('31');
    await expect(nextRuns.getByRole('listitem')).toHaveText([
      run(year, 1, 31),
      run(year, 2, lastDay(year, 2)),
      run(year, 3, 31),
    ]);
    // Weekly on chosen days: the list follows at once.
    await page.getByLabel('Repeat').selectOption({ label: 'Every week' });
    await page.getByLabel('Monday').check();
    const firstMonday = [15, 16, 17, 18, 19, 20, 21].find((d) => new Date(Date.UTC(year, 0, d)).getUTCDay() === 1)!;
    await expect(nextRuns.getByRole('listitem').first()).toHaveText(run(year, 1, firstMonday));
    await page.getByLabel('Repeat').selectOption({ label: 'Every month' });
    await expect(nextRuns.getByRole('listitem').first()).toHaveText(run(year, 1, 31));
    await page.screenshot({ path: 'test-results/screens/when-recurring.png', fullPage: true });

    await nextStep(page, 'review');
    await expect(page.getByRole('region', { name: 'When' })).toContainText(
      `Recurring: Every month on the 31st (the last day in shorter months) at 09:00, from ${year}-01-15 (UTC)`,
    );
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);
    await expect(page.getByText(`its first run is at ${year}-01-31 09:00 UTC`)).toBeVisible();
    await expect(page.locator('.status').first()).toHaveText('Scheduled');
    const facts = page.getByRole('region', { name: 'Campaign facts' });
    await expect(facts.getByText(`${year}-01-31 09:00 UTC`)).toBeVisible();
    await expect(page.getByRole('region', { name: 'Runs' })).toContainText('No run yet.');
    await page.screenshot({ path: 'test-results/screens/campaign-recurring.png', fullPage: true });

    await page.goto('/campaigns');
    await hydrated(page);
    const row = page.getByRole('row').filter({ hasText: 'Monthly digest' });
    await expect(row).toContainText(`Recurring, next ${year}-01-31 09:00 UTC`);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
