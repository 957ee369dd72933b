/**
 * A minimal private video encoder for the synthetic datasets: raw RGB frames piped to the system ffmpeg,
 * written to a temporary file and renamed into place. (The data module has no video writer yet.)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Container formats the synthetic datasets write. */
export type SynthVideoFormat = 'avi' | 'mp4' | 'gif';

const CODEC: Record<SynthVideoFormat, string[]> = {
  avi: ['-c:v', 'mpeg4', '-q:v', '3', '-pix_fmt', 'yuv420p'],
  mp4: ['-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p'],
  gif: [],
};

/** Encodes `frames` (RGB bytes, HWC, size×size) at `fps` into `path` with ffmpeg (FACELAB_FFMPEG overrides it). */
export async function encodeSynthVideo(
  path: string,
  frames: readonly Uint8Array[],
  size: number,
  fps: number,
  format: SynthVideoFormat,
): Promise<void> {
  if (size % 2 !== 0 && format !== 'gif') throw new Error(`encodeSynthVideo: ${format} needs an even frame size, got ${size}`);
  const ffmpeg = process.env.FACELAB_FFMPEG || 'ffmpeg';
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const args = ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${size}x${size}`];
  args.push('-r', String(fps), '-i', 'pipe:0', ...CODEC[format], '-f', format, tmp);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (err: NodeJS.ErrnoException) =>
        reject(
          err.code === 'ENOENT'
            ? new Error(`encodeSynthVideo: '${ffmpeg}' not found: install ffmpeg (apt-get install ffmpeg) or set FACELAB_FFMPEG`)
            : err,
        ),
      );
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`encodeSynthVideo: ffmpeg failed writing '${path}' (exit ${code}): ${stderr.trim()}`)),
      );
      child.stdin.on('error', () => undefined); // a failed ffmpeg closes the pipe; 'close' reports why
      for (const f of frames) child.stdin.write(f);
      child.stdin.end();
    });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
