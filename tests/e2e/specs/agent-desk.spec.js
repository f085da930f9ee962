// The agent's side, fast and clear: shortcuts that never fire while typing, the next action
// at the top of a case, triggers suggested by the case's own facts, a case escalated without a
// level shown as needing one, and a page that is never blank while the app loads.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, downloadAll } = require('./helpers');

test('shortcuts: ? lists them, c opens a case, n does the next step, none fires while typing', async ({ page }) => {
  await openApp(page);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Do the next step of the open case');
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toBeHidden();

  await page.keyboard.press('c');
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  // Typing in a field types: "c", "q" and "n" stay letters.
  await page.getByLabel(/^Subject/).pressSequentially('cqn ?/');
  await expect(page.getByLabel(/^Subject/)).toHaveValue('cqn ?/');
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  await page.getByLabel(/^Subject/).fill('Shortcut to the next step');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Shortcut to the next step/ })).toBeVisible();

  // The next step of a draft is its triage, at the top of the case, within 3 Tabs of landing.
  await page.locator('#main').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Start triage' })).toBeFocused();
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('n');
  await expect(page.getByRole('region', { name: 'Trigger checklist' })).toBeVisible();
  await page.keyboard.press('q');
  await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  // Escape leaves the field; the keys are shortcuts again.
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Search')).not.toBeFocused();
  await page.keyboard.press('c');
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
});

test("the case's facts suggest triggers, and the result names every tick", async ({ page }) => {
  await openApp(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Dana Whitfield');
  await page.getByLabel('VIP or high-value account').check();
  await page.getByLabel(/^Subject/).fill('Third call about a double charge');
  await page.getByLabel('Contacts so far').fill('3');
  await page.getByRole('button', { name: 'Open case' }).click();
  await page.getByRole('link', { name: 'Start triage' }).click();
  const checklist = page.getByRole('region', { name: 'Trigger checklist' });
  await expect(checklist.getByRole('checkbox', { name: 'Repeated contact about the same issue' })).toBeChecked();
  await expect(checklist.getByRole('checkbox', { name: 'High-value account' })).toBeChecked();
  await expect(checklist.getByText('Suggested from the case: 2 or more contacts so far')).toBeVisible();
  await expect(checklist.getByText('Suggested from the case: the customer is marked VIP')).toBeVisible();
  // The agent can untick a suggestion; its note goes with it.
  await checklist.getByRole('checkbox', { name: 'High-value account' }).uncheck();
  await expect(checklist.getByText('Suggested from the case: the customer is marked VIP')).toHaveCount(0);

  // A customer insisting on a manager on a case the specialists must take.
  await checklist.getByRole('checkbox', { name: 'Insists on a supervisor or manager' }).check();
  await checklist.getByRole('checkbox', { name: 'Policy misunderstanding or dispute' }).check();
  for (let i = 0; i < 4; i++) {
    const result = page.getByRole('heading', { name: /^Recommended/ });
    if (await result.isVisible()) break;
    await page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true }).click();
  }
  const result = page.getByRole('region', { name: /^Recommended: Level 2/ });
  await expect(result).toBeVisible();
  const ticks = result.getByRole('list').filter({ hasText: 'Insists on a supervisor or manager' });
  await expect(ticks).toContainText('Insists on a supervisor or manager: points to Level 1: supervisor or team lead');
  await expect(ticks).toContainText('Policy misunderstanding or dispute: decided the level');
  await result.getByRole('button', { name: 'Escalate to Level 1: supervisor or team lead instead' }).click();
  await expect(page.getByRole('region', { name: 'Escalation' })).toContainText('Level 1: supervisor or team lead');
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('because: Also ticked: Insists on a supervisor or manager');
  // Now the handoff is the next step, and what it needs is listed on the case.
  await expect(page.getByRole('link', { name: 'Prepare the handoff' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Escalation' })).toContainText('Description of the issue: needed before it goes');
});

test('a case escalated without a level (an older version allowed it) shows as needing one', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Escalated bare' });
  await page.getByRole('link', { name: 'Data' }).click();
  const file = JSON.parse(fs.readFileSync(await downloadAll(page), 'utf8'));
  file.cases[0].status = 'escalated';
  const bare = path.join(os.tmpdir(), `bare-${Date.now()}.json`);
  fs.writeFileSync(bare, JSON.stringify(file));
  const fresh = await (await page.context().browser().newContext()).newPage();
  await openApp(fresh, '#/data');
  await fresh.getByLabel('Restore or import a file…').setInputFiles(bare);
  await fresh.getByRole('link', { name: 'Queue' }).click();
  const item = fresh.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: ref });
  await expect(item).toContainText('Needs a level');
  await item.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(fresh.getByText('Needs a level')).toBeVisible();
  await expect(fresh.getByRole('link', { name: 'Start triage' })).toBeVisible();
});

test('the page is never blank while the app loads', async ({ page }) => {
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.goto('./');
  await expect(page.getByRole('status').filter({ hasText: 'Loading Escalation Desk' })).toBeVisible();
  release();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('Loading Escalation Desk')).toHaveCount(0);
});
