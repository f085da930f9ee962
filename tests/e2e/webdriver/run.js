// The core flow in browsers Playwright can't drive here, through WebDriver: Firefox ESR
// (geckodriver) and WebKit, Safari's engine (WebKitGTK's MiniBrowser under Xvfb). Open a
// case, triage it, look at the handoff, reload and find it again. Then where engines differ:
// copying the handoff (clipboard permissions), a full storage (the quota error's name), and a
// second window seeing an edit (storage events), and the round trip desk -> console -> desk.
// Prints "webdriver: N passed, N failed" for .ci/test.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { Builder, By, until } = require('selenium-webdriver');
const firefox = require('selenium-webdriver/firefox');

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const PORT = 4231;
const BASE = `http://127.0.0.1:${PORT}/`;
// The embed flow: the demo helpdesk on one port, a copy of the app allowing it on another.
const HOST_PORT = 4233;
const APP_PORT = 4234;
const HOST = `http://127.0.0.1:${HOST_PORT}/`;
const APP = `http://127.0.0.1:${APP_PORT}/`;
/** How long a screen may take to show an element: WebKit compiling the wasm on two busy cores
 *  once took over 5 s, and the console's Playbook screen holds the whole studio. */
const APPEAR = 15000;

async function waitFor(url) {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch (e) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} never answered`);
}

/** The form control whose <label> reads `text` (as a screen reader would name it). */
async function byLabel(driver, text) {
  const label = await driver.wait(until.elementLocated(By.xpath(`//label[starts-with(normalize-space(), "${text}")]`)), APPEAR);
  return driver.findElement(By.id(await label.getAttribute('for')));
}

async function button(driver, text) {
  return driver.wait(until.elementLocated(By.xpath(`//*[self::button or self::a][normalize-space()="${text}"]`)), APPEAR);
}

/** Opens the handoff's exact text (the preview shows the summary formatted first). */
async function showExact(driver) {
  const summary = await driver.wait(until.elementLocated(By.xpath('//summary[normalize-space()="Exactly what will be copied"]')), APPEAR);
  const open = await driver.executeScript('return arguments[0].parentElement.open;', summary);
  if (!open) await summary.click();
}

async function textOf(driver, xpath) {
  const el = await driver.wait(until.elementLocated(By.xpath(xpath)), APPEAR);
  return el.getText();
}

async function expectText(driver, xpath, want) {
  // The element found may be replaced before its text is read (the app re-renders the screen
  // when a host's ticket arrives): a stale element means "look again", not a failure.
  const shows = async () => {
    try {
      return (await textOf(driver, xpath)).includes(want);
    } catch (e) {
      if (e.name === 'StaleElementReferenceError') return false;
      throw e;
    }
  };
  await driver.wait(shows, 5000, `“${want}” never appeared in ${xpath}`);
}

async function coreFlow(driver) {
  await driver.get(BASE);
  await expectText(driver, '//h1', 'Cases');
  await (await button(driver, 'New case')).click();
  await (await byLabel(driver, 'Subject')).sendKeys('Firefox: customer insists on a manager');
  await (await byLabel(driver, 'Name')).sendKeys('Björn Öberg');
  await (await button(driver, 'Open case')).click();
  await expectText(driver, '//h1', 'Firefox: customer insists on a manager');
  await (await button(driver, 'Start triage')).click();
  await expectText(driver, '//h1', 'Triage');
  await (await byLabel(driver, 'Insists on a supervisor or manager')).click();
  for (let i = 1; i <= 3; i++) {
    await expectText(driver, '//fieldset[contains(@class, "question")]//legend', `Question ${i} of up to 4`);
    await (await driver.findElement(By.xpath('//fieldset[contains(@class, "question")]//button[normalize-space()="No"]'))).click();
  }
  await expectText(driver, '//h2[@id="result-title"]', 'Recommended: Level 1: supervisor or team lead');
  await (await button(driver, 'Accept: escalate to Level 1: supervisor or team lead')).click();
  await expectText(driver, '//h2[@id="status-title"]', 'Status: Escalated');
  await (await button(driver, 'Prepare the handoff')).click();
  await showExact(driver);
  await expectText(driver, '//pre', '**Level:** Level 1: supervisor or team lead (P3)');
  await driver.navigate().refresh();
  await showExact(driver);
  await expectText(driver, '//pre', 'Björn Öberg');
  await driver.get(BASE);
  await expectText(driver, '//ul[@aria-label="Cases found"]', 'Firefox: customer insists on a manager');
}

