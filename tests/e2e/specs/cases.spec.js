// The case workspace as an agent uses it: open, edit, find, move through statuses, delete
// and undo; everything survives a reload, and a deep link opens the case.
const { test, expect } = require('@playwright/test');
const { openApp, openCase, storedKeys, saved, escalateByHand } = require('./helpers');

test('an agent opens a case, and it survives a reload and a deep link', async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole('heading', { name: 'No cases yet' })).toBeVisible();
  const ref = await openCase(page, {
    subject: 'Router drops every hour',
    customer: 'Zoë Ångström',
    contact: 'zoe@example.com',
    description: 'Since the firmware update.',
  });
  expect(ref).toMatch(/^ESC-\d{4}-0001$/);
  const link = page.url();
  expect(link).toMatch(/#\/case\/[a-z0-9-]+$/);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: `${ref} · Router drops every hour` })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Zoë Ångström');
  await expect(page.getByRole('region', { name: 'Timeline' }).getByText(`Case ${ref} opened`)).toBeVisible();

  // One key per case plus the index.
  const keys = await storedKeys(page);
  expect(keys).toHaveLength(2);
  expect(keys).toContain('escdesk:index');

  // The deep link in a fresh tab of the same browser.
  const other = await page.context().newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { level: 1, name: `${ref} · Router drops every hour` })).toBeVisible();
});

test('a subject is required, and the form says so', async ({ page }) => {
  await openApp(page, '#/new');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Add a subject' })).toBeVisible();
  await expect(page.getByLabel(/^Subject/)).toBeFocused();
  expect(await storedKeys(page)).toHaveLength(0);
});

test('edits, steps and status moves land on the timeline with a time', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Double charge on invoice' });

  await page.getByLabel('Step taken').fill('Checked the invoice');
  await page.getByLabel('Outcome').fill('Two identical lines');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Contacts so far').fill('3');
  await page.getByLabel('Owner').fill('Sam Rivera');
  await saved(page);

  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('Step recorded: Checked the invoice')).toBeVisible();
  await expect(timeline.getByText('Edited contact count, owner')).toBeVisible();

  // Only sensible moves are offered: a draft can't be closed.
  const status = page.getByRole('region', { name: /^Status/ });
  await expect(status.getByRole('button', { name: 'Close' })).toHaveCount(0);
  // A case is never escalated without a level: from a draft, by triage or by hand.
  await expect(status.getByRole('button', { name: 'Escalate' })).toHaveCount(0);
  await escalateByHand(page);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(timeline.getByText('Status changed from Escalated to Acknowledged')).toBeVisible();
  // Every entry carries its time, machine-readable.
  const times = await timeline.locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
  expect(times.length).toBeGreaterThanOrEqual(5);
  for (const t of times) expect(Date.parse(t)).not.toBeNaN();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Status: Acknowledged' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Checked the invoice' }).first()).toBeVisible();
  expect(ref).toMatch(/^ESC-/);
});

test('search, filters, sort and counts find cases', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'VPN refuses login', customer: 'Åsa Lindqvist', deadline: '2020-01-01T09:00' });
  await openCase(page, { subject: 'Invoice wrong', customer: 'Bob Stone', description: 'Charged for the wrong plan' });
  await escalateByHand(page);
  await openCase(page, { subject: 'Login loop on mobile', customer: 'Chen Wei' });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  const list = page.getByRole('list', { name: 'Cases found' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(page.getByText('3 cases', { exact: true })).toBeVisible();

  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('login');
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText('2 of 3 cases')).toBeVisible();
  await search.fill('ÅSA');
  await expect(list.getByRole('link')).toHaveText([/VPN refuses login/]);
  await search.fill('wrong plan');
  await expect(list.getByRole('link')).toHaveText([/Invoice wrong/]);
  await search.fill('');

  await page.getByLabel('Status').selectOption({ label: 'Escalated (1)' });
  await expect(list.getByRole('link')).toHaveText([/Invoice wrong/]);
  await page.getByLabel('Status').selectOption({ label: 'All (3)' });

  await page.getByRole('checkbox', { name: 'Overdue only (1)' }).check();
  await expect(list.getByRole('link')).toHaveText([/VPN refuses login/]);
  await expect(list.getByText(/Overdue, was due/)).toBeVisible();
  await page.getByRole('checkbox', { name: /Overdue only/ }).uncheck();

  await page.getByLabel('Sort by').selectOption({ label: 'Due soonest' });
  await expect(list.getByRole('link').first()).toHaveText(/VPN refuses login/);
  await page.getByLabel('Sort by').selectOption({ label: 'Newest' });
  await expect(list.getByRole('link')).toHaveText([/Login loop/, /Invoice wrong/, /VPN refuses/]);

  await search.fill('nothing like this');
  await expect(page.getByRole('heading', { name: 'No case matches' })).toBeVisible();
});

