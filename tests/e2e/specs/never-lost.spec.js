// Nothing an agent typed disappears without their say: a case saves as it is edited, whichever
// way the agent leaves it; an import's unanswered question survives leaving and reloading; a
// masked contact coming back never replaces the real one.
const { test, expect } = require('@playwright/test');
const { openApp, openCase, saved, download, downloadAll } = require('./helpers');

/** Types into several fields of the open case without waiting for anything. */
async function typeSome(page, tag) {
  await page.getByLabel('Owner').fill(`Owner ${tag}`);
  await page.getByLabel('Description').fill(`Description ${tag}: charged twice, wants a refund`);
  await page.getByLabel('Impact').fill(`Impact ${tag}`);
  await page.getByLabel('Step taken').fill(`Step ${tag}`);
  await page.getByLabel('Outcome').fill(`Outcome ${tag}`);
  await page.getByRole('button', { name: 'Add step' }).click();
}

async function expectKept(page, ref, tag) {
  if (!(await page.getByRole('heading', { level: 1, name: new RegExp(ref) }).isVisible())) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('link', { name: new RegExp(ref) }).click();
  }
  await expect(page.getByLabel('Owner')).toHaveValue(`Owner ${tag}`);
  await expect(page.getByLabel('Description')).toHaveValue(`Description ${tag}: charged twice, wants a refund`);
  await expect(page.getByLabel('Impact')).toHaveValue(`Impact ${tag}`);
  await expect(page.getByRole('group', { name: 'Steps already taken' })).toContainText(`Step ${tag} → Outcome ${tag}`);
}

test('edits are kept whichever way the agent leaves the case', async ({ page }) => {
  await openApp(page);
  const ref = await openCase(page, { subject: 'Charged twice' });
  const caseUrl = page.url();

  await typeSome(page, 'menu');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  await expectKept(page, ref, 'menu');

  await typeSome(page, 'handoff');
  await page.getByRole('link', { name: 'Prepare the handoff' }).click();
  await expect(page.locator('pre')).toContainText('Step handoff');
  await expect(page.locator('pre')).toContainText('Description handoff');
  await page.goBack();
  await expectKept(page, ref, 'handoff');

  await typeSome(page, 'brand');
  await page.getByRole('link', { name: 'Escalation Desk' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  await expectKept(page, ref, 'brand');

  await typeSome(page, 'reload');
  await page.reload();
  await expectKept(page, ref, 'reload');

  await typeSome(page, 'back');
  await page.goBack();
  await page.goto(caseUrl);
  await expectKept(page, ref, 'back');

  // A step typed but never added is kept too, when the agent leaves.
  await page.getByLabel('Step taken').fill('Called the bank');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await page.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(page.getByRole('group', { name: 'Steps already taken' })).toContainText('Called the bank');
  await expect(page.getByLabel('Step taken')).toHaveValue('');

  // The update for the customer and a reason to change level, typed and not sent, stay too,
  // while the case saves around them, after leaving, and after a reload.
  await page.getByLabel('Update given to the customer').fill('Told her a manager will call');
  await page.getByLabel('Owner').fill('Owner update');
  await saved(page);
  await expect(page.getByLabel('Update given to the customer')).toHaveValue('Told her a manager will call');
  await page.locator('summary', { hasText: 'Escalate by hand' }).click();
  await page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('To level').selectOption({ label: 'Level 4: management or incident response' });
  await page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('Reason (goes on the timeline)').fill('She asked twice for a manager');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
  await page.goto(caseUrl);
  await page.reload();
  await expect(page.getByLabel('Update given to the customer')).toHaveValue('Told her a manager will call');
  await expect(page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('Reason (goes on the timeline)')).toHaveValue('She asked twice for a manager');
  // The level chosen with that reason stays chosen (one click on Escalate must not send the
  // case to the first level instead).
  await expect(page.getByRole('form', { name: 'Escalate by hand' }).getByLabel('To level')).toHaveValue('level4');
  await page.getByRole('button', { name: 'Log update' }).click();
  await expect(page.getByLabel('Update given to the customer')).toHaveValue('');

  // One line on the timeline per burst of editing, not one per save: three saves (a pause
  // after each key) read as one more line.
  const lines = page.getByRole('region', { name: 'Timeline' }).getByRole('listitem');
  const before = await lines.count();
  await page.getByLabel('Owner').pressSequentially('abc', { delay: 700 });
  await saved(page);
  await expect(lines).toHaveCount(before + 1);
  await expect(lines.first()).toContainText('Edited owner');
});

test('closing the tab mid-edit keeps what was typed', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openApp(page);
  const ref = await openCase(page, { subject: 'Closed mid-edit' });
  await page.getByLabel('Owner').fill('Owner close');
  await page.getByLabel('Evidence').fill('Trace 42');
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await openApp(again);
  await again.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(again.getByLabel('Owner')).toHaveValue('Owner close');
  await expect(again.getByLabel('Evidence')).toHaveValue('Trace 42');
  await context.close();
});

test('a new case typed and left comes back as it was, and opens no case by itself', async ({ page }) => {
  await openApp(page);
  const newCase = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await newCase();
  await page.getByLabel('Name', { exact: true }).fill('Amara Okafor');
  await page.getByLabel(/^Subject/).fill('Left before opening');
  await page.getByLabel('Step taken').fill('Checked the tracking');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await newCase();
  await expect(page.getByText('This is the new case you were typing: nothing was lost.')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Amara Okafor');
  await expect(page.getByLabel(/^Subject/)).toHaveValue('Left before opening');
  await expect(page.getByRole('group', { name: 'Steps already taken' })).toContainText('Checked the tracking');
  await page.getByLabel('Description').fill('Typed, then reloaded');
  await page.reload();
  await expect(page.getByLabel('Description')).toHaveValue('Typed, then reloaded');
  // Nothing was opened behind the agent's back.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(page.getByRole('heading', { name: 'No cases yet' })).toBeVisible();
  await newCase();
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Left before opening/ })).toBeVisible();
  await newCase();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');
});

