import { Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Trend } from './trends.tsx';

const W = 320;
const H = 140;
const PAD = { left: 36, right: 10, top: 10, bottom: 22 };
const COLORS = ['#0ca678', '#e8590c', '#1c7ed6'];

/** A small SVG line chart of one repeated measurement (no chart library: it keeps the bundle small). */
export function TrendChart({ trend }: { trend: Trend }) {
  const { t } = useTranslation();
  const points = trend.lines.flatMap((l) => l.points);
  const times = points.map((p) => Date.parse(p.date));
  const values = points.map((p) => p.value);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) || 1;
  const [v0, v1] = [lo - span * 0.1, hi + span * 0.1];
  const x = (time: number) => PAD.left + ((time - t0) / (t1 - t0 || 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - v0) / (v1 - v0)) * (H - PAD.top - PAD.bottom);
  const label = (l: string) => (l === 'systolic' || l === 'diastolic' ? t(`trend.${l}`) : l);
  const first = points.reduce((a, b) => (a.date < b.date ? a : b));
  const last = points.reduce((a, b) => (a.date > b.date ? a : b));
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="trend-chart" data-code={trend.code}>
      <Text size="sm" fw={600}>
        {trend.title}
        {trend.unit ? ` (${trend.unit})` : ''}
      </Text>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={t('trend.aria', { title: trend.title, count: points.length })}
      >
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} stroke="#ced4da" />
        <text x={PAD.left - 4} y={y(hi) + 4} fontSize="10" textAnchor="end" fill="#495057">
          {hi}
        </text>
        <text x={PAD.left - 4} y={y(lo) + 4} fontSize="10" textAnchor="end" fill="#495057">
          {lo}
        </text>
        <text x={PAD.left} y={H - 6} fontSize="10" fill="#495057">
          {first.date.slice(0, 10)}
        </text>
        <text x={W - PAD.right} y={H - 6} fontSize="10" textAnchor="end" fill="#495057">
          {last.date.slice(0, 10)}
        </text>
        {trend.lines.map((line, i) => (
          <g key={line.label}>
            <polyline
              fill="none"
              stroke={COLORS[i % COLORS.length]}
              strokeWidth="2"
              points={line.points.map((p) => `${x(Date.parse(p.date))},${y(p.value)}`).join(' ')}
            />
            {line.points.map((p) => (
              <circle
                key={`${p.date}-${p.value}`}
                cx={x(Date.parse(p.date))}
                cy={y(p.value)}
                r="2.5"
                fill={COLORS[i % COLORS.length]}
              >
                <title>{`${label(line.label)} ${p.date.slice(0, 10)}: ${p.value}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      {trend.lines.length > 1 && (
        <Text size="xs" c="dimmed">
          {trend.lines.map((l, i) => (
            <span key={l.label} style={{ color: COLORS[i % COLORS.length], marginRight: 8 }}>
              ● {label(l.label)}
            </span>
          ))}
        </Text>
      )}
    </Paper>
  );
}
