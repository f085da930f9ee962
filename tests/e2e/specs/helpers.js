// Shared steps, written as an agent would do them: by role and accessible name.
const { expect } = require('@playwright/test');

/** Opens the app and waits until the case list is on screen. */
async function openApp(page, hash = '#/') {
  await page.goto(hash === '#/' ? './' : `./${hash}`);
  await expect(page.getByRole('main')).toBeVisible();
}

/** Opens a new case through the form and waits for its screen. */
async function openCase(page, { subject, customer = '', contact = '', description = '', deadline } = {}) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  if (customer) await page.getByLabel('Name', { exact: true }).fill(customer);
  if (contact) await page.getByLabel('Email or phone').fill(contact);
  await page.getByLabel(/^Subject/).fill(subject);
  if (description) await page.getByLabel('Description').fill(description);
  if (deadline) await page.getByLabel('By when').fill(deadline);
  await page.getByRole('button', { name: 'Open case' }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(`ESC-\\d{4}-\\d{4} · ${escapeRe(subject)}`) })).toBeVisible();
  return (await page.getByRole('heading', { level: 1 }).innerText()).split(' · ')[0];
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The stored keys of the app's namespace. */
async function storedKeys(page) {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('escdesk:')).sort());
}

module.exports = { openApp, openCase, storedKeys, escapeRe };
