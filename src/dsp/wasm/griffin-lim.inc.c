/*
 * Griffin-Lim's per-frame work (the formulas and their sources are in griffin-lim.ts), four
 * frames at a time: frame 4G + l sits in lane l of every f32x4, so one pass of the v4 Stockham
 * stages (a plan over the whole complex length, lanes = frames) transforms four frames, for any
 * size the stages take. Everything one iteration needs is laid out once by griffin-lim.ts in
 * this module's memory (the GriffinLim struct); an iteration is one call, with no allocation.
 *
 * Layouts: mag[(G·bins + k)·4 + l] = S of frame 4G + l at bin k (0 for the frames past the
 * end); prev[(G·bins + k)·8 + l] = re R_{i−1}, [… + 4 + l] = im R_{i−1}.
 */

typedef struct {
  const Plan *plan; /* stages over the whole complex length h (lanes = 1), its realtw */
  int n, hop, frames, groups, bins, lo, hi, offset, length, full, reflect;
  float alpha;
  float *mag;
  float *prev;
  float *padded; /* full */
  float *sum;    /* full: Σ_t w·irfft(frame t) shifted by t·hop, for the next estimate */
  float *inverse_envelope;       /* full: 1/Σ w², 0 where it vanishes */
  const float *window;           /* n */
  const float *synthesis;        /* n: w/n, the inverse FFT's 1/n folded in */
  v4 *time;                      /* n */
  v4 *spectrum;                  /* 2·bins: re, im per bin */
  v4 *work;                      /* 4·h */
  double *inverse64;             /* full: inverse_envelope in float64, for the waveform */
} GriffinLim;

/*
 * The layout from bin-major inputs (S, and A0 as re, im; bins × frames each): mag and
 * prev = S·A0 in groups of four frames (zeros past the last frame), sum and padded cleared,
 * 1/Σ w² overlap-added (float64, in griffin-lim.ts's order), w/n. Returns ‖S‖² summed in
 * float64 in bin-major order (as the JavaScript loop does).
 */
__attribute__((export_name("gl_setup"))) double gl_setup(GriffinLim *g, const float *S,
                                                       const float *re, const float *im) {
  const int bins = g->bins, frames = g->frames, full = g->full;
  const v4 zero = {0, 0, 0, 0};
  for (int i = 0; i < g->groups * bins; i++) ((v4 *)g->mag)[i] = zero;
  for (int i = 0; i < 2 * g->groups * bins; i++) ((v4 *)g->prev)[i] = zero;
  for (int i = 0; i < full; i++) {
    g->sum[i] = 0;
    g->padded[i] = 0;
    g->inverse64[i] = 0;
  }
  double energy = 0;
  for (int k = 0; k < bins; k++) {
    const float *srow = S + k * frames, *rrow = re + k * frames, *irow = im + k * frames;
    for (int t = 0; t < frames; t++) {
      const float m = srow[t];
      const int group = (t >> 2) * bins + k, lane = t & 3;
      energy += (double)m * m;
      g->mag[group * 4 + lane] = m;
      g->prev[group * 8 + lane] = m * rrow[t];
      g->prev[group * 8 + 4 + lane] = m * irow[t];
    }
  }
  const float *w = g->window;
  double *env = g->inverse64;
  for (int t = 0; t < frames; t++) {
    double *at = env + t * g->hop;
    for (int i = g->lo; i < g->hi; i++) at[i] += (double)w[i] * w[i];
  }
  for (int i = 0; i < full; i++) {
    env[i] = env[i] > 1e-11 ? 1 / env[i] : 0;
    g->inverse_envelope[i] = (float)env[i];
  }
  float *synthesis = (float *)g->synthesis;
  for (int i = 0; i < g->n; i++) synthesis[i] = (float)((double)w[i] / g->n);
  return energy;
}

/* The waveform after the last iteration: out[i] = sum[offset + i] / Σ w², i < length. */
__attribute__((export_name("gl_finish"))) void gl_finish(const GriffinLim *g, float *out) {
  for (int i = 0; i < g->length; i++) {
    out[i] = (float)((double)g->sum[g->offset + i] * g->inverse64[g->offset + i]);
  }
}

static inline v4 vsqrt(v4 x) { return __builtin_wasm_sqrt_f32x4(x); }

