// Shared by the browser scenarios: Debian's Chromium driven by playwright-core (installed by the
// Maven build's `npm ci` in src/main/web), polling assertions, screenshots, and the line
// protocol with BrowserIT (a scenario prints "@@ <command>", the test answers "ok <command>").
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const require = createRequire(new URL('../../main/web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

// this machine's network is closed: without these Chromium hangs on its own outbound connections
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
}

/** A page in a fresh context (its own storage, like another browser profile). */
export async function openPage(browser, url, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`[${name}] page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`[${name}] console ${m.type()}: ${m.text()}`);
  });
  await page.goto(url);
  return { context, page };
}

const started = Date.now();
export function log(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(2)}s] ${text}`);
}

export function step(text) {
  log(`-- ${text}`);
}

/**
 * Polls until the probe's value satisfies the check; fails with what it saw last.
 * @returns the elapsed milliseconds
 */
export async function eventually(what, probe, check, timeout = 5000) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      last = await probe();
      if (check(last)) {
        return Date.now() - start;
      }
    } catch (e) {
      last = `error: ${e.message}`;
    }
    if (Date.now() - start > timeout) {
      throw new Error(`${what}: not so within ${timeout} ms; last saw ${JSON.stringify(last)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(`assertion failed: ${message}`);
  }
}

export function same(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * The API as one user, beside the page: `api(method, path, body)` resolves with the JSON answer
 * and fails with the status and the problem on an error.
 */
export function apiAs(base, token) {
  return async (method, path, body) => {
    const response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    assert(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Titles of the rows a list shows, top to bottom. */
export function titles(page, list = '#task-list') {
  return page.locator(`${list} > li .title`).allTextContents();
}

/** Goes to a view through the sidebar (opening the drawer first on a phone). */
export async function view(page, name) {
  const link = page.locator(`#sidebar a[href="#${name}"]`);
  if (!(await link.isVisible())) await page.locator('#menu-button').click();
  await link.click();
  await page.locator(`#sidebar a[href="#${name}"][aria-current="page"]`).waitFor({ state: 'attached' });
}

/** Opens the side panel of a task by clicking its title. */
export async function openTask(page, title) {
  await row(page, title).locator('.title').click();
  await page.locator('#panel form.edit-form, #panel #panel-actions').first().waitFor();
  return page.locator('#panel');
}

/** Opens the "New task" panel; returns its form. */
export async function newTask(page) {
  await page.locator('#new-task').click();
  const form = page.locator('#create-form');
  await form.waitFor();
  return form;
}

export function connection(page) {
  return page.locator('#connection').getAttribute('data-state');
}

export async function connected(page, timeout = 10000) {
  return eventually('the connection indicator says connected', () => connection(page),
    (s) => s === 'connected', timeout);
}

export function row(page, title, list = '#task-list') {
  return page.locator(`${list} > li`).filter({
    has: page.locator('.title', { hasText: new RegExp(`^${escape(title)}$`) }),
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  log(`screenshot ${name}.png`);
}

/** Asks BrowserIT to do something (kill a process, start one) and waits until it is done. */
const answers = [];
let waiting = null;
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (waiting) {
    const w = waiting;
    waiting = null;
    w(line);
  } else {
    answers.push(line);
  }
});
export async function control(command, timeout = 90000) {
  console.log(`@@ ${command}`);
  const line = answers.length ? answers.shift() : await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${command}`)), timeout);
    waiting = (l) => {
      clearTimeout(timer);
      resolve(l);
    };
  });
  if (line !== `ok ${command}`) {
    throw new Error(`${command} failed: ${line}`);
  }
}

/** Runs a scenario: exit code 0 when it passes, 1 with the error otherwise. */
export async function run(scenario) {
  let browser;
  try {
    browser = await launch();
    await scenario(browser);
    log('PASSED');
    await browser.close();
    process.exit(0);
  } catch (e) {
    console.error(`FAILED: ${e.stack || e}`);
    if (browser) await browser.close().catch(() => {});
    process.exit(1);
  }
}
