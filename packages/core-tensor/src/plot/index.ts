// Public API of src/plot (filled by its owner).
export {};
