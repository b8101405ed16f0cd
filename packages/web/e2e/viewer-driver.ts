import { decode } from 'fast-png';
import type { Locator, Page } from 'playwright-core';

/**
 * A tab already signed in with `token` (obtained through the real authorization-code flow): the
 * session the portal's sign-in leaves in sessionStorage, there before the app's first script. The
 * sign-in itself is driven through the provider's pages in portal.e2e.test.ts.
 */
export async function signedInPage(page: Page, token: string): Promise<Page> {
  await page.addInitScript((value) => {
    sessionStorage.setItem(
      'yiyun.session',
      JSON.stringify({ accessToken: value, expiresAt: Date.now() + 600_000 }),
    );
    sessionStorage.setItem('yiyun.token', value);
  }, token);
  return page;
}

/** A DICOMweb exchange of the page: the request's URL, whether it carried the token, the answer. */
export interface SeenRequest {
  readonly url: string;
  readonly hasToken: boolean;
  readonly status: number;
  readonly contentType: string;
  /** The response body as Latin-1 text (enough to look for leaked attribute values). */
  readonly body: string;
}

/**
 * Records every `/dicomweb/` exchange of the page (the viewer's fetches and the image loader's
 * XHRs); `settled()` waits for the bodies of those seen so far.
 */
export function recordDicomweb(page: Page, token: string): { settled(): Promise<SeenRequest[]> } {
  const pending: Promise<SeenRequest>[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (!new URL(request.url()).pathname.startsWith('/dicomweb/')) return;
    const hasToken = request.headers()['authorization'] === `Bearer ${token}`;
    const body = response.body().then(
      (bytes) => bytes.toString('latin1'),
      () => '', // a body the page navigated away from
    );
    const answer = { url: request.url(), hasToken, status: response.status() };
    const contentType = response.headers()['content-type'] ?? '';
    pending.push(body.then((text) => ({ ...answer, contentType, body: text })));
  });
  return { settled: () => Promise.all(pending) };
}

/** Bytes of scripts and WebAssembly the page received (encoded, as on the wire), by file name. */
export function recordCode(page: Page): { settled(): Promise<Map<string, number>> } {
  const pending: Promise<[string, number]>[] = [];
  page.on('requestfinished', (request) => {
    const name = new URL(request.url()).pathname.split('/').at(-1) ?? '';
    if (!/\.(js|wasm)$/.test(name)) return;
    pending.push(request.sizes().then((sizes) => [name, sizes.responseBodySize]));
  });
  return { settled: async () => new Map(await Promise.all(pending)) };
}

export const RENDERED = '[data-testid="viewport"][data-rendered="true"]';

/** Opens `#/viewer?study=…` and waits for the first image; the milliseconds it took. */
export async function openViewer(
  page: Page,
  origin: string,
  study: string,
): Promise<{ viewport: Locator; firstImageMs: number }> {
  const started = performance.now();
  await page.goto(`${origin}/app/#/viewer?study=${study}`);
  const viewport = page.locator(RENDERED);
  await viewport.waitFor({ state: 'visible', timeout: 60_000 });
  return { viewport, firstImageMs: performance.now() - started };
}

export interface Pixels {
  readonly gray: Float64Array;
  readonly distinct: number;
  readonly stddev: number;
}

/** Gray levels of what the element shows, from a PNG screenshot (whatever canvas kind Cornerstone uses). */
export async function pixelsOf(target: Locator): Promise<Pixels> {
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

/**
 * What the element shows once it has settled: two screenshots in a row alike. On a loaded machine
 * the first rendered frame can still be resizing or awaiting its window/level.
 */
export async function settledPixelsOf(target: Locator, timeoutMs = 15_000): Promise<Pixels> {
  const until = Date.now() + timeoutMs;
  let last = await pixelsOf(target);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await pixelsOf(target);
    if (
      (next.gray.length === last.gray.length && meanAbsDiff(last.gray, next.gray) === 0) ||
      Date.now() > until
    )
      return next;
    last = next;
  }
}

export function meanAbsDiff(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - (b[i] ?? 0));
  return sum / a.length;
}

async function centreOf(page: Page, viewport: Locator): Promise<{ x: number; y: number }> {
  const box = await viewport.boundingBox();
  if (!box) throw new Error('viewport not laid out');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(centre.x, centre.y);
  return centre;
}

/** Left-button drag: the WindowLevelTool. */
export async function dragWindowLevel(page: Page, viewport: Locator): Promise<void> {
  const { x, y } = await centreOf(page, viewport);
  await page.mouse.down();
  await page.mouse.move(x + 250, y + 120, { steps: 15 });
  await page.mouse.up();
}

/** One notch of the mouse wheel over the viewport: the StackScrollTool pages one image on. */
export async function wheelOnce(page: Page, viewport: Locator): Promise<void> {
  await centreOf(page, viewport);
  await page.mouse.wheel(0, 120);
}
