import { init as initCore, isCornerstoneInitialized } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import {
  addTool,
  init as initTools,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { authorizationFor } from './access-token.tsx';

export interface CornerstoneSetupOptions {
  /** Read on every request, so a token refreshed by sign-in is picked up without re-initialising. */
  readonly token: () => string | undefined;
  readonly appOrigin: string;
}

/**
 * Cornerstone keeps its state (caches, loaders, tool registry) in the page, so it is initialised once
 * per page; later calls are no-ops. The DICOM loader sends the bearer token on each WADO-RS request
 * through its `beforeSend` hook (its XHR requests do not go through our fetch wrapper).
 */
export function setUpCornerstone(options: CornerstoneSetupOptions): void {
  if (isCornerstoneInitialized()) return;
  initCore();
  initLoader({
    // Decoding is CPU-bound; leave one core for rendering and the UI.
    maxWebWorkers: Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1)),
    beforeSend: (_xhr, imageId) =>
      authorizationFor(imageId.replace(/^wadors:/, ''), options.token(), options.appOrigin),
  });
  initTools();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) addTool(tool);
}
