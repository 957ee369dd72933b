/**
 * AFEW-style class folders: `<root>/<Emotion>/<clip>` with the 7 classes Angry, Disgust, Fear, Happy,
 * Neutral, Sad, Surprise; a clip is a folder of frames or a video file. Labels index {@link AFEW_CLASSES}.
 */
import { listClassFolders } from '@facelab/data';

/** AFEW's 7 classes, in label order. */
export const AFEW_CLASSES = ['Angry', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprise'] as const;

/** One clip with its class. */
export interface AfewClip {
  path: string;
  label: number;
  className: (typeof AFEW_CLASSES)[number];
}

/** Lists the clips of an AFEW-style root; an unknown class folder is an error naming it. */
export async function listAfewClips(root: string, entries: 'dirs' | 'files' = 'dirs'): Promise<AfewClip[]> {
  const { classes, items } = await listClassFolders(root, { entries });
  const unknown = classes.filter((c) => !(AFEW_CLASSES as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`${root}: unknown class folder(s) ${unknown.join(', ')}: expected ${AFEW_CLASSES.join(', ')}`);
  if (items.length === 0) throw new Error(`${root}: no clips`);
  return items.map((it) => {
    const className = it.className as AfewClip['className'];
    return { path: it.path, label: AFEW_CLASSES.indexOf(className), className };
  });
}
