import { type ReactNode, useRef, useState } from 'react';

interface Props<T> {
  readonly items: readonly T[];
  readonly rowHeight: number;
  /** Height of the scrolling box in px. */
  readonly height: number;
  readonly render: (item: T, index: number) => ReactNode;
  readonly itemKey: (item: T) => string;
  readonly label: string;
}

const OVERSCAN = 8;

/**
 * A windowed list of fixed-height rows: only the rows in view (plus a few) are in the DOM, so a
 * record of thousands of entries scrolls without layout work proportional to its length.
 */
export function VirtualList<T>({ items, rowHeight, height, render, itemKey, label }: Props<T>) {
  const [top, setTop] = useState(0);
  const frame = useRef(0);
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  return (
    <section
      aria-label={label}
      data-testid="timeline"
      data-count={items.length}
      style={{ height, overflowY: 'auto', position: 'relative', contain: 'strict' }}
      onScroll={(e) => {
        const value = e.currentTarget.scrollTop;
        cancelAnimationFrame(frame.current);
        frame.current = requestAnimationFrame(() => setTop(value));
      }}
    >
      <ul
        style={{
          height: items.length * rowHeight,
          position: 'relative',
          margin: 0,
          padding: 0,
          listStyle: 'none',
        }}
      >
        {items.slice(first, last).map((item, i) => (
          <li
            key={itemKey(item)}
            style={{
              position: 'absolute',
              top: (first + i) * rowHeight,
              left: 0,
              right: 0,
              height: rowHeight,
            }}
          >
            {render(item, first + i)}
          </li>
        ))}
      </ul>
    </section>
  );
}
