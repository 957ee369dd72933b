/**
 * OMG-Emotion annotation CSVs as released (`omg_TrainVideos.csv`, …): header
 * `link,start,end,video,utterance,arousal,valence,EmotionMaxVote`, one row per utterance (utterance-level
 * labels). Column names are matched case-insensitively and with surrounding spaces (and a UTF-8 BOM) ignored,
 * so files re-saved with `emotionMaxVote` or `Arousal` read too. Arousal is in [0, 1] and valence in [−1, 1] in
 * the release; both are checked against [−1, 1].
 */
import { decimalNumber, readCsv } from '@facelab/runtime';
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
  /** Index of the majority-vote emotion (0–6), the release's `EmotionMaxVote`. */
  emotion: number;
  line: number;
}

/** The release's columns, spelled as in its header. */
export const OMG_COLUMNS = ['link', 'start', 'end', 'video', 'utterance', 'arousal', 'valence', 'EmotionMaxVote'] as const;

type OmgColumn = (typeof OMG_COLUMNS)[number];

const normalise = (name: string) => name.replace(/^\uFEFF/, '').trim().toLowerCase();

/** Reads and checks an OMG-Emotion CSV. Errors name the file and line. */
export async function readOmgCsv(path: string): Promise<OmgUtterance[]> {
  const table = await readCsv(path);
  const header = (table.header ?? []).map(normalise);
  const index = new Map(OMG_COLUMNS.map((c) => [c, header.indexOf(normalise(c))] as const));
  const missing = OMG_COLUMNS.filter((c) => index.get(c)! < 0);
  if (missing.length > 0) throw new Error(`${path}:1: missing column(s) ${missing.join(', ')}`);
  return table.rows.map((row) => {
    const field = (c: OmgColumn) => row.fields[index.get(c)!] ?? '';
    const num = (c: OmgColumn) => {
      const v = decimalNumber(field(c));
      if (!Number.isFinite(v)) throw new Error(`${path}:${row.line}: column ${c} is not a number: '${field(c)}'`);
      return v;
    };
    const emotion = num('EmotionMaxVote');
    if (!Number.isInteger(emotion) || emotion < 0 || emotion > 6) {
      throw new Error(`${path}:${row.line}: EmotionMaxVote ${emotion} is not a class index 0–6`);
    }
    const start = num('start');
    const end = num('end');
    if (start < 0 || end < start) throw new Error(`${path}:${row.line}: utterance ends (${end}) before it starts (${start}) or starts before 0`);
    return {
      link: field('link'),
      start,
      end,
      video: field('video'),
      utterance: field('utterance'),
      arousal: parseAffect(field('arousal'), path, row.line, 'arousal'),
      valence: parseAffect(field('valence'), path, row.line, 'valence'),
      emotion,
      line: row.line,
    };
  });
}
