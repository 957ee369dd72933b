/**
 * Child script: initialises backend `argv[2]` through initBackend (or, for `tfjs-wasm`, tfjs-backend-wasm
 * straight through tf.setBackend, the quirk unpatched), installs the application's own `uncaughtException` and
 * `unhandledRejection` handlers, then throws and rejects without catching. Prints what the handlers saw and
 * exits 0 from them; exit code 7 means a listener of the backend rethrew instead.
 */
import '@tensorflow/tfjs-backend-wasm';
import { initBackend, tf } from '../../src/index.js';

const backend = process.argv[2]!;
if (backend === 'tfjs-wasm') await tf.setBackend('wasm');
else await initBackend(backend);
const seen: string[] = [];
const finish = () => {
  if (seen.length < 2) return;
  console.log(JSON.stringify(seen));
  process.exit(0);
};
process.on('uncaughtException', (err) => {
  seen.push(`exception: ${err.message}`);
  finish();
});
process.on('unhandledRejection', (reason) => {
  seen.push(`rejection: ${(reason as Error).message}`);
  finish();
});
setTimeout(() => {
  throw new Error('thrown after initBackend');
}, 1);
setTimeout(() => void Promise.reject(new Error('rejected after initBackend')), 5);
