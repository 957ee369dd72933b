/**
 * Quirk: tfjs prints advice meant for tfjs users, not for users of a facelab command line: tfjs-backend-cpu's
 * "install our node backend" banner (through tfjs-core's `warn`, silenced by the PROD flag) and tfjs-layers'
 * "Orthogonal initializer … Slowness may result" (a bare console.warn, filtered here by its text). Written for
 * @tensorflow/tfjs-layers 4.22.0; remove the filter when tfjs-layers routes that warning through `warn` too.
 */
import { tf } from '../../tf.js';

/** The tfjs-layers version whose Orthogonal warning text this filter matches. */
export const TFJS_WARNINGS_PIN = { name: '@tensorflow/tfjs-layers', version: '4.22.0' } as const;

/** The start of tfjs-layers' Orthogonal initializer warning. */
export const ORTHOGONAL_WARNING = 'Orthogonal initializer is being called on a matrix with more than';

let filtered = false;

/**
 * Silences tfjs's banners and warnings for the rest of the process (the facelab CLIs call it first): sets tfjs's
 * PROD flag and drops tfjs-layers' Orthogonal initializer warning from console.warn. Idempotent.
 */
export function silenceTfjsWarnings(): void {
  tf.env().set('PROD', true);
  if (filtered) return;
  filtered = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith(ORTHOGONAL_WARNING)) return;
    warn(...args);
  };
}
