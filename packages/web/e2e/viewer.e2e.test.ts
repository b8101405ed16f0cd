import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decode } from 'fast-png';
import { Hono } from 'hono';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FixtureInstance, fixtureDicomWeb, loadInstance, str } from './fixture-dicomweb.ts';
import { assertBuilt, launchBrowser, listen, mountBuiltApp, SCREENSHOT_DIR } from './harness.ts';

// The viewer (issue #6 §8) in Debian's Chromium against the built app, served at /app/ as the server
// does, and a DICOMweb over pydicom's test files (fixture-dicomweb.ts, until the imaging routes land).
const TOKEN = 'e2e-token';
const CT_STUDY = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const DOCS_SCREENSHOT = resolve(import.meta.dirname, '../../../docs/screenshots/viewer.png');

/** The built app at /app/ and a fixture DICOMweb at /dicomweb, on 127.0.0.1. */
async function serveApp(instances: readonly FixtureInstance[], seen?: string[]) {
  const app = new Hono();
  app.route('/dicomweb', fixtureDicomWeb({ instances, token: TOKEN, seen }));
  mountBuiltApp(app);
  return listen(app);
}

/** Sign-in (issue #7) leaves the token in sessionStorage; then the viewer opens as a hash route. */
async function openViewer(page: Page, origin: string, study: string): Promise<Locator> {
  await page.goto(`${origin}/app/`);
  await page.evaluate((token) => sessionStorage.setItem('yiyun.token', token), TOKEN);
  await page.goto(`${origin}/app/#/viewer?study=${study}`);
  const viewport = page.locator('[data-testid="viewport"][data-rendered="true"]');
  await viewport.waitFor({ state: 'visible', timeout: 60_000 });
  return viewport;
}

interface Pixels {
  readonly gray: Float64Array;
  readonly distinct: number;
  readonly stddev: number;
}

/** Gray levels of what the element shows, from a PNG screenshot (whatever canvas kind Cornerstone uses). */
async function pixelsOf(target: Locator): Promise<Pixels> {
  const png = decode(await target.screenshot());
  const { channels, data } = png;
  const gray = new Float64Array(png.width * png.height);
  for (let i = 0; i < gray.length; i++) {
    const o = i * channels;
    gray[i] = channels >= 3 ? (data[o]! + data[o + 1]! + data[o + 2]!) / 3 : data[o]!;
  }
  const mean = gray.reduce((a, b) => a + b, 0) / gray.length;
  const variance = gray.reduce((a, b) => a + (b - mean) ** 2, 0) / gray.length;
  return { gray, distinct: new Set(gray).size, stddev: Math.sqrt(variance) };
}

function meanAbsDiff(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - (b[i] ?? 0));
  return sum / a.length;
}

async function dragWindowLevel(page: Page, viewport: Locator): Promise<void> {
  const box = (await viewport.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 250, y + 120, { steps: 15 });
  await page.mouse.up();
}

describe('DICOM viewer in Chromium', () => {
  beforeAll(() => assertBuilt());

  it('loads a CT study over DICOMweb with the bearer token, renders it and changes window/level', async () => {
    const seen: string[] = [];
    await using server = await serveApp([loadInstance('CT_small.dcm'), loadInstance('MR_small.dcm')], seen);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    const started = performance.now();
    const viewport = await openViewer(page, server.origin, CT_STUDY);
    const renderMs = performance.now() - started;
    const header = await page.getByTestId('study-header').textContent();
    expect(header).toContain('e+1'); // StudyDescription of CT_small
    expect(header).toContain('2004年1月19日');
    expect(header).toContain('CT');
    expect(await page.getByTestId('series-item').count()).toBe(1); // the MR study stays out

    const before = await pixelsOf(viewport);
    expect(before.distinct).toBeGreaterThan(32); // an image, not a blank or flat canvas
    expect(before.stddev).toBeGreaterThan(10);
    const shot = await page.screenshot();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await writeFile(resolve(SCREENSHOT_DIR, 'viewer-ct.png'), shot);
    await mkdir(resolve(DOCS_SCREENSHOT, '..'), { recursive: true });
    await writeFile(DOCS_SCREENSHOT, shot);

    await dragWindowLevel(page, viewport); // left button = WindowLevelTool
    await expect
      .poll(async () => meanAbsDiff(before.gray, (await pixelsOf(viewport)).gray), { timeout: 10_000 })
      .toBeGreaterThan(5);
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, 'viewer-ct-window-level.png') });

    const dicomweb = seen.filter((line) => line.includes('/dicomweb/'));
    expect(dicomweb.some((line) => line.endsWith('/frames/1'))).toBe(true);
    expect(dicomweb.filter((line) => !line.startsWith('token '))).toEqual([]);
    expect(pageErrors).toEqual([]);
    const rendering = await viewport.getAttribute('data-rendering');
    console.info(`viewer: first CT image rendered in ${renderMs.toFixed(0)} ms (${rendering} rendering)`);
  });

  it('decodes JPEG 2000 and JPEG-LS frames with the WASM codecs, identical to the uncompressed MR', async () => {
    await using browser = await launchBrowser();
    const shown: Record<string, Pixels> = {};
    // The three files share their UIDs (pydicom's re-encodings of one image): one server each.
    for (const name of ['MR_small.dcm', 'MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm']) {
      const instance = loadInstance(name);
      await using server = await serveApp([instance]);
      const page = await browser.context.newPage();
      const viewport = await openViewer(page, server.origin, str(instance.json, '0020000D'));
      shown[name] = await pixelsOf(viewport);
      await page.screenshot({ path: resolve(SCREENSHOT_DIR, `viewer-${name.replace('.dcm', '')}.png`) });
      await page.close();
    }
    const native = shown['MR_small.dcm']!;
    expect(native.distinct).toBeGreaterThan(32);
    expect(meanAbsDiff(native.gray, shown['MR_small_jp2klossless.dcm']!.gray)).toBeLessThan(0.5);
    expect(meanAbsDiff(native.gray, shown['MR_small_jpeg_ls_lossless.dcm']!.gray)).toBeLessThan(0.5);
  });

  it('says in Chinese why a study cannot be opened without a token', async () => {
    await using server = await serveApp([loadInstance('CT_small.dcm')]);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/app/#/viewer?study=${CT_STUDY}`);
    await expect
      .poll(() => page.getByTestId('viewer-error').textContent(), { timeout: 30_000 })
      .toContain('无权访问该检查');
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, 'viewer-unauthorized.png') });
  });

  it('shows the app shell in Chinese and switches to English', async () => {
    await using server = await serveApp([]);
    await using browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/app/`);
    await expect.poll(() => page.getByTestId('app-title').textContent(), { timeout: 30_000 }).toBe('医云');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByText('English').click();
    await expect.poll(() => page.getByTestId('app-title').textContent()).toBe('Yiyun');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.screenshot({ path: resolve(SCREENSHOT_DIR, 'home-en.png') });
  });
});
