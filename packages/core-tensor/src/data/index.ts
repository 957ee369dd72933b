// Public API of src/data (filled by its owner).
export {};
