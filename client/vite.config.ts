/**
 * Build of the web chat alone: `client/` in, `dist/client/` out, served by server/web. The admin
 * console gets a config of its own beside its sources, so neither build knows about the other.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [solid()],
  // Served from the site root; /c/<chat> URLs still load /assets/… correctly.
  base: '/',
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything ships as files: the page's Content-Security-Policy allows no inline script or style.
    assetsInlineLimit: 0,
  },
});
