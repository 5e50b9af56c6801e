import { expect, test } from '@playwright/test';
import { upload } from './fixtures/ingest';
import { createTemplate, hydrated, nextStep } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// A live campaign built in the wizard (Specific event, a trigger with a filter, a frequency cap) sends
// as soon as a matching event is uploaded, with the event in the request; it can be paused and resumed,
// and the campaign list shows its deliveries as they happen.
test('a live campaign sends when a user does the trigger event', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    await createTemplate(page, 'Live CRM', receiver.url);
    await page.goto('/campaigns/new/setup');
    await hydrated(page);
    await page.getByLabel('Campaign name').fill('Cart reminder');
    await page.getByLabel('Webhook template').selectOption({ label: `Live CRM (POST ${receiver.url})` });
    await page.getByLabel('Specific event').check();
    await nextStep(page, 'who');

    // Who: everyone who does the trigger, unless a segment is asked for.
    await expect(page.getByLabel('Only users in a segment when they do it')).not.toBeChecked();
    await expect(page.getByLabel('Kind of segment')).toBeHidden();
    await nextStep(page, 'what');
    await nextStep(page, 'when');

    // When: the trigger with a filter, and a frequency cap. A missing event is refused at its field.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Choose the event.')).toBeVisible();
    await page.getByLabel('Trigger event').fill('Live Cart');
    await page.getByRole('button', { name: 'Add a filter on “Trigger event”' }).click();
    await page.getByLabel('Event property').fill('amount');
    await page.getByLabel('Condition').selectOption({ label: 'is greater than' });
    await page.getByLabel('Value', { exact: true }).fill('100');
    await page.getByLabel('Limit how often a user is sent this campaign').check();
    await page.getByLabel('At most (requests)').fill('1');
    await page.screenshot({ path: 'test-results/screens/when-live.png', fullPage: true });
    await nextStep(page, 'review');
    await expect(page.getByText('When a user does “Live Cart” with amount is greater than “100”; at most 1 request per day (any 24 hours)')).toBeVisible();
    await expect(page.getByText('Everyone who does the trigger event')).toBeVisible();
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);
    await expect(page.locator('.status').first()).toHaveText('Running');

    // Events: a matching one (twice: the cap lets one through) and one under the filter's amount.
    const now = Math.floor(Date.now() / 1000);
    await upload(request, [
      { identity: 'live-ana', ts: now, type: 'event', evtName: 'Live Cart', evtData: { amount: 250, sku: 'B-12' } },
      { identity: 'live-ana', ts: now, type: 'event', evtName: 'Live Cart', evtData: { amount: 300 } },
      { identity: 'live-ben', ts: now, type: 'event', evtName: 'Live Cart', evtData: { amount: 20 } },
    ]);
    const card = (label: string) =>
      page.locator('.stat-cards div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
    await expect(card('Delivered')).toHaveText('1', { timeout: 15_000 });
    const sent = receiver.received.filter((r) => !JSON.parse(r.body).is_test);
    expect(sent).toHaveLength(1);
    const profile = JSON.parse(sent[0].body).profiles;
    expect(profile.Identity).toBe('live-ana');
    expect(profile.Event_name).toBe('Live Cart');
    expect(profile.Event_properties).toEqual({ amount: 250, sku: 'B-12' });
    await page.screenshot({ path: 'test-results/screens/campaign-live.png', fullPage: true });

    // Pause and resume.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.locator('.status').first()).toHaveText('Paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('.status').first()).toHaveText('Running');

    // The campaign list refreshes itself while a campaign runs: a new delivery shows without a reload.
    await page.goto('/campaigns');
    await hydrated(page);
    const delivered = page.getByRole('row', { name: /Cart reminder/ }).getByRole('cell').nth(5);
    await expect(delivered).toHaveText('1');
    await upload(request, [
      { identity: 'live-cleo', ts: Math.floor(Date.now() / 1000), type: 'event', evtName: 'Live Cart', evtData: { amount: 500 } },
    ]);
    await expect(delivered).toHaveText('2', { timeout: 15_000 });
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