/* rfft of four frames: time[0 … n−1] → spectrum (re, im per bin), as fx_rfft does for one. */
static void rfft4(const Plan *plan, const v4 *time, v4 *spectrum, v4 *work) {
  const int h = plan->h;
  v4 *ar = work, *ai = ar + h, *br = ai + h, *bi = br + h;
  const v4 zero = {0, 0, 0, 0};
  if (plan->n & 1) {
    for (int i = 0; i < h; i++) {
      ar[i] = time[i];
      ai[i] = zero;
    }
    const int where = stages_v4(plan, ar, ai, br, bi);
    const v4 *zr = where ? br : ar, *zi = where ? bi : ai;
    for (int k = 0; k < h / 2 + 1; k++) {
      spectrum[2 * k] = zr[k];
      spectrum[2 * k + 1] = k == 0 ? zero : zi[k];
    }
    return;
  }
  for (int i = 0; i < h; i++) {
    ar[i] = time[2 * i];
    ai[i] = time[2 * i + 1];
  }
  const int where = stages_v4(plan, ar, ai, br, bi);
  const v4 *zr = where ? br : ar, *zi = where ? bi : ai;
  const float *tw = plan->realtw;
  const v4 half = {0.5f, 0.5f, 0.5f, 0.5f};
  for (int k = 0; k <= h; k++) {
    const int z = k == h ? 0 : k;
    const int j = (k == 0 || k == h) ? 0 : h - k;
    const v4 zr0 = zr[z], zi0 = zi[z], yr = zr[j], yi = -zi[j];
    const v4 er = half * (zr0 + yr), ei = half * (zi0 + yi);
    const v4 orr = half * (zi0 - yi), oi = -half * (zr0 - yr);
    const v4 c = SPLAT_V4(tw[2 * k]), s = SPLAT_V4(-tw[2 * k + 1]);
    spectrum[2 * k] = er + c * orr - s * oi;
    spectrum[2 * k + 1] = ei + c * oi + s * orr;
  }
  spectrum[1] = zero;
  spectrum[2 * h + 1] = zero;
}

/* n·irfft of four frames: spectrum → time[0 … n−1], as fx_irfft does for one. */
static void irfft4(const Plan *plan, const v4 *spectrum, v4 *time, v4 *work) {
  const int h = plan->h;
  v4 *ar = work, *ai = ar + h, *br = ai + h, *bi = br + h;
  const v4 zero = {0, 0, 0, 0};
  if (plan->n & 1) {
    ai[0] = spectrum[0];
    ar[0] = zero;
    for (int k = 1; k < h / 2 + 1; k++) {
      ai[k] = spectrum[2 * k];
      ar[k] = spectrum[2 * k + 1];
      ai[h - k] = spectrum[2 * k];
      ar[h - k] = -spectrum[2 * k + 1];
    }
    const int where = stages_v4(plan, ar, ai, br, bi);
    const v4 *re = where ? bi : ai;
    for (int i = 0; i < h; i++) time[i] = re[i];
    return;
  }
  const float *tw = plan->realtw;
  for (int k = 0; k < h; k++) {
    const v4 xr = spectrum[2 * k], xi = k == 0 ? zero : spectrum[2 * k + 1];
    const v4 yr = spectrum[2 * (h - k)], yi = k == 0 ? zero : -spectrum[2 * (h - k) + 1];
    const v4 er = xr + yr, ei = xi + yi, dr = xr - yr, di = xi - yi;
    const v4 c = SPLAT_V4(tw[2 * k]), s = SPLAT_V4(tw[2 * k + 1]);
    const v4 orr = dr * c - di * s, oi = dr * s + di * c;
    ai[k] = er - oi;
    ar[k] = ei + orr;
  }
  const int where = stages_v4(plan, ar, ai, br, bi);
  const v4 *zi = where ? br : ar, *zr = where ? bi : ai;
  for (int i = 0; i < h; i++) {
    time[2 * i] = zr[i];
    time[2 * i + 1] = zi[i];
  }
}

/* sum[start_l + i] += lane l of time[i] · synthesis[i], for the frames of group G that exist. */
static void overlap_add4(GriffinLim *g, int group) {
  const int first = 4 * group;
  const int count = g->frames - first < 4 ? g->frames - first : 4;
  float *sum = g->sum;
  const float *w = g->synthesis;
  if (count == 4) {
    float *s0 = sum + first * g->hop, *s1 = s0 + g->hop, *s2 = s1 + g->hop, *s3 = s2 + g->hop;
    int i = g->lo;
    /* Four samples at a time: the 4×4 block (sample, frame) transposed to one v4 per frame;
     * each frame's load-add-store completes before the next's, so overlaps add as before. */
    for (; i + 4 <= g->hi; i += 4) {
      v4 in[4], out[4];
      for (int u = 0; u < 4; u++) in[u] = g->time[i + u] * SPLAT_V4(w[i + u]);
      transpose4(in, out);
      *(v4u *)(s0 + i) += out[0];
      *(v4u *)(s1 + i) += out[1];
      *(v4u *)(s2 + i) += out[2];
      *(v4u *)(s3 + i) += out[3];
    }
    for (; i < g->hi; i++) {
      const v4 v = g->time[i] * SPLAT_V4(w[i]);
      s0[i] += v[0];
      s1[i] += v[1];
      s2[i] += v[2];
      s3[i] += v[3];
    }
    return;
  }
  for (int l = 0; l < count; l++) {
    float *s = sum + (first + l) * g->hop;
    for (int i = g->lo; i < g->hi; i++) s[i] += g->time[i][l] * w[i];
  }
}

