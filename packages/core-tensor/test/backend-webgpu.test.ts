/**
 * The webgpu link of the chain without a GPU: a software adapter is recognised by its info, the chain skips
 * webgpu without a Vulkan driver (before Dawn, which would print warnings), and a named 'webgpu' fails
 * with the reason. The GPU suite (test/gpu/) runs the backend itself.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter, mayHaveVulkanDriver, WEBGPU_PACKAGES } from '../src/backend/webgpu.js';

describe('webgpu adapter checks', () => {
  it('recognises lavapipe and SwiftShader as software adapters and a GPU as hardware', () => {
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' }, true)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false })).toBe(false);
  });

  it('looks for a Vulkan driver manifest on Linux before asking Dawn', () => {
    if (process.platform !== 'linux') return;
    expect(mayHaveVulkanDriver({}, ['/nonexistent/icd.d'])).toBe(false);
    expect(mayHaveVulkanDriver({ VK_ICD_FILENAMES: '/x/lvp_icd.json' }, [])).toBe(true);
  });
});

/** `name@version` of each optional webgpu package, or undefined when one is not installed. */
function installedWebGpuPackages(): string | undefined {
  const require = createRequire(import.meta.url);
  try {
    return ['webgpu', '@tensorflow/tfjs-backend-webgpu'].map((p) => `${p}@${(require(`${p}/package.json`) as { version: string }).version}`).join(' ');
  } catch {
    return undefined;
  }
}

describe('webgpu pins', () => {
  const installed = installedWebGpuPackages();
  it.runIf(installed !== undefined)('the installed packages are the versions the loader and kernels/webgpu/ were written for (re-check both when this fails)', () => {
    expect(installed).toBe(WEBGPU_PACKAGES);
  });
});