/** Copy the handoff: the Clipboard API where the engine allows it, else the selected text. */
async function copyFlow(driver) {
  await driver.get(BASE);
  await (await driver.wait(until.elementLocated(By.xpath('//ul[@aria-label="Cases found"]//a')), APPEAR)).click();
  // Level 1 needs a description before the handoff goes; the missing steps only warn.
  await (await byLabel(driver, 'Description')).sendKeys('Third call about a late delivery; wants a manager.');
  await expectText(driver, '//*[contains(@class, "save-state")]', 'All changes saved');
  await (await button(driver, 'Prepare the handoff')).click();
  await showExact(driver);
  await expectText(driver, '//pre', 'Third call about a late delivery');
  await (await byLabel(driver, 'Send it anyway')).click();
  await (await button(driver, 'Copy to clipboard')).click();
  let said = '';
  await driver.wait(async () => {
    const texts = await driver.findElements(By.xpath('//*[@role="status" or @role="alert"]'));
    for (const t of texts) {
      const s = await t.getText();
      if (s.includes('Copied. Paste it into the ticket.') || s.includes("The browser didn't allow copying")) {
        said = s;
        return true;
      }
    }
    return false;
  }, 5000, 'copying said nothing');
  const fallback = (await driver.findElements(By.id('handoff-fallback'))).length > 0;
  if (said.includes('Copied')) {
    await (await button(driver, 'Back to the case')).click();
    await expectText(driver, '//section[@aria-labelledby="timeline-title"]', 'Handoff copied as Markdown');
  }
  return fallback ? `selected-text fallback: ${said.split('.')[0]}` : 'Clipboard API';
}

/** A storage that is full: the edit stays on screen with a banner, and retry saves it. */
async function fullStorageFlow(driver) {
  await driver.get(BASE);
  await expectText(driver, '//h1', 'Cases');
  const error = await driver.executeScript(() => {
    let name = '';
    let size = 256 * 1024;
    let i = 0;
    while (size >= 16) {
      try {
        localStorage.setItem(`junk:${i++}`, 'x'.repeat(size));
      } catch (e) {
        name = e.name;
        size = Math.floor(size / 2);
      }
    }
    return name;
  });
  await (await button(driver, 'New case')).click();
  await (await byLabel(driver, 'Subject')).sendKeys('Storage is full here');
  await (await button(driver, 'Open case')).click();
  await expectText(driver, '//section[@aria-labelledby="write-failure-title"]', 'Not saved');
  await expectText(driver, '//section[@aria-labelledby="write-failure-title"]', 'full');
  await driver.executeScript(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('junk:')) localStorage.removeItem(k);
  });
  const left = await driver.executeScript(() => Object.keys(localStorage).filter((k) => k.startsWith('junk:')).length);
  const bannerGone = async () => (await driver.findElements(By.xpath('//section[@aria-labelledby="write-failure-title"]'))).length === 0;
  await (await button(driver, 'Try saving again')).click();
  try {
    await driver.wait(bannerGone, 5000).catch(async () => {
      // WebKit frees the quota of removed keys a moment late (its storage lives in another
      // process); an agent would simply try again, and so does this.
      await (await button(driver, 'Try saving again')).click();
      await driver.wait(bannerGone, 5000);
    });
  } catch (e) {
    const banner = await driver.findElements(By.xpath('//section[@aria-labelledby="write-failure-title"]'));
    const text = banner.length ? await banner[0].getText() : '';
    throw new Error(`the banner stayed after the retry (${left} junk keys left): ${text}`);
  }
  return error;
}

