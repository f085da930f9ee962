// Two front doors, one app: the desk (index.html) for agents on a call and the console
// (console.html) for a team lead between calls. Every screen is reached from both; deep links
// survive a reload; an address of the other page goes there; an edit saved in the console
// reaches an open desk; both start offline after a first visit to either.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, acceptTriage, serve } = require('./helpers');

const dist = path.resolve(__dirname, '..', process.env.E2E_DIST || '../../dist');

const DESK = [
  ['Cases', 'Cases'],
  ['Queue', 'Queue'],
  ['New case', 'New case'],
  ['Import', 'Import'],
];
const CONSOLE = [
  ['Practice', 'Practice'],
  ['Playbook', 'Playbook'],
  ['Data', 'Your data'],
];

const nav = (page) => page.getByRole('navigation', { name: 'Main' });

async function go(page, link, heading) {
  await nav(page).getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible();
}

test('every screen is reached from both doors, each page loading only its own wasm', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(new URL(r.url()).pathname.split('/').pop()));
  await openApp(page);
  for (const [link, heading] of DESK) await go(page, link, heading);
  // The desk downloaded the desk only.
  expect(wasm.every((w) => /^escalation-desk-[0-9a-f]+_bg\.wasm$/.test(w)), wasm.join()).toBe(true);

  for (const [link, heading] of CONSOLE) {
    await openApp(page);
    await go(page, link, heading);
    expect(page.url()).toContain('console.html#/');
    await expect(page).toHaveTitle(`${heading} · Escalation Desk`);
  }
  // From the console, the same navigation leads to every screen of both.
  for (const [link, heading] of [...CONSOLE, ...DESK, ...CONSOLE]) await go(page, link, heading);
  expect(wasm.some((w) => w.startsWith('escalation-desk-console-'))).toBe(true);

  // The brand goes to the case list from either page.
  await page.getByRole('link', { name: 'Escalation Desk' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
});

test('deep links into both pages survive a reload, and an address of the other page goes there', async ({ page }) => {
  await page.goto('./console.html#/data');
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
  // The console's own address, with no screen named, is the console's home (not the desk's).
  await page.goto('./console.html');
  await expect(page.getByRole('heading', { level: 1, name: 'Insights' })).toBeVisible();
  expect(page.url()).toMatch(/console\.html#\/insights$/);
  await page.goto('./console.html#/data');
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();

  // An old bookmark of the playbook on the desk opens it in the console, leaving no stop behind.
  await page.goto('./#/playbook');
  await expect(page.getByRole('heading', { level: 1, name: 'Playbook' })).toBeVisible();
  expect(page.url()).toMatch(/console\.html#\/playbook$/);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Playbook' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();

  // A case's address in the console opens it on the desk.
  await openApp(page);
  const ref = await openCase(page, { subject: 'Reached through the console' });
  const id = page.url().split('#/case/')[1];
  await page.goto(`./console.html#/case/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: `${ref} · Reached through the console` })).toBeVisible();
  expect(page.url()).toMatch(new RegExp(`/#/case/${id}$`));
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: `${ref} · Reached through the console` })).toBeVisible();
});

test('a playbook change saved in the console reaches a desk already open on a triage', async ({ context }) => {
  const desk = await context.newPage();
  await openApp(desk);
  await openCase(desk, { subject: 'Wants the manager, triaged while the lead edits', customer: 'Jordan Lee' });
  await desk.getByRole('link', { name: 'Start triage' }).click();
  await expect(desk.getByRole('region', { name: 'Trigger checklist' })).toBeVisible();

  const lead = await context.newPage();
  await lead.goto('./console.html#/playbook');
  const form = lead.getByRole('form', { name: 'Team calendar' });
  await form.getByLabel('Warn at (% of the time used)').fill('70');
  await form.getByRole('button', { name: 'Save calendar' }).click();
  await expect(lead.getByRole('status').filter({ hasText: 'Saved as version 3' })).toBeVisible();

  // The desk, never reloaded, hears of version 3 at once; the triage keeps the version it
  // started with until the agent re-runs it (issue 33.5), then triages with version 3.
  await desk.bringToFront();
  const notice = desk.getByRole('status').filter({ hasText: 'A new playbook version was published' });
  await expect(notice).toContainText('This triage keeps v2');
  await notice.getByRole('button', { name: 'Re-run triage with it' }).click();
  await expect(notice).toHaveCount(0);
  await acceptTriage(desk, 'Insists on a supervisor or manager');
  await expect(desk.getByRole('region', { name: 'Timeline' }).getByText(/playbook default v3/)).toBeVisible();
});

/** A copy of the build on a port of its own, so its service worker is its own. */
async function serveCopy(port) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-doors-'));
  fs.cpSync(dist, root, { recursive: true });
  return serve(root, port);
}

for (const first of ['desk', 'console']) {
  test(`both pages start offline after a first visit to the ${first}`, async ({ browser }) => {
    const site = await serveCopy(first === 'desk' ? 4211 : 4212);
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(first === 'desk' ? site.url : `${site.url}console.html#/data`);
      await expect(page.getByRole('main')).toBeVisible();
      await page.evaluate(() => navigator.serviceWorker.ready);
      await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

      await context.setOffline(true);
      await page.goto(`${site.url}console.html#/playbook`);
      await expect(page.getByRole('heading', { level: 1, name: 'Playbook' })).toBeVisible();
      await page.goto(`${site.url}#/queue`);
      await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
      await go(page, 'Data', 'Your data');
      await go(page, 'New case', 'New case');
      await context.close();
    } finally {
      site.stop();
    }
  });
}

test("a handoff goes from one agent's desk to another's through the desk's Import screen", async ({ browser }) => {
  const sender = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await openApp(sender);
  const ref = await openCase(sender, { subject: 'Passed on by file', customer: 'Ngozi Okafor', description: 'Charged twice.' });
  await sender.getByRole('link', { name: 'Start triage' }).click();
  await acceptTriage(sender, 'Insists on a supervisor or manager');
  await sender.getByRole('link', { name: 'Prepare the handoff' }).first().click();
  await sender.getByLabel('JSON').check();
  const anyway = sender.getByLabel(/Send it anyway/);
  if (await anyway.isVisible()) await anyway.check();
  const dl = sender.waitForEvent('download');
  await sender.getByRole('button', { name: 'Download' }).click();
  const file = await (await dl).path();

  // The receiving agent never leaves the desk: Import is one of its screens.
  const receiver = await (await browser.newContext()).newPage();
  const wasm = [];
  receiver.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  await openApp(receiver);
  await go(receiver, 'Import', 'Import');
  await receiver.getByLabel('Import a file…').setInputFiles(file);
  await expect(receiver.getByRole('status').filter({ hasText: 'Restored 1 case' })).toContainText('1 added');
  // The case taken in opens from where it was taken in.
  await receiver.getByRole('link', { name: `Open ${ref} · Passed on by file` }).click();
  await expect(receiver.getByLabel('Name', { exact: true })).toHaveValue('Ngozi Okafor');
  await go(receiver, 'Cases', 'Cases');
  await receiver.getByRole('link', { name: new RegExp(`${ref}.*Passed on by file`) }).click();
  await expect(receiver.getByLabel('Name', { exact: true })).toHaveValue('Ngozi Okafor');
  expect(wasm.some((u) => u.includes('console'))).toBe(false);
});
