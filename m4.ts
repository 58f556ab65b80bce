import { readFileSync } from 'node:fs'
import { decodeWav } from './src/media/wav'
import { integratedLoudness, truePeak } from './src/dsp/loudness'
const a = decodeWav(new Uint8Array(readFileSync('public/samples/synesthete-demo.wav')))
const r = 48000, n = r * 600
const music = a.channels.map((c) => { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = c[i % c.length] * (0.5 + 0.5 * Math.sin(i / n * 7)); return o })
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
for (let k = 0; k < 2; k++) { let t = cpu(); integratedLoudness(music, r); console.log('I', (cpu() - t).toFixed(0)); t = cpu(); truePeak(music); console.log('TP', (cpu() - t).toFixed(0)) }
