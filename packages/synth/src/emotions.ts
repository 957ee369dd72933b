/**
 * The 7 basic emotions (AFEW's order), their prototypical valence/arousal, and the mapping from affect to the
 * facial expression parameters the renderer draws. Valence and arousal drive the expression continuously;
 * near a class prototype its class-specific features (e.g. the nose wrinkle of disgust) fade in.
 */

/** The 7 basic emotions in AFEW's (alphabetical) order; a class label is an index into this list. */
export const SYNTH_EMOTIONS = ['Angry', 'Disgust', 'Fear', 'Happy', 'Neutral', 'Sad', 'Surprise'] as const;

/** One of the 7 basic emotions. */
export type SynthEmotion = (typeof SYNTH_EMOTIONS)[number];

/** Prototypical (valence, arousal) of each emotion, placed on Russell's circumplex. */
export const EMOTION_VALENCE_AROUSAL: Readonly<Record<SynthEmotion, readonly [number, number]>> = {
  Angry: [-0.55, 0.7],
  Disgust: [-0.7, 0.25],
  Fear: [-0.4, 0.85],
  Happy: [0.8, 0.45],
  Neutral: [0, 0],
  Sad: [-0.65, -0.45],
  Surprise: [0.25, 0.85],
};

/** Expression parameters of a synthetic face (dimensionless; the renderer scales them by the identity). */
export interface Expression {
  /** Mouth-corner lift: + smile, − frown, in [−1.3, 1.3]. */
  mouthCurve: number;
  /** Mouth opening in [0, 1]. */
  mouthOpen: number;
  /** Mouth width factor (1 = the identity's own width). */
  mouthWidth: number;
  /** Whole-brow lift in [−1, 1]. */
  browRaise: number;
  /** Inner-brow lift: + inner ends up (sadness, fear), − down (anger), in [−1, 1]. */
  browInnerRaise: number;
  /** Eye opening factor (1 = the identity's own). */
  eyeOpen: number;
  /** Nose wrinkle strength in [0, 1] (disgust). */
  noseWrinkle: number;
  /** Asymmetric upper-lip raise in [0, 1] (disgust). */
  upperLipRaise: number;
}

const CLASS_FEATURES: Readonly<Record<SynthEmotion, Partial<Expression>>> = {
  Angry: { browInnerRaise: -0.7, eyeOpen: -0.1, mouthOpen: -0.2, mouthWidth: -0.1 },
  Disgust: { noseWrinkle: 1, upperLipRaise: 0.9, browInnerRaise: -0.3, eyeOpen: -0.25 },
  Fear: { browInnerRaise: 0.9, browRaise: 0.3, eyeOpen: 0.3, mouthWidth: 0.2, mouthCurve: -0.2 },
  Happy: { eyeOpen: -0.2, mouthCurve: 0.2, mouthWidth: 0.1 },
  Neutral: {},
  Sad: { browInnerRaise: 0.6, mouthCurve: -0.2, eyeOpen: -0.2 },
  Surprise: { browRaise: 0.5, eyeOpen: 0.3, mouthOpen: 0.45, mouthWidth: -0.25 },
};

/** Distance in the valence/arousal plane at which class features have faded out completely. */
const CLASS_RADIUS = 0.35;

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);

/** Index (into {@link SYNTH_EMOTIONS}) of the emotion whose prototype is nearest to (valence, arousal). */
export function nearestEmotion(valence: number, arousal: number): number {
  let best = 0;
  let bestD = Infinity;
  SYNTH_EMOTIONS.forEach((name, i) => {
    const [v, a] = EMOTION_VALENCE_AROUSAL[name];
    const d = (v - valence) ** 2 + (a - arousal) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}

/** The class-specific expression offsets of an emotion (empty for Neutral). */
export function emotionFeatures(emotion: SynthEmotion): Partial<Expression> {
  return CLASS_FEATURES[emotion];
}

/**
 * The expression for (valence, arousal) in [−1, 1]²: valence curves the mouth and widens it, arousal opens
 * eyes and mouth and lifts the brows; negative valence tilts the inner brows down when aroused (anger) and up
 * when not (sadness). `emotion` (default: the nearest prototype) adds its class features, weighted by how close
 * (valence, arousal) is to that prototype.
 */
export function expressionFor(valence: number, arousal: number, emotion?: SynthEmotion): Expression {
  if (!(Math.abs(valence) <= 1 && Math.abs(arousal) <= 1)) {
    throw new Error(`expressionFor: valence and arousal must be in [-1, 1], got (${valence}, ${arousal})`);
  }
  const name = emotion ?? SYNTH_EMOTIONS[nearestEmotion(valence, arousal)]!;
  const [pv, pa] = EMOTION_VALENCE_AROUSAL[name];
  const w = Math.max(0, 1 - Math.hypot(valence - pv, arousal - pa) / CLASS_RADIUS);
  const f = CLASS_FEATURES[name];
  const neg = Math.max(0, -valence);
  return {
    mouthCurve: clamp(valence + w * (f.mouthCurve ?? 0), -1.3, 1.3),
    mouthOpen: clamp(0.45 * (arousal + 1) / 2 + w * (f.mouthOpen ?? 0), 0, 1),
    mouthWidth: clamp(1 + 0.2 * valence + w * (f.mouthWidth ?? 0), 0.6, 1.4),
    browRaise: clamp(0.8 * arousal + w * (f.browRaise ?? 0), -1, 1),
    browInnerRaise: clamp(-0.8 * neg * arousal + w * (f.browInnerRaise ?? 0), -1, 1),
    eyeOpen: clamp(1 + 0.5 * arousal + w * (f.eyeOpen ?? 0), 0.35, 1.6),
    noseWrinkle: w * (f.noseWrinkle ?? 0),
    upperLipRaise: w * (f.upperLipRaise ?? 0),
  };
}
