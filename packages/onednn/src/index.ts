export { loadOneDnn, addonPath } from './load.js';
export {
  ACTIVATIONS,
  GEOMETRY_FIELDS,
  packGeometry,
  type Activation,
  type ConvGeometry,
  type OneDnnBinding,
  type OneDnnInfo,
} from './binding.js';
