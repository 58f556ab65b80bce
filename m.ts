import { integratedLoudness, truePeak } from './src/dsp/loudness'
const r = 48000, n = r * 600
let s = 1
const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296) * 2 - 1
const music = [0, 1].map(() => { const a = new Float32Array(n); let y = 0; for (let i = 0; i < n; i++) { y += 0.2 * (rnd() * 0.5 - y); a[i] = y + 0.3 * Math.sin(i * 0.01) * Math.sin(i * 1e-5) } return a })
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
for (let k = 0; k < 2; k++) { let t = cpu(); integratedLoudness(music, r); console.log('I', (cpu() - t).toFixed(0)); t = cpu(); truePeak(music); console.log('TP', (cpu() - t).toFixed(0)) }
