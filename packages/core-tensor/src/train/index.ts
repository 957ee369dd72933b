// Public API of src/train (filled by its owner).
export {};