/* x = ISTFT(S·A0): the starting spectra lie in prev (same layout); prev is zeroed after (R_0). */
__attribute__((export_name("gl_start"))) void gl_start(GriffinLim *g) {
  const int bins = g->bins;
  for (int G = 0; G < g->groups; G++) {
    v4 *p = (v4 *)g->prev + 2 * bins * G;
    for (int k = 0; k < 2 * bins; k++) {
      g->spectrum[k] = p[k];
      p[k] = (v4){0, 0, 0, 0};
    }
    irfft4(g->plan, g->spectrum, g->time, g->work);
    overlap_add4(g, G);
  }
}

/* One iteration; returns Σ (|R_i| − S)² over every bin of every frame. */
__attribute__((export_name("gl_iteration"))) double gl_iteration(GriffinLim *g) {
  const int offset = g->offset, length = g->length, full = g->full, n = g->n, hop = g->hop;
  const int bins = g->bins, lo = g->lo, hi = g->hi;
  float *padded = g->padded, *sum = g->sum;
  const float *inv = g->inverse_envelope, *w = g->window;
  /* The estimate: normalised, trimmed, reflect-padded as torch.stft pads it; sum cleared. */
  for (int i = offset; i < offset + length; i++) {
    padded[i] = sum[i] * inv[i];
    sum[i] = 0;
  }
  for (int j = 1; j <= offset; j++) {
    padded[offset - j] = g->reflect ? padded[offset + j] : 0;
    padded[offset + length - 1 + j] = g->reflect ? padded[offset + length - 1 - j] : 0;
  }
  for (int i = 0; i < offset; i++) sum[i] = 0;
  for (int i = offset + length; i < full; i++) sum[i] = 0;

  const v4 alpha = SPLAT_V4(g->alpha), tiny = SPLAT_V4(1e-16f);
  double error = 0;
  for (int G = 0; G < g->groups; G++) {
    const int first = 4 * G;
    const int count = g->frames - first < 4 ? g->frames - first : 4;
    v4 *time = g->time;
    const v4 zero = {0, 0, 0, 0};
    for (int i = 0; i < lo; i++) time[i] = zero;
    for (int i = hi; i < n; i++) time[i] = zero;
    if (count == 4) {
      const float *x0 = padded + first * hop, *x1 = x0 + hop, *x2 = x1 + hop, *x3 = x2 + hop;
      int i = lo;
      for (; i + 4 <= hi; i += 4) { /* four samples of each frame, transposed to frame lanes */
        const v4 in[4] = {*(const v4u *)(x0 + i), *(const v4u *)(x1 + i), *(const v4u *)(x2 + i),
                          *(const v4u *)(x3 + i)};
        v4 out[4];
        transpose4(in, out);
        for (int u = 0; u < 4; u++) time[i + u] = out[u] * SPLAT_V4(w[i + u]);
      }
      for (; i < hi; i++) time[i] = (v4){x0[i], x1[i], x2[i], x3[i]} * SPLAT_V4(w[i]);
    } else {
      for (int i = lo; i < hi; i++) {
        v4 v = zero;
        for (int l = 0; l < count; l++) v[l] = padded[(first + l) * hop + i] * w[i];
        time[i] = v;
      }
    }
    rfft4(g->plan, time, g->spectrum, g->work);
    /* A = (R − α·R_{i−1}) / (|R − α·R_{i−1}| + 1e-16); S·A replaces R; R kept as R_{i−1}. */
    const v4 *mag = (const v4 *)g->mag + bins * G;
    v4 *prev = (v4 *)g->prev + 2 * bins * G;
    v4 *spec = g->spectrum;
    v4 err = zero;
    for (int k = 0; k < bins; k++) {
      const v4 rr = spec[2 * k], ri = spec[2 * k + 1], m = mag[k];
      const v4 d = vsqrt(rr * rr + ri * ri) - m;
      err += d * d;
      const v4 ar = rr - alpha * prev[2 * k], ai = ri - alpha * prev[2 * k + 1];
      prev[2 * k] = rr;
      prev[2 * k + 1] = ri;
      const v4 scale = m / (vsqrt(ar * ar + ai * ai) + tiny);
      spec[2 * k] = ar * scale;
      spec[2 * k + 1] = ai * scale;
    }
    error += (double)err[0] + (double)err[1] + (double)err[2] + (double)err[3];
    irfft4(g->plan, spec, time, g->work);
    overlap_add4(g, G);
  }
  return error;
}
