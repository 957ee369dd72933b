/**
 * OMG-Emotion annotation CSVs: header `link,start,end,video,utterance,arousal,valence,emotionMaxVote`, one
 * row per utterance (utterance-level labels). Arousal is in [0, 1] and valence in [−1, 1] in the release;
 * both are checked against [−1, 1].
 */
import { readCsv } from '@facelab/runtime';
import { parseAffect } from './checks.js';

/** One OMG-Emotion utterance. */
export interface OmgUtterance {
  link: string;
  start: number;
  end: number;
  video: string;
  utterance: string;
  arousal: number;
  valence: number;
  /** Index of the majority-vote emotion (0–6). */
  emotion: number;
  line: number;
}

const COLUMNS = ['link', 'start', 'end', 'video', 'utterance', 'arousal', 'valence', 'emotionMaxVote'] as const;

/** Reads and checks an OMG-Emotion CSV. Errors name the file and line. */
export async function readOmgCsv(path: string): Promise<OmgUtterance[]> {
  const table = await readCsv(path);
  const missing = COLUMNS.filter((c) => !table.header?.includes(c));
  if (missing.length > 0) throw new Error(`${path}:1: missing column(s) ${missing.join(', ')}`);
  return table.rows.map((row) => {
    const r = row.record!;
    const num = (c: string) => {
      const v = r[c]!.trim() === '' ? NaN : Number(r[c]);
      if (!Number.isFinite(v)) throw new Error(`${path}:${row.line}: column ${c} is not a number: '${r[c]}'`);
      return v;
    };
    const emotion = num('emotionMaxVote');
    if (!Number.isInteger(emotion) || emotion < 0 || emotion > 6) {
      throw new Error(`${path}:${row.line}: emotionMaxVote ${emotion} is not a class index 0–6`);
    }
    return {
      link: r.link!,
      start: num('start'),
      end: num('end'),
      video: r.video!,
      utterance: r.utterance!,
      arousal: parseAffect(r.arousal!, path, row.line, 'arousal'),
      valence: parseAffect(r.valence!, path, row.line, 'valence'),
      emotion,
      line: row.line,
    };
  });
}
