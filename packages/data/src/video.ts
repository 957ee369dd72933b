/**
 * Video through the system ffmpeg (Debian package `ffmpeg`; the `ffmpeg` option of each call, or else
 * `env.ffmpeg` (FACELAB_FFMPEG), may name another binary, whose sibling `ffprobe` is then used). Frames travel as raw rgb24 over a pipe: reading is streamed with
 * backpressure (ffmpeg blocks while the consumer is busy), and stopping early kills the child process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { tf } from '@facelab/core-tensor';
import { DEFAULT_MAX_PIXELS, checkMaxPixels } from './image.js';
import { tensorToRaw, type ImageSize, type RawImage } from './raster.js';
import { env, messageOf, replaceFileAtomic } from '@facelab/runtime';

/** The ffmpeg binary facelab runs: `env.ffmpeg` (FACELAB_FFMPEG; default `ffmpeg` on PATH). */
export function ffmpegPath(): string {
  return env.ffmpeg;
}

/** The ffmpeg binary a call chooses, for {@link readVideoFrames}, {@link videoInfo} and {@link writeVideo}. */
export interface FfmpegOptions {
  /** The ffmpeg binary for this call (its sibling `ffprobe` probes); default {@link ffmpegPath}, `env.ffmpeg`. */
  ffmpeg?: string;
}

/** ffprobe beside the ffmpeg binary `ff` (`ffprobe` on PATH for the default `ffmpeg`). */
function ffprobePath(ff: string): string {
  return join(dirname(ff), basename(ff).replace(/ffmpeg/, 'ffprobe'));
}

/** A running ffmpeg-family process, its exit (after its pipes close) and the tail of its stderr as one line. */
interface Tool {
  child: ChildProcessWithoutNullStreams;
  closed: Promise<number | null>;
  stderr: () => string;
}

/** Starts an ffmpeg-family tool; a missing binary becomes an error saying how to install it. */
async function start(cmd: string, args: string[]): Promise<Tool> {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const closed = new Promise<number | null>((resolve) => child.once('close', (code: number | null) => resolve(code)));
  let text = '';
  child.stderr.on('data', (d: Buffer) => {
    text = (text + d.toString()).slice(-2000);
  });
  try {
    await once(child, 'spawn');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new Error(
        `${cmd} not found (${code}): install it with \`apt-get install ffmpeg\`, ` +
          'or name an ffmpeg binary with the `ffmpeg` option or env.ffmpeg (FACELAB_FFMPEG)',
        { cause: err },
      );
    }
    throw err;
  }
  child.on('error', () => undefined); // later failures (e.g. a kill) surface through the exit code
  // One line, so the error that quotes it is one line too.
  return { child, closed, stderr: () => text.trim().replace(/\s*\n\s*/g, '; ') };
}

/** Kills a tool that is still running and waits for it to go. */
async function stop(tool: Tool): Promise<void> {
  if (tool.child.exitCode === null && tool.child.signalCode === null) tool.child.kill('SIGKILL');
  await tool.closed;
}

/**
 * A path as an ffmpeg argument: relative paths get a `./` so that a file named `-version` is not an option and
 * one named `concat:a|b` or `http:x` is not a protocol.
 */
function fileArg(path: string): string {
  return isAbsolute(path) ? path : `./${path}`;
}

async function mustExist(path: string, where: string): Promise<void> {
  try {
    await access(path);
  } catch (err) {
    throw new Error(`${where}: cannot read ${path}: ${messageOf(err)}`, { cause: err });
  }
}

/** What ffprobe says about a video's first video stream. */
export interface VideoInfo {
  width: number;
  height: number;
  /** Frames per second (the stream's average frame rate). */
  fps: number;
  /** Frame count (counted packets when the container does not store it). */
  frames: number;
  /** Seconds, when known. */
  duration?: number;
  codec: string;
}

function rate(r: string | undefined): number {
  const [n, d] = (r ?? '0/1').split('/').map(Number);
  return d ? n! / d : n!;
}

async function probe(path: string, countPackets: boolean, ffmpeg: string): Promise<Record<string, string | number>> {
  const tool = await start(ffprobePath(ffmpeg), [
    '-v', 'error', '-select_streams', 'v:0', ...(countPackets ? ['-count_packets'] : []),
    '-show_entries', 'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,nb_read_packets,codec_name,duration',
    '-of', 'json', fileArg(path),
  ]);
  let out = '';
  tool.child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await tool.closed;
  if (code !== 0) throw new Error(`videoInfo: ffprobe failed on ${path} (exit ${code}): ${tool.stderr()}`);
  const stream = (JSON.parse(out) as { streams?: Record<string, string | number>[] }).streams?.[0];
  if (stream === undefined) throw new Error(`videoInfo: ${path} has no video stream`);
  return stream;
}

