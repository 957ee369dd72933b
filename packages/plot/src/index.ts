/** @facelab/plot: Vega-Lite figures rendered to SVG/PNG in Node, and training curves. */
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
export { saveTrainingCurves, type CurveRecord } from './curves.js';
