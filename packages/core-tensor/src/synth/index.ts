// Public API of src/synth (filled by its owner).
export {};
