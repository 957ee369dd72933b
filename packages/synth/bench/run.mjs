#!/usr/bin/env node
/**
 * Synthetic-face renderer throughput: faces per second (wall clock) and per CPU-second (one core: the renderer
 * is single-threaded JS, so CPU time is the fair figure on a busy machine) at 48², 96² and 112² in both
 * styles, plus motion-blurred samples (7 sub-frames each). Prints a table and writes bench/synth-results.json.
 * Runs the built dist/ (builds it first if missing); FACELAB_DIST may point at another build of index.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const entry = process.env.FACELAB_DIST ?? join(pkg, 'dist/index.js');
if (!existsSync(entry)) execFileSync('npm', ['run', 'build'], { cwd: pkg, stdio: 'inherit' });
const { synthFace, sampleFaceParams, motionBlurParams, renderMotionBlur } = await import(entry);
if (synthFace === undefined) throw new Error(`${entry} has no synth API: rebuild core-tensor (npm run build)`);

const MIN_MS = 2000;

/** Items per wall second and per CPU second of `run(i)`, repeated for MIN_MS after 30 warm-up calls. */
function rate(run) {
  for (let i = 0; i < 30; i++) run(i);
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < MIN_MS) run(1000 + n++);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

const rows = [];
for (const size of [48, 96, 112]) {
  for (const style of ['studio', 'wild']) {
    const r = rate((i) => synthFace(i, { size, style, occlusion: 0.2 }));
    rows.push({ item: `face ${size}² ${style}`, ...r });
  }
}
const blur = rate((i) => renderMotionBlur(motionBlurParams(sampleFaceParams(i, { size: 96 }), i)));
rows.push({ item: 'motion-blur sample 96² (7 sub-frames)', ...blur });

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`synthetic faces (${cpu}, load average ${loadavg()[0].toFixed(1)})`);
console.log('| item | per second (wall) | per CPU-second |\n|---|---|---|');
for (const r of rows) console.log(`| ${r.item} | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} |`);
const out = join(here, 'synth-results.json');
writeFileSync(`${out}.tmp`, JSON.stringify({ cpu, loadavg: loadavg()[0], rows }, null, 2) + '\n');
renameSync(`${out}.tmp`, out);
