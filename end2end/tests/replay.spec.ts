import { expect, test } from '@playwright/test';
import { launchPersonalCampaign, statCard } from './fixtures/campaigns';
import { Receiver } from './fixtures/receiver';

// Failed deliveries are replayed from the delivery log — one from its row, one selected, then all the
// rest — each after a confirmation, under their original webhook-id, and the counts follow.
test('failed deliveries are replayed from the delivery log', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    // The destination refuses campaign requests (400 is not retried): each user's fails at once.
    receiver.statusFor = (body) => (body.includes('"is_test":true') ? 200 : 400);
    await launchPersonalCampaign(page, {
      template: 'Replay CRM', url: receiver.url, name: 'Replay me', event: 'Replay Opened',
      identities: ['rp-ann', 'rp-ben', 'rp-cy'],
    });
    const card = (label: string) => statCard(page, label);
    await expect(card('Failed')).toHaveText('3');
    const failedIds = receiver.received.filter((r) => !JSON.parse(r.body).is_test).map((r) => r.headers['webhook-id']);
    expect(failedIds).toHaveLength(3);
    receiver.statusFor = undefined;

    // One, from its row.
    await page.getByRole('button', { name: /^Replay msg_/ }).first().click();
    await expect(page.getByRole('group', { name: 'Confirm replay' })).toContainText('Replay this failed delivery?');
    await page.getByRole('button', { name: 'Yes, replay' }).click();
    await expect(page.getByText('Replayed 1 failed delivery')).toBeVisible();
    await expect(card('Delivered')).toHaveText('1');
    await expect(card('Failed')).toHaveText('2');

    // One selected.
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.screenshot({ path: 'test-results/screens/delivery-log-replay.png', fullPage: true });
    await page.getByRole('button', { name: 'Yes, replay' }).click();
    await expect(card('Delivered')).toHaveText('2');

    // All the rest.
    await page.getByRole('button', { name: 'Replay all failed' }).click();
    await expect(page.getByRole('group', { name: 'Confirm replay' })).toContainText('Replay every failed delivery');
    await page.getByRole('button', { name: 'Yes, replay' }).click();
    await expect(card('Delivered')).toHaveText('3');
    await expect(card('Failed')).toHaveText('0');
    await expect(page.getByRole('button', { name: 'Replay all failed' })).toBeHidden();
    const delivered = receiver.received.filter((r) => !JSON.parse(r.body).is_test).slice(3).map((r) => r.headers['webhook-id']);
    expect(delivered.sort()).toEqual([...failedIds].sort());
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
