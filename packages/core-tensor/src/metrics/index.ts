// Public API of src/metrics (filled by its owner).
export {};
