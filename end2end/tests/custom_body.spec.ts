import { expect, test } from '@playwright/test';
import { upload } from './fixtures/ingest';
import { createTemplate, hydrated, newCampaign, nextStep } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// A custom body written with the @ autocomplete, previewed for a chosen user, sent as a test, then
// published: each user's request arrives rendered for them.
test('a custom Liquid body is written with @, previewed for a chosen user, and sent per user', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const receiver = await Receiver.start(200, 'ok');
  try {
    const now = Math.floor(Date.now() / 1000);
    await upload(request, [
      { identity: 'liquid-ana', ts: now - 120, type: 'profile', profileData: { Name: 'Ana', City: 'Porto', Email: 'ana@liquid.example' } },
      { identity: 'liquid-ben', ts: now - 120, type: 'profile', profileData: { Name: 'Ben', City: 'Lisbon', Email: 'ben@liquid.example' } },
      ...['liquid-ana', 'liquid-ben'].map((id) => ({ identity: id, ts: now - 60, type: 'event', evtName: 'Liquid Trial', evtData: {} })),
    ]);
    await createTemplate(page, 'Liquid CRM', receiver.url);

    await newCampaign(page, 'Personal hello', 'Liquid CRM', receiver.url);
    await page.getByLabel('Event', { exact: true }).fill('Liquid Trial');
    await expect(page.getByText('2 users qualify now')).toBeVisible();
    await nextStep(page, 'what');

    // What: a custom JSON body, its variables inserted with @.
    await page.getByLabel('Custom').check();
    await expect(page.getByLabel('JSON')).toBeChecked();
    const editor = page.getByLabel('Body template');
    // A template that does not compile: the error is shown at the field, its line marked.
    await editor.fill('{\n  "vip": {% if Profile.Vip %}true\n}');
    await page.getByRole('button', { name: 'Refresh preview' }).click();
    await expect(page.getByText('Line 3: Unclosed block. {% endif %} tag expected.')).toBeVisible();
    await expect(page.locator('.line-numbers li.error-line')).toHaveText('3');
    await page.screenshot({ path: 'test-results/screens/what-compile-error.png', fullPage: true });
    await editor.fill('{"greeting": "Hi ');
    await editor.pressSequentially('@Na');
    const list = page.getByRole('listbox', { name: 'Variables' });
    await expect(list.getByRole('option', { name: 'Profile.Name' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/what-autocomplete.png', fullPage: true });
    await list.getByRole('option', { name: 'Profile.Name' }).click();
    await expect(editor).toHaveValue('{"greeting": "Hi {{ Profile.Name }}');
    // The keyboard works too: the first match is chosen with Enter.
    await editor.pressSequentially('", "city": @City');
    await expect(list.getByRole('option', { name: 'Profile.City' })).toBeVisible();
    await editor.press('Enter');
    await editor.pressSequentially(', "campaign": "{{ Campaign.name }}"}');
    await expect(editor).toHaveValue('{"greeting": "Hi {{ Profile.Name }}", "city": {{ Profile.City }}, "campaign": "{{ Campaign.name }}"}');

    // The city is not quoted: the preview says the JSON is invalid, the save refuses nothing yet.
    await page.getByRole('button', { name: 'Refresh preview' }).click();
    await expect(page.getByText('Invalid JSON', { exact: true })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Invalid JSON after rendering' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screens/what-invalid-json.png', fullPage: true });
    await editor.fill('{"greeting": "Hi {{ Profile.Name }}", "city": {{ Profile.City | json }}, "campaign": "{{ Campaign.name }}"}');
    await page.getByRole('button', { name: 'Refresh preview' }).click();
    const body = page.getByLabel('Request body');
    await expect(body).toContainText('"greeting": "Hi Ana"');
    await expect(page.getByText('Valid JSON', { exact: true })).toBeVisible();
    await expect(page.getByText(/Rendered for liquid-ana .*one request per user/)).toBeVisible();

    // Preview for a chosen user.
    await page.getByLabel('Find a user').fill('ben@liquid');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect(page.getByText('1 found: choose one under User.')).toBeVisible();
    await page.getByLabel('User', { exact: true }).selectOption({ label: 'liquid-ben (ben@liquid.example)' });
    await expect(body).toContainText('"greeting": "Hi Ben"');
    await expect(body).toContainText('"city": "Lisbon"');
    await page.screenshot({ path: 'test-results/screens/what-custom-preview.png', fullPage: true });

    await page.getByRole('button', { name: 'Send test webhook' }).click();
    await expect(page.getByText(/answered 200/)).toBeVisible();
    const tested = JSON.parse(receiver.received[receiver.received.length - 1].body);
    expect(tested).toEqual({ greeting: 'Hi Ben', city: 'Lisbon', campaign: 'Personal hello' });
    expect(receiver.received[receiver.received.length - 1].headers['content-type']).toBe('application/json');

    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/when$/);
    await hydrated(page);
    await page.getByLabel('Now').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/review$/);
    await hydrated(page);
    const what = page.getByRole('region', { name: 'What' });
    await expect(what).toContainText('Custom');
    await expect(what).toContainText('One per user');
    await page.screenshot({ path: 'test-results/screens/wizard-review-custom.png', fullPage: true });
    const before = receiver.received.length;
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await hydrated(page);
    const delivered = page.locator('.stat-cards div', { hasText: 'Delivered' }).locator('dd');
    await expect(delivered).toHaveText('2');

    const bodies = receiver.received.slice(before).map((r) => JSON.parse(r.body));
    bodies.sort((a, b) => a.greeting.localeCompare(b.greeting));
    expect(bodies).toEqual([
      { greeting: 'Hi Ana', city: 'Porto', campaign: 'Personal hello' },
      { greeting: 'Hi Ben', city: 'Lisbon', campaign: 'Personal hello' },
    ]);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

// Linked content under Settings: created with a test fetch for a user, listed by its template name.
test('linked content is created with a test fetch and listed', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const source = await Receiver.start(200, '{"temp": 21}');
  try {
    const now = Math.floor(Date.now() / 1000);
    await upload(request, [{ identity: 'linked-cy', ts: now, type: 'profile', profileData: { City: 'Faro' } }]);
    await createTemplate(page, 'Linked CRM', source.url);
    await page.goto('/settings');
    await hydrated(page);
    await page.getByRole('link', { name: 'Manage linked content' }).click();
    await expect(page).toHaveURL(/\/settings\/linked$/);
    await hydrated(page);
    await page.getByRole('link', { name: '+ New linked content' }).first().click();
    await hydrated(page);
    await page.getByLabel('Name', { exact: true }).fill('weather now');
    await page.getByLabel('URL', { exact: true }).fill(`${source.url}?city={{ Profile.City | url_encode }}`);
    await page.getByRole('button', { name: 'Save linked content' }).click();
    await expect(page.getByText('Use letters, digits and _ only')).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill('weather');

    await page.getByLabel('Find a user').fill('linked-cy');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByLabel('User', { exact: true }).selectOption({ label: 'linked-cy' });
    await page.getByRole('button', { name: 'Test fetch' }).click();
    await expect(page.getByText(/For linked-cy: GET .*\?city=Faro answered 200/)).toBeVisible();
    await expect(page.getByLabel('Answer')).toContainText('"temp": 21');
    await page.screenshot({ path: 'test-results/screens/linked-form.png', fullPage: true });
    await page.getByRole('button', { name: 'Save linked content' }).click();
    await expect(page).toHaveURL(/\/settings\/linked$/);
    await expect(page.getByRole('row', { name: /Linked\.weather/ })).toContainText('300 s');
    await page.screenshot({ path: 'test-results/screens/linked-list.png', fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    await source.stop();
  }
});
