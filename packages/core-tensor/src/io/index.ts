// Public API of src/io: crash-safe writes and model directories.
export { writeFileAtomic, ATOMIC_TEMP_PATTERN, type AtomicData } from './atomic.js';
export { fileSystemIO, MODEL_JSON_FILE, MODEL_WEIGHTS_FILE } from './model-dir.js';