test('an unanswered merge question survives leaving the page and a reload', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Original' });
  await a.getByRole('link', { name: 'Data' }).click();
  const original = await downloadAll(a);

  const b = await (await browser.newContext()).newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(original);
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(ref) }).click();
  await b.getByLabel(/^Subject/).fill('Subject from B');
  await b.getByLabel('Evidence').fill('Only B wrote this');
  await saved(b);
  await b.getByRole('link', { name: 'Data' }).click();
  const fromB = await downloadAll(b);

  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await a.getByLabel(/^Subject/).fill('Subject from A');
  await saved(a);
  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(fromB);
  const decide = a.getByRole('region', { name: 'Your decision: changed in two places' });
  await expect(decide).toBeVisible();

  // Leave without answering: every screen says an import is waiting.
  await a.getByRole('link', { name: 'Cases' }).click();
  const waiting = a.getByRole('region', { name: 'An import is waiting for you' });
  await expect(waiting).toBeVisible();
  await a.reload();
  await expect(waiting).toBeVisible();
  await waiting.getByRole('link', { name: 'Decide now' }).click();
  await expect(decide).toBeVisible();
  await decide.getByLabel("Take the file's: Subject from B").check();
  await decide.getByRole('button', { name: 'Merge with these choices' }).click();
  await expect(decide).toHaveCount(0);
  await a.getByRole('link', { name: 'Cases' }).click();
  await expect(waiting).toHaveCount(0);
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(a.getByLabel(/^Subject/)).toHaveValue('Subject from B');
  // The part that did not conflict came with it.
  await expect(a.getByLabel('Evidence')).toHaveValue('Only B wrote this');
  expect(await a.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':pending:')))).toEqual([]);
});

test('a masked handoff coming back never wipes the real contact', async ({ browser }) => {
  const a = await (await browser.newContext()).newPage();
  await openApp(a);
  const ref = await openCase(a, { subject: 'Refund by Friday', customer: 'Nina Ortiz', contact: 'nina@example.com' });
  await a.getByLabel('Description').fill('Wants a refund.');
  await saved(a);
  await a.getByRole('link', { name: 'Prepare the handoff' }).click();
  await a.getByLabel("Mask the customer's contact details").check();
  await a.getByRole('radio', { name: /JSON/ }).check();
  const sendAnyway = a.getByLabel('Send it anyway');
  if (await sendAnyway.count()) await sendAnyway.check();
  const handoff = await download(a, /^Download/);

  const b = await (await browser.newContext()).newPage();
  await openApp(b, '#/data');
  await b.getByLabel('Restore or import a file…').setInputFiles(handoff);
  await expect(b.getByRole('status').filter({ hasText: 'masked' })).toBeVisible();
  await b.getByRole('link', { name: 'Cases' }).click();
  await b.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(b.getByLabel('Email or phone')).toHaveValue('n***@example.com');
  await expect(b.getByText('Masked on purpose')).toBeVisible();
  await b.getByLabel('Name', { exact: true }).fill('Nina Ortiz-Baker');
  await saved(b);
  await b.getByRole('link', { name: 'Data' }).click();
  const back = await downloadAll(b);

  await a.getByRole('link', { name: 'Data' }).click();
  await a.getByLabel('Restore or import a file…').setInputFiles(back);
  await expect(a.getByRole('status').filter({ hasText: '1 updated' })).toBeVisible();
  await a.getByRole('link', { name: 'Cases' }).click();
  await a.getByRole('link', { name: new RegExp(ref) }).click();
  await expect(a.getByLabel('Name', { exact: true })).toHaveValue('Nina Ortiz-Baker');
  await expect(a.getByLabel('Email or phone')).toHaveValue('nina@example.com');
});
