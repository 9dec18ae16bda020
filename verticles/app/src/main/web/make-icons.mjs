// Renders favicon.svg as the PNG icons the web app manifest names (icon-192.png, icon-512.png)
// with Debian's Chromium through playwright-core: `node make-icons.mjs` after changing the SVG.
// The PNGs are committed, so the build needs no browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const here = new URL('.', import.meta.url);
const svg = readFileSync(new URL('favicon.svg', here), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    await page.screenshot({ path: new URL(`icon-${size}.png`, here).pathname, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
