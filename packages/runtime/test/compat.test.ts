/**
 * Each quirk in src/compat/ touches a pinned dependency's private internals: these fail when the installed
 * version moves off the pin it was written for, so the quirk is re-checked (or removed) then.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ORT_NODE_PIN, requireOrtNative } from '../src/compat/ort-native-session.js';

const require = createRequire(import.meta.url);

describe('compat quirks match the installed versions they were written for', () => {
  it('ort-native-session.ts: onnxruntime-node dist/binding', () => {
    expect((require(`${ORT_NODE_PIN.name}/package.json`) as { version: string }).version).toBe(ORT_NODE_PIN.version);
    const { Session } = requireOrtNative();
    expect(typeof Session.prototype.run).toBe('function');
  });
});
