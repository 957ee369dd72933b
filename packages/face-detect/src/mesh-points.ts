/**
 * Named points of the 478-point MediaPipe face mesh (468 mesh vertices + 10 iris points) that Human's FaceMesh
 * returns: the five ArcFace points and a 68-point iBUG layout. "Left"/"right" below are the image's sides for an
 * upright frontal face (the subject's right eye is the image's left), the order insightface's template uses.
 */

/**
 * Mesh vertices behind the five ArcFace points, in the template's order: each point is the mean of its
 * vertices. Eyes: the two corners (outer, inner) averaged; nose: the tip; mouth: the two corners.
 */
export const FIVE_POINT_MESH_INDICES: readonly (readonly number[])[] = [
  [33, 133], // image-left eye: outer corner, inner corner
  [362, 263], // image-right eye: inner corner, outer corner
  [1], // nose tip
  [61], // image-left mouth corner
  [291], // image-right mouth corner
];

/**
 * The mesh vertex taken for each of the 68 iBUG / 300-W landmarks (index = iBUG point): jaw 0–16, brows 17–26,
 * nose 27–35, eyes 36–47, outer lips 48–59, inner lips 60–67. Chosen on the mesh's named contours (face oval,
 * brow, eye and lip rings); the table is mirror-symmetric (see {@link IBUG68_MIRROR}).
 */
export const MESH_TO_IBUG68: readonly number[] = [
  // jaw, image-left ear → chin → image-right ear
  127, 234, 93, 132, 58, 172, 150, 176, 152, 400, 379, 397, 288, 361, 323, 454, 356,
  // brows, outer → inner (left), inner → outer (right)
  70, 63, 105, 66, 107, 336, 296, 334, 293, 300,
  // nose bridge top → tip, then the lower edge left → right
  168, 197, 5, 4, 98, 97, 2, 326, 327,
  // image-left eye: outer corner, upper ×2, inner corner, lower ×2
  33, 160, 158, 133, 153, 144,
  // image-right eye: inner corner, upper ×2, outer corner, lower ×2
  362, 385, 387, 263, 373, 380,
  // outer lips from the left corner, clockwise
  61, 40, 37, 0, 267, 270, 291, 321, 314, 17, 84, 91,
  // inner lips from the left corner, clockwise
  78, 81, 13, 311, 308, 402, 14, 178,
];

/** iBUG 68 left–right mirror: `IBUG68_MIRROR[i]` is the landmark that `i` becomes in a mirrored face. */
export const IBUG68_MIRROR: readonly number[] = [
  ...Array.from({ length: 17 }, (_, i) => 16 - i),
  ...Array.from({ length: 10 }, (_, i) => 26 - i),
  27, 28, 29, 30, 35, 34, 33, 32, 31,
  45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40,
  54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55,
  64, 63, 62, 61, 60, 67, 66, 65,
];

/** A point [x, y] in pixels. */
export type Point = [number, number];

/** The five ArcFace points from a face mesh (points [x, y, ...] in pixels). */
export function fivePointsFromMesh(mesh: readonly (readonly number[])[]): Point[] {
  if (mesh.length < 468) throw new Error(`fivePointsFromMesh: mesh must have at least 468 points, got ${mesh.length}`);
  return FIVE_POINT_MESH_INDICES.map((ids) => {
    let x = 0;
    let y = 0;
    for (const i of ids) {
      x += mesh[i]![0]!;
      y += mesh[i]![1]!;
    }
    return [x / ids.length, y / ids.length];
  });
}

/** The 68 iBUG landmarks from a face mesh, by {@link MESH_TO_IBUG68}. */
export function ibug68FromMesh(mesh: readonly (readonly number[])[]): Point[] {
  if (mesh.length < 468) throw new Error(`ibug68FromMesh: mesh must have at least 468 points, got ${mesh.length}`);
  return MESH_TO_IBUG68.map((i) => [mesh[i]![0]!, mesh[i]![1]!]);
}
