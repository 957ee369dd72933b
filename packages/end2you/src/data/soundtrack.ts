/** A video's soundtrack as mono audio at a given rate, through the system ffmpeg (as @facelab/data's video I/O). */
import { spawn } from 'node:child_process';
import { decodeWav, ffmpegPath } from '@facelab/data';

/** Decodes `path`'s first audio stream, mixed to mono and resampled by ffmpeg to `rate` Hz. */
export async function readSoundtrack(path: string, rate: number, ffmpeg = ffmpegPath()): Promise<Float32Array> {
  const args = ['-v', 'error', '-nostdin', '-i', path, '-vn', '-ac', '1', '-ar', String(rate), '-f', 'wav', '-c:a', 'pcm_f32le', '-'];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`readSoundtrack: cannot run ${ffmpeg} (install ffmpeg): ${err.message}`, { cause: err })));
    child.once('close', resolve);
  });
  if (code !== 0 || chunks.length === 0) {
    const why = /does not contain any stream|matches no streams/i.test(stderr) ? 'it has no audio stream' : stderr.trim().split('\n').pop();
    throw new Error(`readSoundtrack: ${path}: ${why ?? `ffmpeg exit ${code}`}`);
  }
  return decodeWav(Buffer.concat(chunks), path).channels[0]!;
}
