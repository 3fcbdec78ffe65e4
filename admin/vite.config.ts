/**
 * Build of the admin console alone: `admin/` in, `dist/admin/` out, served at /admin by
 * server/admin/console.ts. Its own config, so neither front end's build knows about the other.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [solid()],
  base: '/admin/',
  build: {
    outDir: here('../dist/admin'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything ships as files: the page's Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
  },
});
