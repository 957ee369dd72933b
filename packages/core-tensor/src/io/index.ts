// Public API of src/io (filled by its owner).
export {};
