/** @facelab/rpca: Robust PCA with side information and missing values (Xue et al. 2018) on fast partial SVDs. */
export * from './browser.js';

// Node only (files).
export { readUvFolder, writeUvTexture, type UvFolder } from './uv/io.js';
