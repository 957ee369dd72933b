/**
 * After initBackend picks wasm, an application's own uncaughtException/unhandledRejection handlers work: the
 * emscripten glue's rethrowing listeners (compat/wasm-process-handlers.ts) are gone. Checked in child
 * processes, since an uncaught exception is about the process, with tfjs's wasm backend set up directly as
 * the control that shows the quirk.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from './child/run-script.js';

describe('process handlers after the backend starts', () => {
  for (const backend of ['wasm', 'cpu']) {
    it(`initBackend('${backend}'): the application's handlers see the uncaught exception and rejection`, async () => {
      const r = await runScript('uncaught-after-backend', [backend]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(['exception: thrown after initBackend', 'rejection: rejected after initBackend']);
    });
  }
  it("control: tfjs-backend-wasm set up without initBackend exits with code 7 despite the handlers", async () => {
    const r = await runScript('uncaught-after-backend', ['tfjs-wasm']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('thrown after initBackend');
  });
});