/** Two windows on one case: a save in one shows in the other (the storage event). */
async function twoWindowFlow(driver) {
  await driver.get(BASE);
  await (await driver.wait(until.elementLocated(By.xpath('//ul[@aria-label="Cases found"]//a[contains(., "Storage is full here")]')), APPEAR)).click();
  await expectText(driver, '//h1', 'Storage is full here');
  const url = await driver.getCurrentUrl();
  const first = await driver.getWindowHandle();
  await driver.switchTo().newWindow('window');
  await driver.get(url);
  const subject = await byLabel(driver, 'Subject');
  await subject.clear();
  await subject.sendKeys('Edited in the second window');
  await expectText(driver, '//*[contains(@class, "save-state")]', 'All changes saved');
  await expectText(driver, '//h1', 'Edited in the second window');
  await driver.close();
  await driver.switchTo().window(first);
  await expectText(driver, '//h1', 'Edited in the second window');
}

/** Desk -> console -> desk: the playbook opens in the console (its own page and wasm), a
 *  reload keeps it, and the console's navigation leads back to a case on the desk. */
async function doorsFlow(driver) {
  await driver.get(BASE);
  await expectText(driver, '//h1', 'Cases');
  await (await driver.wait(until.elementLocated(By.xpath('//nav[@aria-label="Main"]//a[normalize-space()="Playbook"]')), APPEAR)).click();
  await expectText(driver, '//h1', 'Playbook');
  await driver.wait(async () => (await driver.getCurrentUrl()).endsWith('console.html#/playbook'), APPEAR);
  await driver.navigate().refresh();
  await expectText(driver, '//h1', 'Playbook');
  await (await driver.wait(until.elementLocated(By.xpath('//nav[@aria-label="Main"]//a[normalize-space()="Cases"]')), APPEAR)).click();
  await expectText(driver, '//h1', 'Cases');
  await (await driver.wait(until.elementLocated(By.xpath('(//ul[@aria-label="Cases found"]//a)[1]')), APPEAR)).click();
  await expectText(driver, '//h1', 'ESC-');
}

/** A panel that stops (the release build stops the wasm at once on a panic) shows the crash
 *  screen with the download of everything: each engine reports the trap to the page. */
async function crashFlow(driver) {
  await driver.get(`${BASE}#/crash-test`);
  await expectText(driver, '//section[@role="alert"]/h1', 'Escalation Desk stopped');
  await button(driver, 'Download everything');
}

/** The demo helpdesk on another origin, sending no referrer: the panel still connects. */
async function embedFlow(driver) {
  await driver.get(`${HOST}?referrer=none&app=${encodeURIComponent(APP)}`);
  // The host sets the frame's address as it loads: find the frame again if it went stale.
  for (let attempt = 0; ; attempt++) {
    try {
      const frame = await driver.wait(until.elementLocated(By.css('iframe[title="Escalation Desk panel"]')), APPEAR);
      await driver.switchTo().frame(frame);
      break;
    } catch (e) {
      if (attempt >= 3 || e.name !== 'StaleElementReferenceError') throw e;
      await driver.sleep(300);
    }
  }
  try {
    await expectText(driver, '//h1', 'Invoice charged twice, customer furious');
    const how = await driver.executeScript(() => (location.ancestorOrigins ? 'ancestorOrigins' : 'no ancestorOrigins: ready sent to each allowed origin'));
    return how;
  } finally {
    await driver.switchTo().defaultContent();
  }
}

async function firefoxDriver() {
  const options = new firefox.Options().addArguments('-headless').setBinary('/usr/bin/firefox-esr');
  const service = new firefox.ServiceBuilder(process.env.GECKODRIVER || 'geckodriver');
  return { driver: await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build(), stop: () => {} };
}

