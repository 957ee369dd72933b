/**
 * WebGPU in Node: Dawn's bindings (the optional `webgpu` package) installed as `navigator.gpu`, then
 * @tensorflow/tfjs-backend-webgpu (optional too), which registers the 'webgpu' backend only if
 * `navigator.gpu` exists when it is imported. A software adapter (lavapipe, SwiftShader) is used only when
 * asked for by name: it is correct but slower than the wasm backend.
 */
import { existsSync, readdirSync } from 'node:fs';
import { processVariables } from '@facelab/runtime';

/** The adapter Dawn offers, as {@link loadWebGpu} reports it. */
export interface WebGpuAdapter {
  /** Vendor, architecture and description from the adapter's info, e.g. 'mesa software llvmpipe: Mesa 25.0.7…'. */
  description: string;
  /** A CPU implementation (isFallbackAdapter, or a software driver by name): lavapipe/llvmpipe or SwiftShader. */
  software: boolean;
}

/** What `webgpu`'s module exports that is used here. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

/** The optional packages behind the backend, with the versions this code was written for. */
export const WEBGPU_PACKAGES = 'webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0';

const SOFTWARE_DRIVER = /swiftshader|llvmpipe|lavapipe|software/i;

/** Whether an adapter is a CPU implementation, by its info (Dawn marks lavapipe and SwiftShader as fallback adapters). */
export function isSoftwareAdapter(info: AdapterInfoLike, isFallbackAdapter = false): boolean {
  if (info.isFallbackAdapter === true || isFallbackAdapter) return true;
  return SOFTWARE_DRIVER.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}

/** Linux folders the Vulkan loader reads driver manifests from (besides VK_ICD_FILENAMES / VK_DRIVER_FILES). */
const VULKAN_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * Whether a Vulkan driver may be present: always true off Linux (Dawn uses Metal or D3D12 there); on Linux,
 * a driver manifest named by VK_ICD_FILENAMES/VK_DRIVER_FILES or found in the loader's folders. Checked
 * before Dawn is asked, because Dawn prints warnings on stderr when it finds no driver.
 */
export function mayHaveVulkanDriver(vars: Readonly<Record<string, string | undefined>> = processVariables(), dirs: readonly string[] = VULKAN_ICD_DIRS): boolean {
  if (process.platform !== 'linux') return true;
  if (vars.VK_ICD_FILENAMES || vars.VK_DRIVER_FILES) return true;
  return dirs.some((dir) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.json')));
}

let dawn: DawnModule | undefined;
let found: WebGpuAdapter | undefined;
let backendImported = false;

/** Installs Dawn as `navigator.gpu` (once) and returns it; throws naming the packages to install when absent. */
async function navigatorGpu(): Promise<GpuLike> {
  if (dawn === undefined) {
    try {
      dawn = (await import('webgpu' as string)) as DawnModule;
    } catch (err) {
      throw new Error(`the optional package 'webgpu' is not installed (npm install ${WEBGPU_PACKAGES}): ${firstLine(err)}`);
    }
    // WebGPU's enums and classes (GPUBufferUsage, …) as globals, as a browser has them, for the tfjs backend.
    for (const [key, value] of Object.entries(dawn.globals)) if (!(key in globalThis)) Object.assign(globalThis, { [key]: value });
    const gpu = dawn.create([]);
    const nav = (globalThis as { navigator?: object }).navigator;
    if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    else if (!('gpu' in nav)) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  }
  return (globalThis as unknown as { navigator: { gpu: GpuLike } }).navigator.gpu;
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/**
 * Finds a WebGPU adapter and imports @tensorflow/tfjs-backend-webgpu, which registers 'webgpu' with tfjs.
 * Throws, with the reason as its message, when a package is missing, when there is no adapter, or when the
 * adapter is a software one and `allowSoftware` is false (the automatic chain passes false; a backend named
 * by the caller or FACELAB_BACKEND passes true). The adapter found first is kept, so later calls are cheap.
 */
export async function loadWebGpu(allowSoftware: boolean): Promise<WebGpuAdapter> {
  if (found === undefined) {
    if (!allowSoftware && !mayHaveVulkanDriver()) throw new Error('no Vulkan driver is installed (no ICD manifest)');
    const adapter = await (await navigatorGpu()).requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) throw new Error('Dawn finds no WebGPU adapter (no Vulkan driver it accepts; see the README for software drivers)');
    const info = adapter.info ?? {};
    const description = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(' ');
    found = { description, software: isSoftwareAdapter(info, adapter.isFallbackAdapter) };
  }
  const { description, software } = found;
  if (software && !allowSoftware) {
    throw new Error(`only a software adapter (${description}), slower than wasm; FACELAB_BACKEND=webgpu uses it`);
  }
  if (!backendImported) {
    try {
      await import('@tensorflow/tfjs-backend-webgpu' as string);
    } catch (err) {
      throw new Error(`the optional package '@tensorflow/tfjs-backend-webgpu' is not installed (npm install ${WEBGPU_PACKAGES}): ${firstLine(err)}`);
    }
    backendImported = true;
  }
  return found;
}
