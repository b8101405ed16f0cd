import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type Browser, launchBrowser, SCREENSHOT_DIR } from './harness.ts';
import {
  dragWindowLevel,
  meanAbsDiff,
  openViewer,
  type Pixels,
  pixelsOf,
  recordCode,
  recordDicomweb,
  settledPixelsOf,
  signedInPage,
  wheelOnce,
} from './viewer-driver.ts';
import { openViewerPlatform, type ViewerPlatform } from './viewer-platform.ts';
import {
  CT_STUDY,
  codecVariants,
  MR_STUDY,
  pydicomFile,
  STACK_STUDY,
  stackSeries,
} from './viewer-studies.ts';

// The viewer (issue #6 §8) in Debian's Chromium against the real platform: the built app at /app/,
// DICOMweb at /dicomweb behind the access policy and the audit log, images stored through STOW-RS.
const DOCS_SCREENSHOT = resolve(import.meta.dirname, '../../../docs/screenshots/viewer.png');
const CODECS = codecVariants();
/** CT_small's description, date, patient name and ID: what an outsider must not see. */
const CT_DETAILS = ['e+1', '20040119', '2004年1月19日', 'CompressedSamples', '1CT1'];
const TRANSFER_SYNTAX = {
  native: '1.2.840.10008.1.2.1',
  jp2k: '1.2.840.10008.1.2.4.90', // JPEG 2000 lossless (PS3.5 §A.4.4)
  jls: '1.2.840.10008.1.2.4.80', // JPEG-LS lossless (PS3.5 §A.4.3)
} as const;
/** What the viewer shows when QIDO-RS finds no series for the study (no distinct not-found state yet). */
const NOTHING_TO_SHOW = '未找到该检查，或您无权查看';

let platform: ViewerPlatform;
let browser: Browser;

beforeAll(async () => {
  assertBuilt();
  platform = await openViewerPlatform([
    pydicomFile('CT_small.dcm', CT_STUDY),
    pydicomFile('MR_small.dcm', MR_STUDY),
    ...stackSeries(),
    CODECS.jp2k,
    CODECS.jls,
  ]);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.[Symbol.asyncDispose]();
  await platform?.[Symbol.asyncDispose]();
});

/** A new tab; page errors collected. */
async function newTab(token?: string): Promise<{ page: Page; pageErrors: string[] }> {
  const page = await browser.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  if (token) await signedInPage(page, token);
  return { page, pageErrors };
}

async function saveScreenshot(page: Page, name: string): Promise<Buffer> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return page.screenshot({ path: resolve(SCREENSHOT_DIR, name) });
}