/**
 * Probes a video with ffprobe. The frame count is the container's, or, where the container does not store
 * it (mkv, webm, gif), the counted packets (a second pass that demuxes the whole file).
 */
export async function videoInfo(path: string, options: FfmpegOptions = {}): Promise<VideoInfo> {
  await mustExist(path, 'videoInfo');
  const ffmpeg = options.ffmpeg ?? ffmpegPath();
  let s = await probe(path, false, ffmpeg);
  if (!(Number(s.nb_frames) > 0)) s = await probe(path, true, ffmpeg);
  const fps = rate(String(s.avg_frame_rate)) || rate(String(s.r_frame_rate));
  const duration = Number(s.duration);
  return {
    width: Number(s.width),
    height: Number(s.height),
    fps,
    frames: Number(s.nb_frames ?? s.nb_read_packets),
    ...(Number.isFinite(duration) ? { duration } : {}),
    codec: String(s.codec_name),
  };
}

/** One decoded frame: rgb24 pixels plus its position in the output stream. */
export interface VideoFrame extends RawImage {
  index: number;
  /** Seconds from the start (index / output fps). */
  time: number;
}

/** Highest frame rate {@link readVideoFrames} resamples to or {@link writeVideo} writes. */
export const MAX_VIDEO_FPS = 1000;

/** Options of {@link readVideoFrames}. */
export interface ReadVideoOptions extends FfmpegOptions {
  /** Resample to this frame rate (ffmpeg's fps filter), in (0, {@link MAX_VIDEO_FPS}]; default: the file's own. */
  fps?: number;
  /** Scale every frame to this size (bilinear; positive integers); default: the file's own. */
  size?: ImageSize;
  /** Most pixels per frame, requested or stored (default {@link DEFAULT_MAX_PIXELS}; `Infinity`: no cap). */
  maxPixels?: number;
}

/** A frame rate in (0, MAX_VIDEO_FPS], or an error naming the call and the value. */
function checkFps(fps: number, where: string): number {
  if (!(Number.isFinite(fps) && fps > 0 && fps <= MAX_VIDEO_FPS)) {
    throw new Error(`${where}: fps must be a number in (0, ${MAX_VIDEO_FPS}], got ${fps}`);
  }
  return fps;
}

/** A frame size of positive integers within `maxPixels`; `what` says where it came from. */
function checkFrameSize(width: number, height: number, maxPixels: number, what: string): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`${what}: frame size must be positive integers, got ${width}×${height}`);
  }
  if (width * height > maxPixels) throw new Error(`${what}: frame size ${width}×${height} is more than maxPixels ${maxPixels}`);
}

/**
 * Decodes a video into rgb24 frames (as stored: rotation metadata is not applied), streamed: at most one frame (plus the OS pipe buffer) is held, and
 * breaking out of the loop kills ffmpeg.
 */
