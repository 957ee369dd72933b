/**
 * Figures without a browser: a Vega-Lite spec is compiled to Vega, rendered to SVG headlessly, and rasterised
 * to PNG by resvg (Rust, prebuilt binary in the npm package).
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '@facelab/runtime';

/** A Vega-Lite top-level spec (re-exported type so callers need not depend on vega-lite). */
export type VegaLiteSpec = TopLevelSpec;

/** Fonts tried in order: DejaVu/Liberation ship with most Linux distributions. */
const FONT = 'DejaVu Sans, Liberation Sans, Lato, Arial, sans-serif';

/** Renders a Vega-Lite spec to an SVG string. */
export async function vegaLiteToSvg(spec: VegaLiteSpec): Promise<string> {
  const withFont = { ...spec, config: { font: FONT, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(withFont).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to PNG bytes; `scale` multiplies the pixel size (2 = sharper figures). */
export async function vegaLiteToPng(spec: VegaLiteSpec, opts: { scale?: number } = {}): Promise<Uint8Array> {
  const svg = await vegaLiteToSvg(spec);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 1 },
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** One line of a line plot. */
export interface LineSeries {
  /** Legend label. */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** Options of {@link plotLines}. */
export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Plot area size in CSS pixels (default 480 × 280). */
  width?: number;
  height?: number;
  /** Logarithmic y axis (losses spanning decades). */
  logY?: boolean;
  /** Pixel ratio of the PNG (default 2). */
  scale?: number;
}

/** The Vega-Lite spec of a multi-series line plot (non-finite points are dropped). */
export function lineSpec(series: LineSeries[], opts: LinePlotOptions = {}): VegaLiteSpec {
  const values: { series: string; x: number; y: number }[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new Error(`plotLines: series '${s.name}' has ${s.x.length} x values but ${s.y.length} y values`);
    }
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (Number.isFinite(x) && Number.isFinite(y) && !(opts.logY && y <= 0)) values.push({ series: s.name, x, y });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...(opts.title ? { title: opts.title } : {}),
    width: opts.width ?? 480,
    height: opts.height ?? 280,
    data: { values },
    mark: { type: 'line', point: values.length <= 60 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xLabel ?? 'x' },
      y: {
        field: 'y',
        type: 'quantitative',
        title: opts.yLabel ?? 'y',
        scale: opts.logY ? { type: 'log' } : { zero: false },
      },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name) },
    },
  };
}

/** A line plot of one or more series as PNG bytes. */
export async function plotLines(series: LineSeries[], opts: LinePlotOptions = {}): Promise<Uint8Array> {
  return vegaLiteToPng(lineSpec(series, opts), { scale: opts.scale ?? 2 });
}

/** Writes a line plot to `path` as PNG, atomically. */
export async function savePlot(path: string, series: LineSeries[], opts: LinePlotOptions = {}): Promise<void> {
  await writeFileAtomic(path, await plotLines(series, opts));
}
