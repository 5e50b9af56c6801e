import { expect, test, type Page, type Locator } from '@playwright/test';
import { upload } from './fixtures/ingest';
import { createTemplate, hydrated, signedIn, WebhookForm } from './fixtures/pages';
import { Receiver } from './fixtures/receiver';

// Users of these tests (event names unique to this file):
//   seg-1 launched 4 days ago and viewed a notification; seg-2 launched an hour ago;
//   seg-3 added to cart 3 hours ago and never bought; seg-4 launched, and bought 3 days ago (the
//   purchase date an event property), lives in Canada.
const DAY = 86_400;
const ISO_DAY = (secondsAgo: number) => new Date((Date.now() / 1000 - secondsAgo) * 1000).toISOString().slice(0, 10);

async function seed(request: Parameters<typeof upload>[0]) {
  const now = Math.floor(Date.now() / 1000);
  await upload(request, [
    { identity: 'seg-1', ts: now - 4 * DAY, type: 'event', evtName: 'Seg Launched', evtData: {} },
    { identity: 'seg-1', ts: now - 60, type: 'event', evtName: 'Seg Viewed', evtData: {} },
    { identity: 'seg-2', ts: now - 3600, type: 'event', evtName: 'Seg Launched', evtData: {} },
    { identity: 'seg-3', ts: now - 3 * 3600, type: 'event', evtName: 'Seg Carted', evtData: { amount: 30 } },
    { identity: 'seg-4', ts: now - 3600, type: 'event', evtName: 'Seg Launched', evtData: {} },
    { identity: 'seg-4', ts: now - 3 * DAY, type: 'event', evtName: 'Seg Purchased', evtData: { 'Purchase Date': ISO_DAY(3 * DAY) } },
    { identity: 'seg-4', ts: now, type: 'profile', profileData: { Country: 'Canada' } },
  ]);
}

const rule = (page: Page, n: number): Locator => page.getByRole('group', { name: new RegExp(`^Rule ${n}:`) });

type Kind = { kind: string; build: (page: Page) => Promise<void>; sentence: string; reach: string };

// One segment of each of the six kinds, as a marketer builds it, with the sentence and reach it gives.
const KINDS: Kind[] = [
  {
    kind: 'Single action',
    build: async (page) => {
      await rule(page, 1).getByLabel('Event', { exact: true }).fill('Seg Launched');
    },
    sentence: 'Users who did “Seg Launched”',
    reach: '3 users qualify now',
  },
  {
    kind: 'Actions',
    build: async (page) => {
      await rule(page, 1).getByLabel('Event', { exact: true }).fill('Seg Launched');
      await rule(page, 2).getByLabel('Event', { exact: true }).fill('Seg Viewed');
    },
    sentence: 'Users who did “Seg Launched” and did “Seg Viewed”',
    reach: '1 user qualifies now',
  },
  {
    kind: 'Inaction within time',
    build: async (page) => {
      const r = rule(page, 1);
      await r.getByLabel('First event', { exact: true }).fill('Seg Carted');
      await r.getByLabel('Then did not do', { exact: true }).fill('Seg Purchased');
      await r.getByLabel('Within', { exact: true }).fill('2');
      await r.getByLabel('Unit').selectOption({ label: 'hours' });
    },
    sentence: 'Users who did “Seg Carted” and did not do “Seg Purchased” within 2 hours after it',
    reach: '1 user qualifies now',
  },
  {
    kind: 'Inaction',
    build: async (page) => {
      await rule(page, 1).getByLabel('Event', { exact: true }).fill('Seg Launched');
      await rule(page, 2).getByLabel('Event not done', { exact: true }).fill('Seg Viewed');
    },
    sentence: 'Users who did “Seg Launched” and did not do “Seg Viewed”',
    reach: '2 users qualify now',
  },
  {
    kind: 'Date time property',
    build: async (page) => {
      const r = rule(page, 1);
      await r.getByLabel('Date property').fill('Purchase Date');
      await r.getByLabel('Of the event').fill('Seg Purchased');
      await r.getByLabel('Days', { exact: true }).fill('3');
    },
    sentence: 'Users who are 3 days past the “Purchase Date” of their “Seg Purchased” event',
    reach: '1 user qualifies now',
  },
  {
    kind: 'Actions with user properties',
    build: async (page) => {
      await rule(page, 1).getByLabel('Event', { exact: true }).fill('Seg Launched');
      const r = rule(page, 2);
      await r.getByLabel('User property').fill('Country');
      await r.getByLabel('Condition').selectOption({ label: 'is one of' });
      await r.getByLabel('Values').fill('canada, France');
    },
    sentence: 'Users who did “Seg Launched” and have Country is one of “canada”, “France”',
    reach: '1 user qualifies now',
  },
];

async function buildKind(page: Page, k: Kind) {
  await page.getByLabel(k.kind, { exact: true }).check();
  await k.build(page);
  await expect(page.getByText(`In words: ${k.sentence}`, { exact: true })).toBeVisible();
  await expect(page.getByText(k.reach)).toBeVisible();
}

