import { expect, test } from '@playwright/test';
import { launchPersonalCampaign, statCard } from './fixtures/campaigns';
import { hydrated } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// The campaign page charts what was sent, delivered and failed, with latency percentiles and the
// numbers in a table; the delivery log is filtered by status and by user and exported as CSV; the list
// draws each campaign's trend.
test('the campaign page charts its requests and the delivery log is filtered and exported', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    // One user's request is refused (400 is not retried); the others are delivered.
    receiver.statusFor = (body) => (body.includes('lg-bob') ? 400 : 200);
    const id = await launchPersonalCampaign(page, {
      template: 'Log CRM', url: receiver.url, name: 'Log me', event: 'Log Opened',
      identities: ['lg-ann', 'lg-bob', 'lg-cy', 'lg-dee'],
    });
    const card = (label: string) => statCard(page, label);
    await expect(card('Delivered')).toHaveText('3');
    await expect(card('Failed')).toHaveText('1');

    // The chart, its numbers and the latencies.
    const chart = page.getByRole('img', { name: /Sent, delivered and failed per minute/ });
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAccessibleName(/4 sent, 3 delivered, 1 failed/);
    await page.getByText('Show the numbers').click();
    await expect(page.getByRole('table', { name: 'Users per minute' })).toBeVisible();
    const latency = page.getByRole('definition').filter({ hasText: /ms$/ });
    await expect(latency.first()).toBeVisible();
    await expect(page.getByLabel('Latency percentiles')).toContainText('Attempts');

    // Filter by status.
    const pager = page.getByRole('navigation', { name: 'Delivery log pages' });
    await expect(pager).toContainText('Deliveries 1–4 of 4');
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Webhook Dispatch Failed' });
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect(pager).toContainText('Deliveries 1–1 of 1');
    const log = page.locator('table.delivery-log');
    await expect(log).toContainText('HTTP 400 Bad Request');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(pager).toContainText('Deliveries 1–4 of 4');

    // Filter by user: the request that carried lg-cy.
    const cyRequest = receiver.received.find((r) => r.body.includes('lg-cy'))!;
    const cyId = cyRequest.headers['webhook-id'] as string;
    await page.getByLabel('User', { exact: true }).fill('lg-cy');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect(pager).toContainText('Deliveries 1–1 of 1');
    await expect(log).toContainText(cyId);
    await page.screenshot({ path: 'test-results/screens/campaign-chart-and-log.png', fullPage: true });

    // The export follows the filter.
    const exportLink = page.getByRole('link', { name: 'Export CSV' });
    await expect(exportLink).toHaveAttribute('href', `/campaigns/${id}/deliveries.csv?user=lg-cy`);
    const csv = await (await page.request.get(`/campaigns/${id}/deliveries.csv?user=lg-cy`)).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('webhook_id,status');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(cyId);

    // The list's trend.
    await page.goto('/campaigns');
    await hydrated(page);
    await expect(page.getByRole('img', { name: /3 users delivered, 1 failed/ })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/campaign-list-trends.png', fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
