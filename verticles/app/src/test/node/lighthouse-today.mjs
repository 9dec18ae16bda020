// Lighthouse (Google's own audit, run on Debian's Chromium) on the Today view of a user with 500
// tasks due today: prints the accessibility, best-practices and performance scores as JSON on
// its last line and exits 1 when one is below its floor (95, 95, 90). Lighthouse's desktop
// settings (its simulated throttling for a desktop connection and CPU). Before the scores it
// prints the audits that lost points, the long tasks, the scripts' CPU and the console's errors:
// what to look at when a score drops.
// BASE_URL; TOKEN (the user; this script creates the tasks); CHROMIUM.
import lighthouse from 'lighthouse';
import desktop from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const base = process.env.BASE_URL;
const token = process.env.TOKEN;
const FLOORS = { accessibility: 0.95, 'best-practices': 0.95, performance: 0.9 };

/** One task; a 429 (the per-user rate limit) is asked again after its Retry-After. */
async function post(body) {
  for (;;) {
    const response = await fetch(`${base}/api/v1/tasks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status === 429) {
      await new Promise((r) => setTimeout(r, 1000 * (Number(response.headers.get('Retry-After')) || 1)));
      continue;
    }
    if (!response.ok) throw new Error(`POST /tasks: ${response.status} ${await response.text()}`);
    return;
  }
}

const today = new Date().toISOString().slice(0, 10);
const priorities = ['low', 'medium', 'high'];
for (let i = 0; i < 500; i += 10) {
  await Promise.all(Array.from({ length: 10 }, (_, j) => post({
    title: `Task ${i + j + 1} of the day`, dueDate: today, priority: priorities[(i + j) % 3], tags: [`tag${(i + j) % 7}`],
  })));
}

// the page is measured, not the server's backlog: Lighthouse starts once every creation has gone
// through the outbox, Kafka and the audit writer
async function audited() {
  let count = 0;
  let cursor = null;
  do {
    const response = await fetch(`${base}/api/v1/audit?type=task.created&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /audit: ${response.status} ${await response.text()}`);
    const page = await response.json();
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}
const until = Date.now() + 60000;
while (await audited() < 500) {
  if (Date.now() > until) throw new Error('the 500 creations did not reach the audit log within a minute');
  await new Promise((r) => setTimeout(r, 250));
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let scores;
try {
  const result = await lighthouse(`${base}/#token=${token}`, {
    port: chrome.port, output: 'json', logLevel: 'error',
    onlyCategories: Object.keys(FLOORS),
  }, desktop);
  const { categories, audits } = result.lhr;
  if (result.lhr.runtimeError) console.log(`runtime error: ${JSON.stringify(result.lhr.runtimeError)}`);
  scores = Object.fromEntries(Object.keys(FLOORS).map((k) => [k, categories[k].score]));
  for (const [key, category] of Object.entries(categories)) {
    for (const ref of category.auditRefs) {
      const audit = audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        console.log(`${key}: ${audit.id} ${audit.score} ${audit.displayValue || ''} ${audit.title}`);
      }
    }
  }
  // what held the main thread: the long tasks and the script that ran in them, for a low score
  for (const task of (audits['long-tasks'].details || { items: [] }).items.slice(0, 8)) {
    console.log(`long task: ${Math.round(task.duration)} ms at ${Math.round(task.startTime)} ms ${task.url}`);
  }
  for (const item of (audits['bootup-time'].details || { items: [] }).items.slice(0, 5)) {
    console.log(`script: ${item.url} ${Math.round(item.scripting)} ms scripting, ${Math.round(item.scriptParseCompile)} ms parse`);
  }
  for (const item of (audits['errors-in-console'].details || { items: [] }).items) {
    console.log(`console error: ${item.source} ${item.url || ''} ${item.description}`);
  }
  console.log(`metrics: ${['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
    .map((id) => `${id} ${audits[id].displayValue}`).join(', ')}`);
} finally {
  await chrome.kill();
}
console.log(JSON.stringify(scores));
const low = Object.entries(FLOORS).filter(([k, floor]) => scores[k] < floor);
process.exit(low.length ? 1 : 0);
