// Public API of src/losses (filled by its owner).
export {};
