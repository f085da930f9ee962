// Embedded in a helpdesk page on another origin: the demo host (tests/e2e/host/) hands over a
// ticket, the panel opens one case per ticket, reports saves and sizes, and sends the handoff
// back; an origin embed.json doesn't allow gets nothing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');

const dist = path.resolve(__dirname, '..', process.env.E2E_DIST || '../../dist');
const { saved, serve } = require('./helpers');

async function appAllowing(port, origins) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-app-'));
  fs.cpSync(dist, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'embed.json'), JSON.stringify({ allowedOrigins: origins }));
  return serve(dir, port);
}

const messages = async (page) =>
  (await page.getByRole('list', { name: 'Messages from the panel' }).getByRole('listitem').allInnerTexts()).map((t) => JSON.parse(t));

test('a ticket opens its case in the panel, saves and the handoff go back to the host', async ({ page }) => {
  test.setTimeout(90_000); // axe in a loop: slow on a loaded 2-core machine
  const host = await serve(path.join(__dirname, '..', 'host'), 4201);
  const app = await appAllowing(4202, ['http://127.0.0.1:4201', 'https://*.example-helpdesk.com']);
  try {
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${host.url}?app=${encodeURIComponent(app.url)}`);
    const panel = page.frameLocator('iframe[title="Escalation Desk panel"]');
    // The host answers "ready" with the ticket: the case opens pre-filled.
    await expect(panel.getByRole('heading', { level: 1, name: /ESC-\d{4}-0001 · Invoice charged twice, customer furious/ })).toBeVisible();
    await expect(panel.getByLabel('Name', { exact: true })).toHaveValue('Ana Souza');
    await expect(panel.getByLabel('Email or phone')).toHaveValue('ana.souza@example.com');
    await expect(panel.getByLabel('Channel')).toHaveValue('email');
    await expect.poll(async () => (await messages(page)).map((m) => m.type)).toEqual(expect.arrayContaining(['ready', 'resize', 'case.saved']));
    const savedMessage = (await messages(page)).filter((m) => m.type === 'case.saved').pop();
    expect(savedMessage).toMatchObject({ ns: 'escalation-desk', v: 1, ticketId: 'T-4711', status: 'draft', reference: expect.stringMatching(/^ESC-/) });

    await page.screenshot({ path: path.join(__dirname, '..', '.artifacts', 'embed-host.png'), fullPage: true });
    const AxeBuilder = require('@axe-core/playwright').default;
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const r = await new AxeBuilder({ page }).include('iframe').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `embedded, ${scheme}`).toEqual([]);
    }
    // At 320 px nothing scrolls sideways.
    const overflow = await page.frameLocator('iframe').locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The same ticket again reopens the same case: one case per ticket.
    await page.getByRole('button', { name: 'Send ticket to the panel' }).click();
    await panel.getByRole('link', { name: 'Cases' }).click();
    await expect(panel.getByText('1 case', { exact: true })).toBeVisible();

    // Triage and send the handoff to the ticket.
    await panel.getByRole('link', { name: /Invoice charged twice/ }).click();
    await panel.getByLabel('Description').fill('Charged twice for the same invoice.');
    await panel.getByLabel('Step taken').fill('Checked both charges in billing');
    await panel.getByRole('button', { name: 'Add step' }).click();
    await saved(panel);
    await panel.getByRole('link', { name: 'Start triage' }).click();
    await panel.getByRole('checkbox', { name: 'Policy misunderstanding or dispute' }).check();
    for (let i = 0; i < 2; i++) {
      const q = panel.locator('fieldset.question legend');
      const before = (await q.allInnerTexts()).join();
      await panel.locator('fieldset.question').getByRole('button', { name: 'No', exact: true }).click();
      await expect(async () => expect((await q.allInnerTexts()).join()).not.toBe(before)).toPass();
    }
    await panel.getByRole('button', { name: /^Accept/ }).click();
    await panel.getByRole('link', { name: 'Prepare the handoff' }).click();
    await panel.getByLabel(/Send it anyway/).check();
    await panel.getByRole('button', { name: 'Send to the ticket' }).click();
    await expect.poll(async () => (await messages(page)).some((m) => m.type === 'handoff')).toBe(true);
    const handoff = (await messages(page)).find((m) => m.type === 'handoff');
    expect(handoff.format).toBe('markdown');
    expect(handoff.text).toContain('**Level:** Level 2: specialised team');
    const last = (await messages(page)).filter((m) => m.type === 'case.saved').pop();
    expect(last).toMatchObject({ ticketId: 'T-4711', status: 'escalated', level: 'level2' });

    // Its storage is its own namespace.
    const keys = await panel.locator('html').evaluate(() => Object.keys(localStorage));
    expect(keys.every((k) => k.startsWith('escdesk-embed-demo:'))).toBe(true);

    // The panel loaded the desk only: the console's screens open in a new tab.
    const data = panel.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' });
    await expect(data).toHaveAttribute('target', '_blank');
    await expect(data).toHaveAttribute('href', 'console.html#/data');
    expect(requested.filter((p) => p.includes('console'))).toEqual([]);
  } finally {
    host.stop();
    app.stop();
  }
});

test('a host that embed.json does not allow gets nothing, and its messages change nothing', async ({ page }) => {
  const host = await serve(path.join(__dirname, '..', 'host'), 4203);
  const app = await appAllowing(4204, ['https://*.example-helpdesk.com']);
  try {
    await page.goto(`${host.url}?app=${encodeURIComponent(app.url)}`);
    const panel = page.frameLocator('iframe[title="Escalation Desk panel"]');
    await expect(panel.getByRole('region', { name: 'Not connected to the helpdesk' })).toContainText(
      'the page at http://127.0.0.1:4203 is not in the allowedOrigins of embed.json',
    );
    await page.getByRole('button', { name: 'Send ticket to the panel' }).click();
    await page.waitForTimeout(500);
    await expect(panel.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'No cases yet' })).toBeVisible();
    expect(await messages(page)).toEqual([]);
  } finally {
    host.stop();
    app.stop();
  }
});

// A helpdesk that sends no referrer: Chromium still names the parent's origin
// (location.ancestorOrigins). Firefox, which doesn't, takes the other path (the panel says
// "ready" to each exact allowed origin): tests/e2e/webdriver/run.js drives that one.
test('a host that sends no referrer still connects', async ({ page }) => {
  const host = await serve(path.join(__dirname, '..', 'host'), 4205);
  const app = await appAllowing(4206, ['http://127.0.0.1:4299', 'http://127.0.0.1:4205', 'https://*.example-helpdesk.com']);
  try {
    await page.goto(`${host.url}?referrer=none&app=${encodeURIComponent(app.url)}`);
    const panel = page.frameLocator('iframe[title="Escalation Desk panel"]');
    await expect(panel.getByRole('heading', { level: 1, name: /ESC-\d{4}-0001 · Invoice charged twice, customer furious/ })).toBeVisible();
    expect(await panel.locator('html').evaluate(() => document.referrer)).toBe('');
    await expect.poll(async () => (await messages(page)).map((m) => m.type)).toEqual(expect.arrayContaining(['ready', 'case.saved']));
    await expect(panel.getByRole('region', { name: 'Not connected to the helpdesk' })).toHaveCount(0);
  } finally {
    host.stop();
    app.stop();
  }
});
