// Public API of src/plot: Vega-Lite figures rendered to SVG/PNG in Node.
export {
  vegaLiteToSvg,
  vegaLiteToPng,
  lineSpec,
  plotLines,
  savePlot,
  type VegaLiteSpec,
  type LineSeries,
  type LinePlotOptions,
} from './render.js';
