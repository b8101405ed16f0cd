import {
  Enums,
  eventTarget,
  getShouldUseCPURendering,
  RenderingEngine,
  StackViewport,
} from '@cornerstonejs/core';
import {
  PanTool,
  StackScrollTool,
  Enums as ToolEnums,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

export type PrimaryTool = 'windowLevel' | 'pan' | 'zoom';

const TOOL_NAME: Record<PrimaryTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
};

const { MouseBindings } = ToolEnums;

export interface StackViewProps {
  readonly imageIds: readonly string[];
  /** The tool on the left button (and one-finger touch); the others keep their own buttons. */
  readonly primaryTool: PrimaryTool;
  /** Changing it resets zoom, pan and window/level to the image's defaults. */
  readonly resetCount: number;
  readonly label: string;
  readonly onImageChange: (index: number) => void;
  readonly onFirstRender: () => void;
  readonly onError: (error: unknown) => void;
}

interface Mounted {
  readonly viewport: StackViewport;
  readonly toolGroupId: string;
}

/** Creates the rendering engine, one stack viewport on `element` and its tool group; returns the teardown. */
function mountViewport(element: HTMLDivElement, id: string): { mounted: Mounted; destroy: () => void } {
  const engine = new RenderingEngine(`engine-${id}`);
  const viewportId = `stack-${id}`;
  engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element });
  const viewport = engine.getViewport(viewportId);
  if (!(viewport instanceof StackViewport)) throw new Error('stack viewport not created');

  const toolGroupId = `tools-${id}`;
  const group = ToolGroupManager.createToolGroup(toolGroupId);
  if (!group) throw new Error('tool group not created');
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) group.addTool(tool.toolName);
  // Conventional PACS bindings: left window/level, middle pan, right zoom, wheel scrolls the stack.
  group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  group.addViewport(viewportId, engine.id);

  // Refit on resize (keepCamera false): keeping the camera crops the image when the element narrows.
  const resize = new ResizeObserver(() => engine.resize(true, false));
  resize.observe(element);
  return {
    mounted: { viewport, toolGroupId },
    destroy: () => {
      resize.disconnect();
      ToolGroupManager.destroyToolGroup(toolGroupId);
      engine.destroy();
    },
  };
}

function isSameStack(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a[0] === b[0] && a.at(-1) === b.at(-1);
}

interface StackCallbacks {
  readonly onImageChange: (index: number) => void;
  readonly onFirstRender: () => void;
  readonly onError: (error: unknown) => void;
}

/** Shows `imageIds` in the viewport; reports the image index, the first render and load failures. */
function useStack(options: {
  readonly mounted: Mounted | undefined;
  readonly element: HTMLDivElement | null;
  readonly imageIds: readonly string[];
  readonly callbacks: { readonly current: StackCallbacks };
}): readonly string[] | undefined {
  const { mounted, element, imageIds, callbacks } = options;
  const [renderedStack, setRenderedStack] = useState<readonly string[]>();
  useEffect(() => {
    if (!mounted || !element || imageIds.length === 0) return;
    let isCurrent = true;
    const stack = [...imageIds];
    const onNewImage = (event: Event) => {
      const { imageIdIndex } = (event as CustomEvent<{ imageIdIndex?: number }>).detail;
      if (isCurrent && typeof imageIdIndex === 'number') callbacks.current.onImageChange(imageIdIndex);
    };
    const onRendered = () => {
      if (!isCurrent) return;
      setRenderedStack(stack);
      callbacks.current.onFirstRender();
    };
    const onLoadFailed = (event: Event) => {
      const { imageId, error } = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (isCurrent && imageId && stack.includes(imageId)) callbacks.current.onError(error);
    };
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered, { once: true });
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, onLoadFailed);
    setRenderedStack(undefined);
    mounted.viewport.setStack(stack, 0).then(
      () => isCurrent && mounted.viewport.render(),
      (error: unknown) => isCurrent && callbacks.current.onError(error),
    );
    return () => {
      isCurrent = false;
      element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_FAILED, onLoadFailed);
    };
  }, [mounted, element, imageIds, callbacks]);
  return renderedStack;
}

/** The chosen tool on the left button, and the reset of camera and window/level. */
function useToolState(mounted: Mounted | undefined, primaryTool: PrimaryTool, resetCount: number): void {
  useEffect(() => {
    const group = mounted && ToolGroupManager.getToolGroup(mounted.toolGroupId);
    if (!group) return;
    for (const [tool, name] of Object.entries(TOOL_NAME)) {
      if (tool !== primaryTool) group.setToolPassive(name); // drops only its left-button binding
    }
    group.setToolActive(TOOL_NAME[primaryTool], { bindings: [{ mouseButton: MouseBindings.Primary }] });
  }, [mounted, primaryTool]);

  useEffect(() => {
    if (!mounted || resetCount === 0) return;
    mounted.viewport.resetCamera();
    mounted.viewport.resetProperties();
    mounted.viewport.render();
  }, [mounted, resetCount]);
}

export function StackView(props: StackViewProps) {
  const { imageIds, onImageChange, onFirstRender, onError } = props;
  // A callback ref kept in state: the viewport mounts once the element exists.
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const id = useId().replace(/[^A-Za-z0-9]/g, '');
  const [mounted, setMounted] = useState<Mounted>();
  const callbacks = useRef<StackCallbacks>({ onImageChange, onFirstRender, onError });
  callbacks.current = { onImageChange, onFirstRender, onError };

  useEffect(() => {
    if (!element) return;
    const { mounted: m, destroy } = mountViewport(element, id);
    setMounted(m);
    return () => {
      setMounted(undefined);
      destroy();
    };
  }, [element, id]);
  const renderedStack = useStack({ mounted, element, imageIds, callbacks });
  useToolState(mounted, props.primaryTool, props.resetCount);

  // Keyboard access (issue #7 §6): arrows and Page keys page through the stack.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const delta = { ArrowDown: 1, ArrowRight: 1, PageDown: 1, ArrowUp: -1, ArrowLeft: -1, PageUp: -1 }[
      event.key
    ];
    if (!mounted || delta === undefined) return;
    event.preventDefault();
    mounted.viewport.scroll(delta);
  };

  return (
    <div
      ref={setElement}
      role="application"
      aria-roledescription="DICOM viewport"
      aria-label={props.label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: focusable so arrow and Page keys page through the stack
      tabIndex={0}
      data-testid="viewport"
      data-rendered={isSameStack(renderedStack, imageIds) ? 'true' : 'false'}
      // Cornerstone falls back to CPU rendering without WebGL; shown for diagnosis (e2e logs it).
      data-rendering={getShouldUseCPURendering() ? 'cpu' : 'webgl'}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
      style={{ position: 'absolute', inset: 0, background: '#000' }}
    />
  );
}
