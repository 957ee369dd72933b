import { defineConfig } from 'vite';

// Relative asset URLs, so the built page works from any folder a static server gives it.
export default defineConfig({
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
