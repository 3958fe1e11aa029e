/**
 * A 31-day step chart drawn by uPlot: one bar per China-time day, today on the right.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Day } from './api.js';

/** Props of the chart. */
export interface StepChartProps {
  days: Day[];
}

/** Draws `days` (oldest first) as bars. */
export function StepChart({ days }: StepChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const xs = days.map((_, i) => i);
    const ys = days.map((d) => d.steps);
    const plot = new uPlot(
      {
        width: Math.max(host.current.clientWidth - 16, 240),
        height: 220,
        legend: { show: false },
        // The drawn scale ranges, for tests and for anyone inspecting the page.
        hooks: {
          draw: [
            (u) => {
              const el = u.root.parentElement;
              if (!el) return;
              el.dataset.yMin = String(u.scales.y!.min);
              el.dataset.xMin = String(u.scales.x!.min);
              el.dataset.xMax = String(u.scales.x!.max);
            },
          ],
        },
        // The y-axis always starts at 0 (a 9,000-step day must not look like nothing), and the x range keeps half a
        // bar's room at both ends so the first and last bars are whole.
        scales: {
          x: { time: false, range: () => [-0.5, Math.max(days.length, 1) - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(max, 1000) * 1.1] },
        },
        axes: [
          { values: (_u, ticks) => ticks.map((t) => days[t]?.date.slice(5) ?? '') },
          { size: 60 },
        ],
        series: [
          {},
          { label: 'steps', stroke: '#07c160', fill: 'rgba(7,193,96,0.35)', paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } },
        ],
      },
      [xs, ys],
      host.current,
    );
    return () => plot.destroy();
  }, [JSON.stringify(days)]);
  return <div class="chart" ref={host} data-testid="step-chart" data-total={days.reduce((s, d) => s + d.steps, 0)} />;
}