export async function* readVideoFrames(path: string, options: ReadVideoOptions = {}): AsyncGenerator<VideoFrame> {
  const maxPixels = checkMaxPixels(options.maxPixels ?? DEFAULT_MAX_PIXELS, 'readVideoFrames');
  if (options.fps !== undefined) checkFps(options.fps, 'readVideoFrames');
  if (options.size !== undefined) checkFrameSize(options.size.width, options.size.height, maxPixels, 'readVideoFrames: size');
  await mustExist(path, 'readVideoFrames');
  const ffmpeg = options.ffmpeg ?? ffmpegPath();
  const info = options.size === undefined || options.fps === undefined ? await probe(path, false, ffmpeg) : undefined;
  const width = options.size?.width ?? Number(info!.width);
  const height = options.size?.height ?? Number(info!.height);
  if (options.size === undefined) checkFrameSize(width, height, maxPixels, `readVideoFrames: ${path}`);
  const fps = options.fps ?? (rate(String(info!.avg_frame_rate)) || rate(String(info!.r_frame_rate)));
  const filters: string[] = [];
  if (options.fps !== undefined) filters.push(`fps=${options.fps}`);
  if (options.size !== undefined) filters.push(`scale=${width}:${height}:flags=bilinear`);
  const ff = await start(ffmpeg, [
    // -noautorotate: frames come as stored, so their size is the probed one even for rotated phone videos.
    '-v', 'error', '-nostdin', '-noautorotate', '-i', fileArg(path),
    ...(filters.length > 0 ? ['-vf', filters.join(',')] : []),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
  const frameBytes = width * height * 3;
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  let index = 0;
  try {
    for await (const chunk of ff.child.stdout as AsyncIterable<Buffer>) {
      let at = 0;
      while (at < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === frameBytes) {
          yield { data: frame, width, height, channels: 3, index, time: index / fps };
          index++;
          frame = new Uint8Array(frameBytes);
          filled = 0;
        }
      }
    }
    const code = await ff.closed;
    if (code !== 0) throw new Error(`readVideoFrames: ffmpeg failed on ${path} (exit ${code}): ${ff.stderr()}`);
    if (filled !== 0) throw new Error(`readVideoFrames: ${path}: stream ended inside frame ${index}`);
  } finally {
    await stop(ff);
  }
}

/** Options of {@link writeVideo}. */
export interface WriteVideoOptions extends FfmpegOptions {
  /** Frames per second, in (0, {@link MAX_VIDEO_FPS}] (default 25). */
  fps?: number;
  /** x264 constant rate factor for mp4, 0 (lossless) – 51 (default 18, visually lossless). */
  crf?: number;
}

const PIX_FMT: Record<number, string> = { 1: 'gray', 3: 'rgb24', 4: 'rgba' };

/**
 * Writes frames (raw images or Tensor3D, all the same size) to an H.264 `.mp4` or an animated `.gif`
 * (palette generated from the clip), atomically. Odd mp4 sizes are padded by one pixel (yuv420p needs
 * even sizes). Tensors are read, not disposed. Returns the number of frames written.
 */
export async function writeVideo(
  path: string,
  frames: Iterable<RawImage | tf.Tensor3D> | AsyncIterable<RawImage | tf.Tensor3D>,
  options: WriteVideoOptions = {},
): Promise<number> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.mp4' && ext !== '.gif') throw new Error(`writeVideo: cannot tell the format of '${path}': use .mp4 or .gif`);
  const fps = checkFps(options.fps ?? 25, 'writeVideo');
  const crf = options.crf ?? 18;
  if (!(Number.isInteger(crf) && crf >= 0 && crf <= 51)) throw new Error(`writeVideo: crf must be an integer in [0, 51], got ${crf}`);
  const encode =
    ext === '.mp4'
      ? ['-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-c:v', 'libx264', '-crf', String(crf),
          '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4']
      : ['-vf', 'split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none', '-loop', '0', '-f', 'gif'];
  return replaceFileAtomic(path, async (tmp) => {
    let ff: Tool | undefined;
    let first: RawImage | undefined;
    let count = 0;
    try {
      for await (const f of frames) {
        const raw = f instanceof tf.Tensor ? tensorToRaw(f) : f;
        if (first === undefined) {
          first = raw;
          const pix = PIX_FMT[raw.channels];
          if (pix === undefined) throw new Error(`writeVideo: frames need 1, 3 or 4 channels, got ${raw.channels}`);
          ff = await start(options.ffmpeg ?? ffmpegPath(), [
            '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', pix, '-s', `${raw.width}x${raw.height}`,
            '-r', String(fps), '-i', '-', ...encode, fileArg(tmp),
          ]);
          ff.child.stdin.on('error', () => undefined); // EPIPE if ffmpeg dies; reported from its exit code below
        } else if (raw.width !== first.width || raw.height !== first.height || raw.channels !== first.channels) {
          throw new Error(
            `writeVideo: frame ${count} is ${raw.width}×${raw.height}×${raw.channels}, ` +
              `frame 0 was ${first.width}×${first.height}×${first.channels}`,
          );
        }
        if (raw.data.length !== raw.width * raw.height * raw.channels) {
          throw new Error(`writeVideo: frame ${count} has ${raw.data.length} bytes for ${raw.width}×${raw.height}×${raw.channels}`);
        }
        if (!ff!.child.stdin.write(raw.data)) await once(ff!.child.stdin, 'drain');
        count++;
      }
      if (ff === undefined) throw new Error(`writeVideo: no frames for ${path}`);
      ff.child.stdin.end();
      const code = await ff.closed;
      if (code !== 0) throw new Error(`writeVideo: ffmpeg failed writing ${path} (exit ${code}): ${ff.stderr()}`);
      return count;
    } catch (e) {
      if (ff !== undefined) await stop(ff);
      throw e;
    }
  });
}
