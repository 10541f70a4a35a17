// Takes docs/images/dashboard.png: serves the built site (dist/, from `npm run build`)
// cross-origin isolated, runs one config in headless Chromium on the CPU backend and
// captures the page. Run: node scripts/dashboard-screenshot.mjs [--sweep] [URL]
// (with a URL, e.g. that of `npm start`, the page is taken from there instead).
// --sweep takes docs/images/dashboard-sweep.png: a sweep of Jsd × state run in the page,
// a point's tooltip showing and that point's result open under the figure.
// --long takes docs/images/dashboard-long-chain.png: an L = 32 run (basis "sector", made
// in Node by the built library) imported, three sites picked as lines, the map pointed at.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const sweep = process.argv.includes('--sweep');
const long = process.argv.includes('--long');
const out = join(root, 'docs', 'images', sweep ? 'dashboard-sweep.png' : long ? 'dashboard-long-chain.png' : 'dashboard.png');
const LONG_CONFIG = { N: 80, L: 32, basis: 'sector', state: 'T0', sigma: 2, d: 8, x2: 16, tEnd: 40, dt: 0.5 };
const SWEEP_CONFIG = { N: 60, L: 3, tEnd: 40, dt: 0.5 };
const SWEEP_GRID = 'Jsd=0.05:0.3:6\nstate=singlet,T0,T-';
const CONFIG = { N: 100, L: 4, tEnd: 60, dt: 0.5 };
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

let server;
let url = process.argv.slice(2).find((a) => !a.startsWith('--'));
if (!url) {
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/index.html is missing: run `npm run build` first');
  server = http.createServer(async (req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    const path = new URL(req.url, 'http://x').pathname;
    const file = normalize(join(dist, path === '/' ? 'index.html' : path));
    try {
      if (!file.startsWith(dist)) throw new Error('outside dist');
      res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.end(await readFile(file));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}/`;
}

const browser = await puppeteer.launch({
  executablePath: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p)),
  headless: true,
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 1100 });
  page.on("pageerror", (e) => console.error("pageerror", e.message)); page.on("console", (m) => { if (m.type() === "error") console.error("console", m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => customElements.get('spin-transfer-dashboard'));
  if (sweep) {
    await page.evaluate(async (config, grid) => {
      const el = document.querySelector('spin-transfer-dashboard');
      el.backend = 'cpu';
      el.config = config;
      el.preset = 'sweep';
      el.sweepGrid = grid;
      await el.run();
    }, SWEEP_CONFIG, SWEEP_GRID);
    // Open point 9 (Jsd = 0.2, singlet), then hover point 13 (Jsd = 0.25, T0) for its tooltip.
    const at = (index) => page.evaluate((i) => {
      const chart = document.querySelector('spin-transfer-dashboard').shadowRoot.querySelector('st-sweep-chart');
      const r = chart.canvas.getBoundingClientRect();
      const p = chart.positionOf(i);
      return { x: r.left + p.x, y: r.top + p.y };
    }, index);
    let p = await at(9);
    await page.mouse.click(p.x, p.y);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await page.evaluate(() => window.scrollTo(0, 0));
    p = await at(13);
    await page.mouse.move(p.x, p.y);
  } else if (long) {
    const { simulate } = await import(join(dist, 'src', 'simulate.js'));
    const result = await simulate(LONG_CONFIG, { backend: 'cpu' });
    await page.evaluate((r) => document.querySelector('spin-transfer-dashboard').showResult(r), result);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const j of ['0', '12', '24']) {
      await page.evaluate((site) => {
        const view = document.querySelector('spin-transfer-dashboard').shadowRoot.querySelector('st-result-view').shadowRoot;
        view.querySelector('#site-pick').value = site;
        view.querySelector('#site-add').click();
      }, j);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Scroll past the page's heading (the run bar stays at the top), then point at the map.
    const p = await page.evaluate(() => {
      const view = document.querySelector('spin-transfer-dashboard').shadowRoot.querySelector('st-result-view').shadowRoot;
      window.scrollTo(0, 160);
      const r = view.querySelector('st-space-time-map[data-map="sz-map"]').canvas.getBoundingClientRect();
      return { x: r.left + 0.3 * r.width, y: r.top + 0.3 * r.height };
    });
    await page.mouse.move(p.x, p.y);
  } else {
    // A run of the overlay first, so that the picture shows two curves.
    await page.evaluate(async (config) => {
      const el = document.querySelector('spin-transfer-dashboard');
      el.backend = 'cpu';
      el.config = { ...config, state: 'T0' };
      await el.run();
      el.config = config;
      await el.run();
    }, CONFIG);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server?.close();
}