async function webkitDriver() {
  const port = 4232;
  const proc = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true });
  await new Promise((r) => setTimeout(r, 1500));
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${port}`)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': {
        binary: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
        args: ['--automation'],
      },
    })
    .build();
  return {
    driver,
    stop: () => {
      try {
        process.kill(-proc.pid);
      } catch (e) {
        // already gone
      }
    },
  };
}

(async () => {
  const server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1', '--directory', dist], { stdio: 'ignore' });
  const appCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'escdesk-wd-app-'));
  fs.cpSync(dist, appCopy, { recursive: true });
  fs.writeFileSync(path.join(appCopy, 'embed.json'), JSON.stringify({ allowedOrigins: ['http://127.0.0.1:4299', `http://127.0.0.1:${HOST_PORT}`] }));
  const hostServer = spawn('python3', ['-m', 'http.server', String(HOST_PORT), '--bind', '127.0.0.1', '--directory', path.join(__dirname, '..', 'host')], { stdio: 'ignore' });
  const appServer = spawn('python3', ['-m', 'http.server', String(APP_PORT), '--bind', '127.0.0.1', '--directory', appCopy], { stdio: 'ignore' });
  let passed = 0;
  let failed = 0;
  try {
    await waitFor(BASE);
    await waitFor(HOST);
    await waitFor(APP);
    for (const [name, start] of [['Firefox ESR', firefoxDriver], ['WebKit (MiniBrowser)', webkitDriver]]) {
      let session = null;
      try {
        session = await start();
        const flows = [
          ['open a case, triage, handoff, reload and find it again', coreFlow],
          ['copy the handoff (clipboard, or the selected-text fallback)', copyFlow],
          ['a full storage keeps the edit and says so; retry saves it', fullStorageFlow],
          ['an edit in a second window shows in the first', twoWindowFlow],
          ['desk -> console -> desk, with a reload in the console', doorsFlow],
          ['embedded in a helpdesk that sends no referrer, a ticket opens its case', embedFlow],
          ['a panic shows the crash screen and its download', crashFlow],
        ];
        for (const [what, flow] of flows) {
          try {
            let note;
            try {
              note = await flow(session.driver);
            } catch (first) {
              // WebKitGTK's MiniBrowser now and then lands a reload on the case list
              // (seen 2 runs in 7 on 2026-11-27, never in Firefox or Chromium): one more try,
              // with the first failure and the page it showed kept in the log.
              if (!name.startsWith('WebKit')) throw first;
              const shown = await session.driver.executeScript('return location.href').catch(() => 'a closed browser');
              console.log(`  ! ${name}: ${what}: first try failed at ${shown}: ${first.message || first}`);
              // In a fresh browser: the first one may be gone.
              await session.driver.quit().catch(() => {});
              session.stop();
              session = await start();
              note = await flow(session.driver);
            }
            passed += 1;
            console.log(`  ✓ ${name}: ${what}${note ? ` (${note})` : ''}`);
          } catch (e) {
            failed += 1;
            console.log(`  ✘ ${name}: ${what}: ${e.name}: ${e.message || e}`);
            // What the page showed, for the log.
            const shown = await session.driver
              .executeScript('return location.href + "\\n" + (document.querySelector("main") || document.body).innerText.slice(0, 600)')
              .catch(() => '');
            console.log(`    the page: ${shown.replace(/\n/g, '\n    ')}`);
          }
        }
      } catch (e) {
        failed += 1;
        console.log(`  ✘ ${name}: ${e.name}: ${e.message || e}`);
      } finally {
        if (session) {
          await session.driver.quit().catch(() => {});
          session.stop();
        }
      }
    }
  } finally {
    server.kill();
    hostServer.kill();
    appServer.kill();
  }
  console.log(`webdriver: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
