/** @facelab/core-tensor: the shared core of every facelab package. */
export { tf } from './tf.js';
export { initBackend, BACKEND_ORDER, type BackendName } from './backend/init.js';
