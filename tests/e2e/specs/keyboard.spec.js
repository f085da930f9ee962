// The whole core flow with the keyboard alone: open a case, tick the checklist, answer the
// tree, accept, prepare the handoff and copy it. Focus is always visible, order is sensible,
// nothing traps it; outcomes are announced in live regions.
const { test, expect } = require('@playwright/test');
const { openApp, saved, tabTo } = require('./helpers');


test('the core flow with the keyboard alone', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page);
  await tabTo(page, 'Skip to content');
  await tabTo(page, 'New case');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();

  await tabTo(page, 'Name');
  await page.keyboard.type('Priya Raman');
  await tabTo(page, 'Email or phone');
  await page.keyboard.type('priya@example.com');
  await tabTo(page, /^Subject/);
  await page.keyboard.type('Customer wants a manager about a missed call-back');
  await tabTo(page, 'Description');
  await page.keyboard.type('We promised a call-back on Monday; nobody called.');
  await tabTo(page, 'Expectation');
  await page.keyboard.type('A call today');
  await tabTo(page, 'Step taken');
  await page.keyboard.type('Apologised and checked the call log');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listitem').filter({ hasText: 'Apologised and checked the call log' })).toBeVisible();
  await tabTo(page, 'Open case');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /Customer wants a manager/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /Case ESC-\d{4}-\d{4} opened/ })).toBeVisible();

  await tabTo(page, 'Start triage');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: /^Triage/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Trigger checklist' })).toBeVisible();
  // Focus moved into the checklist, not back to the top of the page.
  await expect(page.getByRole('checkbox', { name: 'Insists on a supervisor or manager' })).toBeFocused();
  await tabTo(page, 'Insists on a supervisor or manager');
  await page.keyboard.press('Space');
  await tabTo(page, 'Expectations or promises not met');
  await page.keyboard.press('Space');
  await expect(page.getByText('2 triggers ticked.')).toBeVisible();
  await tabTo(page, 'Yes');
  for (let i = 0; i < 3; i++) {
    // After each answer, focus is on the next question's first answer (Yes).
    await page.keyboard.press('Tab');
    await expect(page.locator('fieldset.question').getByRole('button', { name: 'No', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    if (i < 2) await expect(page.locator('fieldset.question').getByRole('button', { name: 'Yes', exact: true })).toBeFocused();
  }
  await expect(page.getByRole('heading', { name: /^Recommended/ })).toBeFocused();
  await tabTo(page, 'Accept: escalate to Level 1: supervisor or team lead');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Status: Escalated' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Decision recorded: Level 1' })).toBeVisible();

  await tabTo(page, 'Prepare the handoff');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Before it goes' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: /^Handoff/ })).toBeVisible();
  await tabTo(page, 'Copy to clipboard');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('Level 1: supervisor or team lead (P3)');
  // No trap: focus can leave the page's last control and come back round to the start.
  await tabTo(page, 'Skip to content');
});

test('the conflict dialog holds focus and its buttons work from the keyboard', async ({ page }) => {
  await page.clock.install();
  await openApp(page, '#/new');
  await page.getByLabel(/^Subject/).fill('Two tabs, one keyboard');
  await page.getByRole('button', { name: 'Open case' }).click();
  const other = await page.context().newPage();
  await other.goto(page.url());
  // Both tabs hold an edit of the same part at once; the other saves first (Enter), then this
  // tab's own save (Enter) meets it and asks.
  await page.clock.pauseAt(Date.now() + 60_000);
  await page.getByLabel('Owner').fill('Mine');
  await other.getByLabel('Owner').fill('Other');
  await other.getByLabel('Owner').press('Enter');
  await expect(page.getByText('This case was also changed in another tab')).toBeVisible();
  await page.getByLabel('Owner').press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Edited in two places' });
  await expect(dialog.getByRole('button', { name: 'Keep my version' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: "Use the other tab's version" })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('Owner')).toHaveValue('Mine');
});

test('skip links go to the content and, on a case, to its next action, without leaving the screen', async ({ page }) => {
  await openApp(page);
  const { openCase } = require('./helpers');
  const ref = await openCase(page, { subject: 'Skip link check', customer: 'Ines Duarte' });
  const url = page.url();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the next action' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('#next-action')).toBeFocused();
  await expect(page.locator('#next-action')).toHaveText('Start triage');
  expect(page.url()).toBe(url);
  // "Skip to content" focuses the screen and keeps it: no "Not found".
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(ref) })).toBeVisible();
  expect(page.url()).toBe(url);
});
