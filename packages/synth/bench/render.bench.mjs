/**
 * synth suite `render`: synthetic faces per second (wall clock) and per CPU-second (the renderer is
 * single-threaded JS, so CPU time is the fair figure on a busy machine) at 48², 96² and 112² in both styles,
 * plus motion-blurred samples (7 sub-frames each). Options: `minMs` (timed duration per figure).
 */
import { cpus, loadavg } from 'node:os';

export default {
  name: 'render',
  title: 'Synthetic-face rendering throughput',
  options: { minMs: 2000 },
  async run({ options }) {
    const { synthFace, sampleFaceParams, motionBlurParams, renderMotionBlur } = await import('@facelab/synth');

    /** Items per wall second and per CPU second of `run(i)`, repeated for `minMs` after 30 warm-up calls. */
    function rate(run) {
      for (let i = 0; i < 30; i++) run(i);
      let n = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      while (performance.now() - t0 < options.minMs) run(1000 + n++);
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(c0);
      return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
    }

    const rows = [];
    for (const size of [48, 96, 112]) {
      for (const style of ['studio', 'wild']) rows.push({ item: `face ${size}² ${style}`, ...rate((i) => synthFace(i, { size, style, occlusion: 0.2 })) });
    }
    rows.push({ item: 'motion-blur sample 96² (7 sub-frames)', ...rate((i) => renderMotionBlur(motionBlurParams(sampleFaceParams(i, { size: 96 }), i))) });
    return { cpu: cpus()[0]?.model ?? 'unknown CPU', loadavg: loadavg()[0], rows };
  },
  report(results) {
    return [
      `${results.cpu}, load average ${results.loadavg.toFixed(1)}.`,
      '',
      '| item | per second (wall) | per CPU-second |',
      '|---|---:|---:|',
      ...results.rows.map((r) => `| ${r.item} | ${r.wall.toFixed(0)} | ${r.cpu.toFixed(0)} |`),
    ].join('\n');
  },
};
