import { expect, test } from '@playwright/test';
import { upload } from './fixtures/ingest';
import { createTemplate, hydrated, newCampaign, nextStep } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// The whole path a marketer takes: events ingested, a template, every wizard step, publish now, the
// receiver gets the payload and the statistics count it as delivered.
test('a campaign built through the wizard is delivered and counted', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    const now = Math.floor(Date.now() / 1000);
    await upload(request, [
      ...['ana', 'ben', 'cleo'].map((id) => ({ identity: id, ts: now - 60, type: 'event', evtName: 'Trial Started', evtData: { plan: 'pro' } })),
      { identity: 'dan', ts: now - 60, type: 'event', evtName: 'App Opened', evtData: {} },
      { identity: 'ana', ts: now, type: 'profile', profileData: { Email: 'ana@example.com', Plan: 'pro' } },
    ]);

    await createTemplate(page, 'Trial CRM', receiver.url);

    await page.goto('/campaigns');
    await hydrated(page);
    // Each page is loaded lazily: the list stays on screen until the next page's code arrives, so wait
    // for each page before clicking (its nav also has a "Webhooks" link).
    await page.getByRole('link', { name: '+ Campaign' }).first().click();
    await expect(page.getByRole('heading', { name: 'Choose a channel', level: 1 })).toBeVisible();
    await page.getByRole('main').getByRole('link', { name: 'Webhooks' }).click();
    await expect(page).toHaveURL(/\/campaigns\/new\/setup$/);
    await expect(page.getByRole('heading', { name: 'New campaign', level: 1 })).toBeVisible();

    // Setup
    await page.getByLabel('Campaign name').fill('Trial nudge');
    await page.getByLabel('Webhook template').selectOption({ label: `Trial CRM (POST ${receiver.url})` });
    await page.screenshot({ path: 'test-results/screens/wizard-setup.png', fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+\/who$/);
    await hydrated(page);

    // Who: the event, and the live reach estimate.
    await page.getByLabel('Event', { exact: true }).fill('Trial Started');
    await expect(page.getByText('3 users qualify now')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/wizard-who.png', fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/what$/);
    await hydrated(page);

    // What: a query parameter, a key_value, the preview and a test webhook.
    await page.getByRole('button', { name: 'Add query parameter' }).click();
    await page.getByLabel('Query parameter 1 name').fill('source');
    await page.getByLabel('Query parameter 1 value').fill('hookline');
    await page.getByRole('button', { name: 'Add key-value' }).click();
    await page.getByLabel('Key-value 1 name').fill('coupon');
    await page.getByLabel('Key-value 1 value').fill('TRIAL20');
    await page.getByRole('button', { name: 'Refresh preview' }).click();
    await expect(page.getByText('"coupon": "TRIAL20"')).toBeVisible();
    await expect(page.getByText(`${receiver.url}?source=hookline`).first()).toBeVisible();
    await page.getByRole('button', { name: 'Send test webhook' }).click();
    await expect(page.getByText(/answered 200/)).toBeVisible();
    const test = JSON.parse(receiver.received[receiver.received.length - 1].body);
    expect(test.is_test).toBe(true);
    await page.screenshot({ path: 'test-results/screens/wizard-what.png', fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/when$/);
    await hydrated(page);

    // When: now.
    await page.getByLabel('Now').check();
    await page.screenshot({ path: 'test-results/screens/wizard-when.png', fullPage: true });
    // The Overview fetches the report's code while the draft is read: publishing fetches none.
    const reportCode = page.waitForRequest(/\/pkg\/split___campaign_route_view_\d+\.wasm$/, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/review$/);
    await hydrated(page);
    await reportCode;

    // Overview: every choice in words, then publish.
    await expect(page.getByRole('region', { name: 'Setup' })).toContainText('Trial CRM');
    await expect(page.getByRole('region', { name: 'Who' })).toContainText('Users who did “Trial Started”');
    const what = page.getByRole('region', { name: 'What' });
    await expect(what).toContainText('source=hookline');
    await expect(what).toContainText('coupon=TRIAL20');
    await expect(page.getByRole('region', { name: 'When' })).toContainText('Now, as soon as it is published');
    await page.screenshot({ path: 'test-results/screens/wizard-review.png', fullPage: true });
    await page.waitForLoadState('networkidle');
    const codeFetchedByPublishing: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('.wasm')) codeFetchedByPublishing.push(r.url());
    });
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);
    await expect(page.getByText('Webhook campaign ·')).toBeVisible();
    expect(codeFetchedByPublishing).toEqual([]);

    const delivered = page.locator('.stat-cards div', { hasText: 'Delivered' }).locator('dd');
    await expect(delivered).toHaveText('3');
    await expect(page.getByText('Webhook campaign · Completed')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/campaign-report.png', fullPage: true });

    const sent = receiver.received.map((r) => ({ url: r.url, body: JSON.parse(r.body) })).filter((r) => r.body.is_test === false);
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('/hook?source=hookline');
    expect(sent[0].body.key_values).toEqual({ coupon: 'TRIAL20' });
    expect(sent[0].body.profiles.map((p: { Identity: string }) => p.Identity).sort()).toEqual(['ana', 'ben', 'cleo']);
    expect(sent[0].body.profiles.find((p: { Identity: string }) => p.Identity === 'ana').Email).toBe('ana@example.com');

    await page.goto('/campaigns');
    const row = page.getByRole('row', { name: /Trial nudge/ });
    await expect(row).toContainText('Completed');
    await page.screenshot({ path: 'test-results/screens/campaigns-list.png', fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

// A campaign sent later: a time that has passed is refused at its field (what was typed stays), a
// future one schedules the campaign, which shows when it will run and can be stopped before it does.
test('a campaign sent later is scheduled for its time and can be stopped before it runs', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    const now = Math.floor(Date.now() / 1000);
    await upload(request, [{ identity: 'eve', ts: now - 60, type: 'event', evtName: 'Cart Abandoned', evtData: {} }]);

    await createTemplate(page, 'Later CRM', receiver.url);

    await newCampaign(page, 'Weekend reminder', 'Later CRM', receiver.url);
    await page.getByLabel('Event', { exact: true }).fill('Cart Abandoned');
    await expect(page.getByText('1 user qualifies now')).toBeVisible();
    await nextStep(page, 'what');
    await nextStep(page, 'when');

    // The project time zone is UTC (the default).
    const local = (d: Date) => d.toISOString().slice(0, 16);
    const past = local(new Date(Date.now() - 3_600_000));
    await page.getByLabel('Later').check();
    await page.getByLabel('Send at').fill(past);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/This time has passed in the project time zone/)).toBeVisible();
    await expect(page.getByLabel('Send at')).toHaveValue(past);
    await expect(page).toHaveURL(/\/when$/);

    const at = new Date(Date.now() + 2 * 86_400_000);
    at.setUTCSeconds(0, 0);
    await page.getByLabel('Send at').fill(local(at));
    await page.screenshot({ path: 'test-results/screens/wizard-when-later.png', fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/review$/);
    await hydrated(page);
    await expect(page.getByRole('region', { name: 'When' })).toContainText(`Later: ${local(at).replace('T', ' ')} (UTC)`);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);

    await expect(page.getByText('Webhook campaign · Scheduled')).toBeVisible();
    const facts = page.getByRole('region', { name: 'Campaign facts' });
    await expect(facts).toContainText(local(at).replace('T', ' '));
    await page.screenshot({ path: 'test-results/screens/campaign-scheduled.png', fullPage: true });
    await page.getByRole('button', { name: 'Stop campaign' }).click();
    await page.getByRole('group', { name: 'Confirm stop' }).getByRole('button', { name: 'Yes, stop' }).click();
    await expect(page.getByText('Webhook campaign · Stopped')).toBeVisible();

    const sent = receiver.received.filter((r) => JSON.parse(r.body).is_test === false);
    expect(sent).toHaveLength(0);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

// A control group: its share shown as it is typed, held out when the campaign runs, counted apart.
test('a control group is held out and counted on the campaign page', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    const now = Math.floor(Date.now() / 1000);
    await upload(request, ['c1', 'c2', 'c3', 'c4'].map((id) => ({ identity: id, ts: now - 60, type: 'event', evtName: 'Control Trial', evtData: {} })));
    await createTemplate(page, 'Control CRM', receiver.url);
    await page.goto('/campaigns/new/setup');
    await hydrated(page);
    await page.getByLabel('Campaign name').fill('Held out');
    await page.getByLabel('Webhook template').selectOption({ label: `Control CRM (POST ${receiver.url})` });
    // A goal event brings its conversion window.
    await page.getByLabel('Goal event (optional)').fill('Charged');
    await expect(page.getByLabel('Conversion window')).toHaveValue('1');
    await page.getByLabel('Unit').selectOption('hours');
    await nextStep(page, 'who');
    await page.getByLabel('Event', { exact: true }).fill('Control Trial');
    await page.getByLabel('Control group (%)').fill('95');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText('Enter a whole percentage from 0 to 90.')).toBeVisible();
    await page.getByLabel('Control group (%)').fill('50');
    await expect(page.getByText('2 of them held out as the control group (50 %), sent nothing; 2 sent to.')).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/who-control-group.png', fullPage: true });
    await nextStep(page, 'what');
    await nextStep(page, 'when');
    await nextStep(page, 'review');
    await expect(page.getByRole('region', { name: 'Who' })).toContainText('50 % of the targeted users');
    await expect(page.getByRole('region', { name: 'Setup' })).toContainText('Charged, within 1 hours after the send');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);
    const card = (label: string) =>
      page.locator('.stat-cards div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd');
    await expect(card('Delivered')).toHaveText('2');
    await expect(card('Control')).toHaveText('2');
    const sent = receiver.received.map((r) => JSON.parse(r.body)).filter((b) => b.is_test === false);
    expect(sent.flatMap((b) => b.profiles)).toHaveLength(2);

    // Everyone does the goal event within the window: both groups convert fully.
    const conversions = page.getByRole('region', { name: /Conversions: Charged within 1 hours/ });
    await expect(conversions).toContainText('0.0 % of the users sent to converted (0 of 2)');
    const later = Math.floor(Date.now() / 1000) + 1;
    await upload(request, ['c1', 'c2', 'c3', 'c4'].map((id) => ({ identity: id, ts: later, type: 'event', evtName: 'Charged', evtData: {} })));
    await page.reload();
    await hydrated(page);
    await expect(conversions).toContainText(
      '100.0 % of the users sent to converted (2 of 2), against 100.0 % of the control group (2 of 2): +0.0 points.',
    );
    await page.screenshot({ path: 'test-results/screens/campaign-conversions.png', fullPage: true });

    // Duplicate: a new draft with the same choices, opened on Setup.
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+\/setup$/);
    await hydrated(page);
    await expect(page.getByLabel('Campaign name')).toHaveValue('Copy of Held out');
    await nextStep(page, 'who');
    await expect(page.getByLabel('Control group (%)')).toHaveValue('50');
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});
