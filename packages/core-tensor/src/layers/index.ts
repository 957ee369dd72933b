// Public API of src/layers (filled by its owner).
export {};
