/**
 * Runs a TypeScript script of this folder in a child Node process, as the tests' own process cannot observe
 * process exits, uncaught exceptions or SIGKILL. esbuild bundles the script with every `@facelab/*` package
 * from its source (as the vitest config resolves them) and the other packages left as imports; the bundle is
 * written under this package's node_modules so that those imports resolve.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const packagesDir = join(here, '../../..');
const outDir = join(here, '../../node_modules/.cache/facelab-test-child');

/** `@facelab/<name>` → its `src/index.ts`, for every workspace package with one. */
function workspaceSources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of readdirSync(packagesDir)) {
    const entry = join(packagesDir, dir, 'src', 'index.ts');
    const manifest = join(packagesDir, dir, 'package.json');
    if (existsSync(entry) && existsSync(manifest)) out.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, entry);
  }
  return out;
}

const bundles = new Map<string, Promise<string>>();

/** The bundled script `name` (a file of this folder without `.ts`), built once per test process. */
export function bundledScript(name: string): Promise<string> {
  let bundle = bundles.get(name);
  if (bundle === undefined) {
    const sources = workspaceSources();
    const outfile = join(outDir, `${name}-${process.pid}.mjs`);
    mkdirSync(outDir, { recursive: true });
    bundle = build({
      entryPoints: [join(here, `${name}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
      plugins: [
        {
          name: 'workspace-sources',
          setup(b) {
            b.onResolve({ filter: /^[^./]/ }, (args) => {
              const source = sources.get(args.path);
              return source !== undefined ? { path: source } : { path: args.path, external: true };
            });
          },
        },
      ],
    }).then(() => outfile);
    bundles.set(name, bundle);
  }
  return bundle;
}

/** What a finished child process gave. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts bundled script `name` with `args`; `done` settles when it exits. */
export async function startScript(name: string, args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; done: Promise<ChildResult> }> {
  const child = spawn(process.execPath, [await bundledScript(name), ...args], {
    env: { ...process.env, FACELAB_QUIET: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs bundled script `name` with `args` to its end. */
export async function runScript(name: string, args: string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return (await startScript(name, args, env)).done;
}
