// Files picked on the Data page and on the playbook screen (issue 12): a file over the limit is
// refused before it is read; UTF-16 (Notepad's "Unicode") is read, other bytes are "not UTF-8
// text"; an empty file gets the same message on both screens; broken JSON is described in
// words, with its place after them, never in the parser's words.
const fs = require('fs');
const { test, expect } = require('@playwright/test');
const { openApp, openCase, storedKeys } = require('./helpers');

const RESTORE = 'Restore or import a file…';
const USE_PLAYBOOK = 'Use a playbook file…';

/** Counts every read of a file's content (Blob and FileReader), from page load on. */
async function countReads(page) {
  await page.addInitScript(() => {
    window.fileReads = 0;
    for (const name of ['text', 'arrayBuffer', 'bytes', 'stream', 'slice']) {
      const own = Blob.prototype[name];
      if (!own) continue;
      Blob.prototype[name] = function (...args) {
        window.fileReads += 1;
        return own.apply(this, args);
      };
    }
    for (const name of ['readAsText', 'readAsArrayBuffer', 'readAsDataURL', 'readAsBinaryString']) {
      const own = FileReader.prototype[name];
      FileReader.prototype[name] = function (...args) {
        window.fileReads += 1;
        return own.apply(this, args);
      };
    }
  });
}

function utf16le(text) {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

function file(name, buffer) {
  return { name, mimeType: 'application/json', buffer: Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer) };
}

async function downloadPlaybook(page) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download the playbook' }).click();
  return JSON.parse(fs.readFileSync(await (await download).path(), 'utf8'));
}

// (The Data page has checked the size first all along; merge.spec.js refuses a 40 MB file there.)
test('a playbook file over 1 MB is refused before it is read', async ({ page }) => {
  await countReads(page);
  await openApp(page, '#/playbook');
  const big = Buffer.alloc(2 * 1024 * 1024, 'x');
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('big.json', big));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing changed: big.json was not used. The file is larger than 1 MB; no playbook is that large.',
  );
  expect(await page.evaluate(() => window.fileReads)).toBe(0);
});

test('UTF-16 files are read on both screens; bytes that are not text say so', async ({ page, browser }) => {
  await openApp(page, '#/playbook');
  const tuned = await downloadPlaybook(page);
  tuned.playbook.version = 7;
  tuned.playbook.name = 'Saved by Notepad';
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('notepad.json', utf16le(JSON.stringify(tuned, null, 2))));
  await expect(page.getByRole('status').filter({ hasText: 'Playbook “Saved by Notepad” v7 from notepad.json is now in use' })).toBeVisible();

  const latin1 = Buffer.from(JSON.stringify({ ...tuned, playbook: { ...tuned.playbook, name: 'Café' } }), 'latin1');
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('latin1.json', latin1));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing changed: latin1.json was not used. It is not UTF-8 text: it may not be a text file at all, or it was saved in another encoding. Save it as UTF-8 (or UTF-16) and try again.',
  );
  await expect(page.getByText('In use: “Saved by Notepad”, version 7')).toBeVisible();

  // An export re-saved as UTF-16 restores in another browser.
  const ref = await openCase(page, { subject: 'Travels as UTF-16' });
  await page.getByRole('link', { name: 'Data' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download all cases' }).click();
  const exported = fs.readFileSync(await (await download).path(), 'utf8');
  const fresh = await (await browser.newContext()).newPage();
  await openApp(fresh, '#/data');
  await fresh.getByLabel(RESTORE).setInputFiles(file('png.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])));
  await expect(fresh.getByRole('alert')).toHaveText(/^Nothing was restored from png\.json\. It is not UTF-8 text: /);
  expect(await storedKeys(fresh)).toEqual([]);
  await fresh.getByLabel(RESTORE).setInputFiles(file('unicode.json', utf16le(exported)));
  await expect(fresh.getByRole('status').filter({ hasText: 'Restored 1 case from unicode.json' })).toContainText('1 added');
  await fresh.getByRole('link', { name: 'Cases' }).click();
  await expect(fresh.getByRole('link', { name: new RegExp(`${ref}.*Travels as UTF-16`) })).toBeVisible();
});

test('an empty file gets the same message on the Data page and the playbook screen', async ({ page }) => {
  await openApp(page, '#/data');
  await page.getByLabel(RESTORE).setInputFiles(file('empty.json', ''));
  await expect(page.getByRole('alert')).toHaveText('Nothing was restored from empty.json. The file is empty.');
  await page.getByRole('link', { name: 'Playbook' }).click();
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('empty.json', ''));
  await expect(page.getByRole('alert')).toHaveText('Nothing changed: empty.json was not used. The file is empty.');
  // White space and a byte-order mark alone are empty too.
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('blank.json', Buffer.from([0xef, 0xbb, 0xbf, 0x0a, 0x20])));
  await expect(page.getByRole('alert')).toHaveText('Nothing changed: blank.json was not used. The file is empty.');
});

test("broken JSON is described in the person's words, with the place after them", async ({ page }) => {
  await openApp(page, '#/data');
  const deep = `{"format":"escalation-desk/cases","v":5,"cases":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  await page.getByLabel(RESTORE).setInputFiles(file('deep.json', deep));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing was restored from deep.json. This is not an Escalation Desk export. It is nested too deeply to be a file of ours (line 1, column 175).',
  );
  await page.getByLabel(RESTORE).setInputFiles(file('cut.json', '{\n  "format": "escalation-desk/cases",\n  "v": 5,\n  "cases": [{"id": "a'));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing was restored from cut.json. This is not an Escalation Desk export. It is not valid JSON: it ends too early, as if cut off (line 4, column 21).',
  );

  await page.getByRole('link', { name: 'Playbook' }).click();
  const playbook = JSON.stringify(await downloadPlaybook(page), null, 2);
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('half.json', playbook.slice(0, playbook.length / 2)));
  await expect(page.getByRole('alert')).toContainText(
    'Nothing changed: half.json was not used. This is not an Escalation Desk playbook. It is not valid JSON: it ends too early, as if cut off (line ',
  );
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('deep.json', '['.repeat(200)));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing changed: deep.json was not used. This is not an Escalation Desk playbook. It is nested too deeply to be a file of ours (line 1, column 128).',
  );
  await page.getByLabel(USE_PLAYBOOK).setInputFiles(file('notes.json', 'Playbook notes: call the customer back'));
  await expect(page.getByRole('alert')).toHaveText(
    'Nothing changed: notes.json was not used. This is not an Escalation Desk playbook. It is not valid JSON (line 1, column 1).',
  );
  for (const alert of await page.getByRole('alert').allInnerTexts()) {
    expect(alert).not.toMatch(/recursion limit|EOF while parsing|expected value|at line \d+ column/);
  }
});
