import { expect, test } from '@playwright/test';
import { launchPersonalCampaign, statCard } from './fixtures/campaigns';
import { hydrated, signedIn, WebhookForm } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// A template's delivery limits are typed on its form (a bad value is explained at its field and keeps
// what was typed), saved, shown again when editing, and the template page tells how its destination is.
test('delivery limits are set on the template form and its destination health is shown', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    await signedIn(page, '/webhooks/new');
    const form = new WebhookForm(page);
    await form.fill({ name: 'Small endpoint', url: receiver.url });
    const perSecond = page.getByLabel('Max requests per second');
    await perSecond.fill('0');
    await form.submit('Create');
    await expect(page.getByText('Enter a whole number from 1 to 100000, or leave it empty for no limit.')).toBeVisible();
    await expect(perSecond).toHaveAttribute('aria-invalid', 'true');
    await expect(perSecond).toHaveValue('0');
    expect(receiver.received).toHaveLength(0);

    await perSecond.fill('5');
    await page.getByLabel('Max requests in flight').fill('2');
    await form.submit('Create');
    await expect(page).toHaveURL(/\/webhooks$/);
    await page.getByRole('row', { name: /Small endpoint/ }).getByRole('link', { name: 'Edit' }).click();
    await hydrated(page);
    await form.expectValues({ 'Max requests per second': '5', 'Max requests in flight': '2' });
    const health = page.getByRole('region', { name: 'Destination health' });
    await expect(health).toContainText('Healthy: requests to');
    await expect(health).toContainText('20 failed attempts in a row');
    await page.screenshot({ path: 'test-results/screens/webhook-limits-and-health.png', fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

// A destination that keeps failing opens its circuit: the campaign page says so, its waiting rows say
// "paused", and closing the circuit by hand lets them go.
test('an open circuit is shown on the campaign page and closed by hand', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    receiver.statusFor = (body) => (body.includes('"is_test":true') ? 200 : 503);
    const identities = Array.from({ length: 24 }, (_, i) => `cb-${i}`);
    await launchPersonalCampaign(page, {
      template: 'Failing CRM', url: receiver.url, name: 'Into the void', event: 'Circuit Opened', identities,
    });
    const notice = page.getByRole('region', { name: 'Destination failing' });
    await expect(notice).toContainText('Paused: destination failing since');
    await expect(page.locator('table.delivery-log')).toContainText('paused: destination failing since');
    await page.screenshot({ path: 'test-results/screens/campaign-circuit-open.png', fullPage: true });
    const failedSoFar = receiver.received.length;

    receiver.statusFor = undefined;
    await notice.getByRole('button', { name: 'Close circuit' }).click();
    await expect(notice).toBeHidden();
    await expect(statCard(page, 'Delivered')).toHaveText('24', { timeout: 30_000 });
    await expect(statCard(page, 'Failed')).toHaveText('0');
    expect(receiver.received.length).toBeGreaterThan(failedSoFar);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