// Issue 34.2: accents off both ways, as typed by an agent without those keys.
test('search finds people whatever their accents', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'Refund twice', customer: 'Zoë Müller' });
  await openCase(page, { subject: 'Card declined', customer: 'Łukasz Żółć' });
  await openCase(page, { subject: 'Plan upgrade', customer: 'Mueller GmbH' });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  const list = page.getByRole('list', { name: 'Cases found' });
  const search = page.getByRole('searchbox', { name: 'Search' });
  for (const [typed, found] of [
    ['muller', [/Refund twice/]],
    ['Müller', [/Refund twice/]],
    ['zoe', [/Refund twice/]],
    ['ZOË MULLER', [/Refund twice/]],
    ['lukasz', [/Card declined/]],
    ['zolc', [/Card declined/]],
    ['mueller', [/Plan upgrade/]],
  ]) {
    await search.fill(typed);
    await expect(list.getByRole('link'), typed).toHaveText(found);
  }
});

test('a deleted case can be brought back with undo', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Delete me, then regret it' });
  await page.getByRole('button', { name: 'Delete case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `Case ${ref} deleted` })).toBeVisible();
  expect(await storedKeys(page)).toEqual(['escdesk:index']);

  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('link', { name: new RegExp(`${ref}.*Delete me`) })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: new RegExp(`${ref}.*Delete me`) })).toBeVisible();
});

test('a new case puts the cursor in its first field, but never takes it from a field the agent clicked into', async ({ page }) => {
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  // Straight into the subject, typing as the form appears.
  await page.getByLabel(/^Subject/).pressSequentially('Typed before the form settled', { delay: 15 });
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Typed before the form settled');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');

  // Arriving with nothing clicked, the cursor is in the first field (the form as it was left).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Typed before the form settled');
});

// Issue 34.3: the list remembers its search, status filter and sort while the tab lives:
// open a case, come back by Back or by the Cases link, and the list is as it was left.
test('the case list keeps its search, filter and sort across opening a case', async ({ page }) => {
  await openApp(page);
  await openCase(page, { subject: 'Invoice charged twice' });
  await openCase(page, { subject: 'Invoice missing VAT' });
  await openCase(page, { subject: 'Login loop' });
  const cases = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' });
  await cases.click();
  await page.getByRole('searchbox', { name: 'Search' }).fill('invoice');
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Draft (2)' });
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Due soonest' });
  const found = page.getByRole('list', { name: 'Cases found' }).getByRole('link');
  await expect(found).toHaveCount(2);
  const expectAsLeft = async (how) => {
    await expect(page.getByRole('searchbox', { name: 'Search' }), how).toHaveValue('invoice');
    await expect(page.getByRole('combobox', { name: 'Status' }), how).toHaveValue('draft');
    await expect(page.getByRole('combobox', { name: 'Sort by' }).locator('option:checked'), how).toHaveText('Due soonest');
    await expect(found, how).toHaveCount(2);
  };
  await found.first().click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice/ })).toBeVisible();
  await page.goBack();
  await expectAsLeft('after Back');
  await found.last().click();
  await expect(page.getByRole('heading', { level: 1, name: /Invoice/ })).toBeVisible();
  await cases.click();
  await expectAsLeft('after the Cases link');
});
