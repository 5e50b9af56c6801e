import { expect, test, type Page } from '@playwright/test';
import { upload } from './fixtures/ingest';
import { createTemplate, hydrated } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

/** A dashboard API call from the signed-in page (same origin, with its session). */
async function api(page: Page, endpoint: string, body: object): Promise<any> {
  return page.evaluate(
    async ([endpoint, body]) => {
      const response = await fetch(`/api/${endpoint}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return response.json();
    },
    [endpoint, body] as const,
  );
}

// Failed deliveries are replayed from the delivery log — one from its row, one selected, then all the
// rest — each after a confirmation, under their original webhook-id, and the counts follow.
test('failed deliveries are replayed from the delivery log', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    await createTemplate(page, 'Replay CRM', receiver.url);
    const templates = await api(page, 'webhooks/list', {});
    const template = templates.find((t: any) => t.name === 'Replay CRM').id;
    const now = Math.floor(Date.now() / 1000);
    await upload(request, ['rp-ann', 'rp-ben', 'rp-cy'].map((identity) => (
      { identity, ts: now - 60, type: 'event', evtName: 'Replay Opened', evtData: {} }
    )));
    // The destination refuses (400 is not retried): each user's request fails at once.
    receiver.status = 400;
    const created = await api(page, 'campaigns/create', { draft: {
      name: 'Replay me', template_id: template,
      who: { segment: { event: 'Replay Opened' } },
      what: { format: 'custom', content_type: 'json', template: '{"user": {{ Profile.Identity | json }}}' },
      when: { type: 'now' },
    } });
    await api(page, 'campaigns/publish', { id: created.id });
    await page.goto(`/campaigns/${created.id}`);
    await hydrated(page);
    const card = (label: string) =>
      page.locator('.stat-cards div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
    await expect(card('Failed')).toHaveText('3');
    const failedIds = receiver.received.filter((r) => !JSON.parse(r.body).is_test).map((r) => r.headers['webhook-id']);
    expect(failedIds).toHaveLength(3);
    receiver.status = 200;

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
