// The same-origin mount: a helpdesk page on the app's own origin mounts the app into one of its
// elements with the README's snippet (no iframe). The app works there with its own storage
// namespace and screens, and leaves the host page's address, title and styles alone.
const path = require('path');
const { test, expect } = require('@playwright/test');
const AxeBuilder = require('@axe-core/playwright').default;

const shots = path.join(__dirname, '..', '.artifacts');

const hostPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ticket #4821 · Acme Helpdesk</title>
<style>
  body { margin: 0; font-family: Georgia, serif; background: rgb(250, 240, 230); color: #222; }
  .ticket { display: flex; min-height: 100vh; }
  .conversation { flex: 1; padding: 24px; }
  #panel { width: 320px; flex: none; border-left: 1px solid #bbb; }
  button.reply { font: 16px Georgia, serif; padding: 4px 12px; }
</style>
</head>
<body>
  <div class="ticket">
    <main class="conversation">
      <h1>Ticket #4821: printer on fire</h1>
      <p>Customer: Dana Whitfield. Third contact this week.</p>
      <button class="reply" type="button">Reply</button>
    </main>
    <aside id="panel" aria-label="Escalation"></aside>
  </div>
  <script type="module">
    import { mount } from './embed.js';
    mount(document.getElementById('panel'), { namespace: 'ticket-panel' });
  </script>
</body>
</html>`;

test('a page on the same origin mounts the app into an element, with its own namespace', async ({ page }) => {
  await page.route('**/helpdesk-ticket.html', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: hostPage }));
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await page.goto('./helpdesk-ticket.html#conversation');
  const panel = page.getByRole('complementary', { name: 'Escalation' });
  await expect(panel.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(panel.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();

  // The app's links move the app, not the host page.
  await panel.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(panel.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#conversation');
  await panel.getByLabel(/^Subject/).fill('Printer on fire, third contact');
  await panel.getByLabel('Name', { exact: true }).fill('Dana Whitfield');
  await panel.getByRole('button', { name: 'Open case' }).click();
  await expect(panel.getByRole('heading', { level: 1, name: /ESC-\d{4}-\d{4} · Printer on fire/ })).toBeVisible();
  await panel.getByRole('link', { name: 'Start triage' }).click();
  await expect(panel.getByRole('heading', { level: 1, name: /^Triage/ })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#conversation');

  // The panel loads the desk only; the console's screens open in a tab of their own.
  const playbook = panel.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playbook' });
  await expect(playbook).toHaveAttribute('target', '_blank');
  expect(await playbook.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\.html#\/playbook$/);
  expect(requested.filter((p) => p.includes('console'))).toEqual([]);

  // Its own storage namespace; the host's title and styles untouched.
  const keys = await page.evaluate(() => Object.keys(localStorage).sort());
  expect(keys.some((k) => k.startsWith('escdesk-embed-ticket-panel:case:'))).toBe(true);
  expect(keys.some((k) => k.startsWith('escdesk:'))).toBe(false);
  expect(await page.title()).toBe('Ticket #4821 · Acme Helpdesk');
  const host = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    font: getComputedStyle(document.querySelector('button.reply')).fontFamily,
    heading: getComputedStyle(document.querySelector('.conversation h1')).fontFamily,
  }));
  expect(host.background).toBe('rgb(250, 240, 230)');
  expect(host.font).toContain('Georgia');
  expect(host.heading).toContain('Georgia');

  // It fits the 320 px sidebar, and passes axe there.
  await panel.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cases' }).click();
  await expect(panel.getByRole('heading', { level: 1, name: 'Cases' })).toBeVisible();
  expect(await page.evaluate(() => {
    const p = document.getElementById('panel');
    return p.scrollWidth <= p.clientWidth + 1;
  })).toBe(true);
  await page.screenshot({ path: path.join(shots, 'mounted-same-origin-1280.png'), fullPage: true });
  const axe = await new AxeBuilder({ page }).include('#panel')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);

  // A reload brings the case back from the namespace.
  await page.reload();
  await expect(panel.getByRole('link', { name: /Printer on fire, third contact/ })).toBeVisible();
});