test('each kind of segment is built in the wizard with its sentence and reach, and one is published', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await seed(request);
  const receiver = await Receiver.start(200, 'ok');
  try {
    await createTemplate(page, 'Segments CRM', receiver.url);
    await page.goto('/campaigns/new/setup');
    await hydrated(page);
    await page.getByLabel('Campaign name').fill('Canadian buyers');
    await page.getByLabel('Webhook template').selectOption({ label: `Segments CRM (POST ${receiver.url})` });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+\/who$/);
    await hydrated(page);

    for (const k of KINDS) {
      await buildKind(page, k);
      await page.screenshot({ path: `test-results/screens/who-${k.kind.toLowerCase().replace(/ /g, '-')}.png`, fullPage: true });
    }

    // Bad input is shown at its field, and nothing typed is lost.
    const property = rule(page, 2);
    await property.getByLabel('Values').fill(' , ');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(property.getByText('Enter at least one value.')).toBeVisible();
    await expect(rule(page, 1).getByLabel('Event', { exact: true })).toHaveValue('Seg Launched');
    await property.getByLabel('Values').fill('Canada');

    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/what$/);
    await hydrated(page);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/when$/);
    await hydrated(page);
    await page.getByLabel('Now').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/review$/);
    await hydrated(page);
    await expect(page.getByRole('region', { name: 'Who' })).toContainText(
      'Users who did “Seg Launched” and have Country is one of “Canada”',
    );
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect(page).toHaveURL(/\/campaigns\/\d+$/);
    await expect.poll(() => receiver.received.filter((r) => !JSON.parse(r.body).is_test).length, { timeout: 15_000 }).toBe(1);
    const sent = JSON.parse(receiver.received.filter((r) => !JSON.parse(r.body).is_test)[0].body);
    expect(sent.profiles.map((p: { Identity: string }) => p.Identity)).toEqual(['seg-4']);
    expect(errors).toEqual([]);
  } finally {
    await receiver.stop();
  }
});

test('segments of each kind are saved, listed in words, reopened and deleted', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await seed(request);
  await signedIn(page, '/segments');
  for (const k of KINDS) {
    await page.goto('/segments/new');
    await hydrated(page);
    await page.getByLabel('Name', { exact: true }).fill(`Seg ${k.kind}`);
    await buildKind(page, k);
    await page.getByRole('button', { name: 'Save segment' }).click();
    await expect(page).toHaveURL(/\/segments$/);
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: `Seg ${k.kind}`, exact: true }) });
    await expect(row).toContainText(k.sentence);
  }
  await page.screenshot({ path: 'test-results/screens/segments-list.png', fullPage: true });

  // Reopened, the builder shows the kind and the fields as saved.
  await page.getByRole('link', { name: 'Seg Inaction within time', exact: true }).click();
  await expect(page).toHaveURL(/\/segments\/\d+$/);
  await hydrated(page);
  await expect(page.getByLabel('Inaction within time', { exact: true })).toBeChecked();
  await expect(rule(page, 1).getByLabel('First event', { exact: true })).toHaveValue('Seg Carted');
  await expect(rule(page, 1).getByLabel('Within', { exact: true })).toHaveValue('2');
  await expect(page.getByText('1 user qualifies now')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/segment-edit.png', fullPage: true });

  // A name already used is refused at the field; the rules typed stay.
  await page.getByLabel('Name', { exact: true }).fill('seg actions');
  await page.getByRole('button', { name: 'Save segment' }).click();
  await expect(page.getByText('Another saved segment has this name.')).toBeVisible();
  await expect(rule(page, 1).getByLabel('First event', { exact: true })).toHaveValue('Seg Carted');

  // A saved segment picked in the wizard: its words and reach, and the Overview shows it.
  const receiver = await Receiver.start(200, 'ok');
  try {
    await page.goto('/webhooks/new');
    await hydrated(page);
    const template = new WebhookForm(page);
    await template.fill({ name: 'Saved segments CRM', url: receiver.url });
    await template.submit('Create');
    await expect(page).toHaveURL(/\/webhooks$/);
    await page.goto('/campaigns/new/setup');
    await hydrated(page);
    await page.getByLabel('Campaign name').fill('On a saved segment');
    await page.getByLabel('Webhook template').selectOption({ label: `Saved segments CRM (POST ${receiver.url})` });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/who$/);
    await hydrated(page);
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Saved: Seg Inaction' });
    await expect(page.getByText('In words: Users who did “Seg Launched” and did not do “Seg Viewed”', { exact: true })).toBeVisible();
    await expect(page.getByText('2 users qualify now')).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/\/what$/);
  } finally {
    await receiver.stop();
  }

  await page.goto('/segments');
  await hydrated(page);
  await expect(page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Seg Inaction', exact: true }) })).toContainText('On a saved segment');
  await page.getByRole('button', { name: 'Delete Seg Inaction within time' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('link', { name: 'Seg Inaction within time', exact: true })).toHaveCount(0);
  expect(errors).toEqual([]);
});