describe('DICOM viewer in Chromium on the real platform', () => {
  it('shows a CT study to a clinician of the hospital that stored it, with window/level, and audits the read', async () => {
    const { token, accountId } = platform.clinician;
    const { page, pageErrors } = await newTab(token);
    const dicomweb = recordDicomweb(page, token);
    const code = recordCode(page);
    const { viewport, firstImageMs } = await openViewer(page, platform.origin, CT_STUDY);
    const header = await page.getByTestId('study-header').textContent();
    expect(header).toContain('e+1'); // StudyDescription of CT_small
    expect(header).toContain('2004年1月19日');
    expect(header).toContain('CT');
    expect(await page.getByTestId('series-item').count()).toBe(1); // the other studies stay out

    const before = await settledPixelsOf(viewport);
    expect(before.distinct).toBeGreaterThan(32); // an image, not a blank or flat canvas
    expect(before.stddev).toBeGreaterThan(10);
    const shot = await saveScreenshot(page, 'viewer-ct.png');
    await mkdir(resolve(DOCS_SCREENSHOT, '..'), { recursive: true });
    await writeFile(DOCS_SCREENSHOT, shot);

    await dragWindowLevel(page, viewport); // left button = WindowLevelTool
    await expect
      .poll(async () => meanAbsDiff(before.gray, (await pixelsOf(viewport)).gray), { timeout: 10_000 })
      .toBeGreaterThan(5);
    await saveScreenshot(page, 'viewer-ct-window-level.png');

    const seen = await dicomweb.settled();
    expect(seen.some((r) => r.url.endsWith('/frames/1') && r.status === 200)).toBe(true);
    expect(seen.filter((r) => !r.hasToken)).toEqual([]);
    expect(pageErrors).toEqual([]);
    const rendering = await viewport.getAttribute('data-rendering');
    const kib = [...(await code.settled())].map(
      ([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`,
    );
    console.info(
      `viewer: first CT image ${firstImageMs.toFixed(0)} ms after navigation, cold cache (${rendering});`,
    );
    console.info(`viewer: code received: ${kib.join(', ')}`);

    // The retrieve is in the audit trail: a BALP read by this account, naming the study.
    const events = await platform.auditEventsOf(accountId);
    const reads = events.filter(
      (e) => e.action === 'R' && JSON.stringify(e.entity ?? []).includes(`StudyInstanceUID ${CT_STUDY}`),
    );
    expect(reads.length, JSON.stringify(events.map((e) => [e.action, e.outcomeDesc]))).toBeGreaterThan(0);
    expect(reads.every((e) => e.outcome === '0')).toBe(true);
    await page.close();
  });

  it('pages through a three-slice series with the mouse wheel', async () => {
    const { page, pageErrors } = await newTab(platform.clinician.token);
    const { viewport, firstImageMs } = await openViewer(page, platform.origin, STACK_STUDY);
    console.info(`viewer: first stack image ${firstImageMs.toFixed(0)} ms after navigation, warm cache`);
    const position = page.getByTestId('image-position');
    expect(await position.textContent()).toBe('第 1 / 3 幅');
    const first = await settledPixelsOf(viewport);
    await saveScreenshot(page, 'viewer-stack-1.png');

    await wheelOnce(page, viewport);
    await expect.poll(() => position.textContent(), { timeout: 10_000 }).toBe('第 2 / 3 幅');
    await expect
      .poll(async () => meanAbsDiff(first.gray, (await pixelsOf(viewport)).gray), { timeout: 10_000 })
      .toBeGreaterThan(2);
    const second = await settledPixelsOf(viewport);
    await wheelOnce(page, viewport);
    await expect.poll(() => position.textContent(), { timeout: 10_000 }).toBe('第 3 / 3 幅');
    await expect
      .poll(async () => meanAbsDiff(second.gray, (await pixelsOf(viewport)).gray), { timeout: 10_000 })
      .toBeGreaterThan(2);
    await saveScreenshot(page, 'viewer-stack-3.png');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a clinician of another institution nothing of the study', async () => {
    const { token } = platform.outsider;
    const { page } = await newTab(token);
    const dicomweb = recordDicomweb(page, token);
    await page.goto(`${platform.origin}/app/#/viewer?study=${CT_STUDY}`);
    // The study is invisible to h2 as if it did not exist (QIDO-RS matches nothing).
    await expect
      .poll(() => page.locator('body').textContent(), { timeout: 30_000 })
      .toContain(NOTHING_TO_SHOW);
    await saveScreenshot(page, 'viewer-other-institution.png');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(await page.getByTestId('series-item').count()).toBe(0);
    expect(await page.getByTestId('viewport').count()).toBe(0);
    expect(await page.getByTestId('viewer-error').count()).toBe(1);
    const seen = await dicomweb.settled();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((r) => !r.hasToken)).toEqual([]);
    // Neither the page nor any DICOMweb answer names the patient or describes the study.
    for (const detail of CT_DETAILS) {
      expect(text).not.toContain(detail);
      expect(seen.filter((r) => r.body.includes(detail)).map((r) => r.url)).toEqual([]);
    }
    console.info(
      `viewer (other institution): ${seen.map((r) => `${r.status} ${new URL(r.url).pathname}`).join(', ')}`,
    );
    await page.close();
  });

  it('decodes JPEG 2000 and JPEG-LS frames with the WASM codecs, identical to the uncompressed MR', async () => {
    const shown: Partial<Record<keyof typeof CODECS, Pixels>> = {};
    for (const [variant, file] of Object.entries(CODECS) as [
      keyof typeof CODECS,
      (typeof CODECS)['native'],
    ][]) {
      const { page, pageErrors } = await newTab(platform.clinician.token);
      const dicomweb = recordDicomweb(page, platform.clinician.token);
      const { viewport, firstImageMs } = await openViewer(page, platform.origin, file.study);
      // Playwright reports the exchange asynchronously: on a loaded machine the image can be on
      // screen before the frame's response event has reached the test.
      await expect
        .poll(async () => (await dicomweb.settled()).some((r) => r.url.endsWith('/frames/1')), {
          timeout: 10_000,
        })
        .toBe(true);
      const frame = (await dicomweb.settled()).find((r) => r.url.endsWith('/frames/1'));
      // Frames come as stored (the loader asks `transfer-syntax=*`): the browser decodes them.
      expect(frame?.contentType).toContain(`transfer-syntax=${TRANSFER_SYNTAX[variant]};`);
      shown[variant] = await settledPixelsOf(viewport);
      console.info(`viewer: first MR (${variant}) image ${firstImageMs.toFixed(0)} ms after navigation`);
      await saveScreenshot(page, `viewer-mr-${variant}.png`);
      expect(pageErrors).toEqual([]);
      await page.close();
    }
    expect(shown.native!.distinct).toBeGreaterThan(32);
    expect(meanAbsDiff(shown.native!.gray, shown.jp2k!.gray)).toBeLessThan(0.5);
    expect(meanAbsDiff(shown.native!.gray, shown.jls!.gray)).toBeLessThan(0.5);
  });

  it('sends a visitor who is not signed in to the sign-in page, and asks DICOMweb for nothing', async () => {
    const { page } = await newTab();
    const dicomweb: string[] = [];
    page.on('request', (r) => r.url().includes('/dicomweb/') && dicomweb.push(r.url()));
    await page.goto(`${platform.origin}/app/#/viewer?study=${CT_STUDY}`);
    await expect.poll(() => page.getByTestId('sign-in').textContent(), { timeout: 30_000 }).toContain('登录');
    await saveScreenshot(page, 'viewer-unauthorized.png');
    expect(dicomweb).toEqual([]);
    await page.close();
  });

  it('shows the app shell in Chinese and switches to English', async () => {
    // A browser of its own: the language choice persists in the profile.
    await using own = await launchBrowser();
    const page = await own.context.newPage();
    await page.goto(`${platform.origin}/app/`);
    await expect.poll(() => page.getByTestId('app-title').textContent(), { timeout: 30_000 }).toBe('医云');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByText('English').click();
    await expect.poll(() => page.getByTestId('app-title').textContent()).toBe('Yiyun');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await saveScreenshot(page, 'home-en.png');
  });
});
