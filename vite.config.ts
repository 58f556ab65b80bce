import { defineConfig } from 'vite'

/** Cross-origin isolation lets onnxruntime-web's WASM use threads; the app works without it. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
}

export default defineConfig({
  server: { headers: isolation, host: '127.0.0.1', port: 5173 },
  preview: { headers: isolation, host: '127.0.0.1', port: 4173 },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web', '@echogarden/pffft-wasm'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
})
