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
  const float *analysis;         /* n: the window the frames are cut with, w/2 for even n (rfft4) */
  /* Lane layout (even n, hop n/2; griffin-lim-wasm.ts sets it, else 0 and these unused): */
  int lanes;
  v4 *blocks;    /* (groups + 1)·hop: lane l of [G·hop + j] = the estimate at (4G + l)·hop + j */
  v4 *inv_lanes; /* (groups + 1)·hop: lane l of [G·hop + j] = 1/Σ w² there (0 past the end) */
  v4 *frames2;   /* 2·n: the group before's second halves (hop vectors), then n zeros */
  float *ends;   /* 2·offset: the reflected estimate before offset, then from offset + length */
} GriffinLim;

/*
 * The layout but for S and A0: sum and padded cleared, the lanes of mag and prev past the last
 * frame zeroed (gl_rows fills the others), 1/Σ w² overlap-added (float64, in
 * griffin-lim.ts's order), w/n, the analysis window.
 */
__attribute__((export_name("gl_setup"))) void gl_setup(GriffinLim *g) {
  const int bins = g->bins, frames = g->frames, full = g->full;
  const v4 zero = {0, 0, 0, 0};
  /* gl_rows fills every frame's lane; the lanes past the last frame stay 0. */
  const int last = g->groups - 1, count = frames - 4 * last;
  for (int k = 0; k < bins && count < 4; k++) {
    for (int l = count; l < 4; l++) {
      g->mag[(last * bins + k) * 4 + l] = 0;
      g->prev[(last * bins + k) * 8 + l] = g->prev[(last * bins + k) * 8 + 4 + l] = 0;
    }
  }
  for (int i = 0; i < full; i++) g->inverse64[i] = 0;
  if (!g->lanes) {
    for (int i = 0; i < full; i++) g->sum[i] = g->padded[i] = 0;
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
  float *analysis = (float *)g->analysis;
  for (int i = 0; i < g->n; i++) analysis[i] = g->n & 1 ? w[i] : 0.5f * w[i];
  if (g->lanes) {
    const int hop = g->hop, blocks = 4 * (g->groups + 1);
    float *lanes = (float *)g->inv_lanes;
    for (int b = 0; b < blocks; b++) {
      float *to = lanes + 4 * (b >> 2) * hop + (b & 3);
      const int at = b * hop, count = full - at < 0 ? 0 : full - at < hop ? full - at : hop;
      for (int j = 0; j < count; j++) to[4 * j] = g->inverse_envelope[at + j];
      for (int j = count; j < hop; j++) to[4 * j] = 0;
    }
    for (int i = 0; i < 2 * g->n; i++) g->frames2[i] = zero;
  }
}

/*
 * Bins [from, to) of mag and prev = S·A0 in groups of four frames, from bin-major rows of S and
 * A0 (re, im): row k − from, frame t at (k − from)·frames + t. Returns energy + ‖those rows of S‖²,
 * summed in float64 in bin-major order (as the JavaScript loop does over the whole of S).
 */
__attribute__((export_name("gl_rows"))) double gl_rows(GriffinLim *g, const float *S,
                                                     const float *re, const float *im, int from,
                                                     int to, double energy) {
  const int bins = g->bins, frames = g->frames;
  for (int k = from; k < to; k++) {
    const int row = (k - from) * frames;
    const float *srow = S + row, *rrow = re + row, *irow = im + row;
    for (int t = 0; t < frames; t++) {
      const float m = srow[t];
      const int group = (t >> 2) * bins + k, lane = t & 3;
      energy += (double)m * m;
      g->mag[group * 4 + lane] = m;
      g->prev[group * 8 + lane] = m * rrow[t];
      g->prev[group * 8 + 4 + lane] = m * irow[t];
    }
  }
  return energy;
}

/* The waveform after the last iteration: out[i] = sum[offset + i] / Σ w², i < length (the lane
 * layout's last iteration leaves the sums, not divided, in blocks). */
__attribute__((export_name("gl_finish"))) void gl_finish(const GriffinLim *g, float *out) {
  const int offset = g->offset, length = g->length, hop = g->hop;
  if (!g->lanes) {
    for (int i = 0; i < length; i++) {
      out[i] = (float)((double)g->sum[offset + i] * g->inverse64[offset + i]);
    }
    return;
  }
  for (int i = 0, b = offset / hop, j = offset % hop; i < length; i++) {
    const float sum = g->blocks[(b >> 2) * hop + j][b & 3];
    out[i] = (float)((double)sum * g->inverse64[offset + i]);
    if (++j == hop) j = 0, b++;
  }
}

static inline v4 vsqrt(v4 x) { return __builtin_wasm_sqrt_f32x4(x); }

/*
 * rfft of four frames, as fx_rfft does for one. Even n: the frames arrive packed in the work
 * buffer (gl_iteration writes x_{2i}, x_{2i+1} as re, im of z_i, times ½: the analysis window is
 * halved), so Z' = Z/2 and the untangling needs no ½: E_k = Z'_k + conj Z'_{h−k},
 * O_k = (Z'_k − conj Z'_{h−k})/i, X_k = E_k + W^k·O_k (W = e^{−2πi/n}), and since W^{h−k} = −conj W^k,
 * X_{h−k} = conj(E_k − W^k·O_k): one pass makes bins k and h−k. Odd n: time holds the frames.
 */
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
  const int where = stages_v4(plan, ar, ai, br, bi);
  const v4 *zr = where ? br : ar, *zi = where ? bi : ai;
  const float *tw = plan->realtw;
  spectrum[0] = SPLAT_V4(2.0f) * (zr[0] + zi[0]);
  spectrum[1] = zero;
  spectrum[2 * h] = SPLAT_V4(2.0f) * (zr[0] - zi[0]);
  spectrum[2 * h + 1] = zero;
  for (int k = 1; k <= h / 2; k++) { /* one counter: V8 kept the second one on the stack */
    const int j = h - k;
    const v4 xr = zr[k], xi = zi[k], yr = zr[j], yi = zi[j];
    const v4 er = xr + yr, ei = xi - yi, orr = xi + yi, oi = yr - xr;
    const v4 c = SPLAT_V4(tw[2 * k]), s = SPLAT_V4(tw[2 * k + 1]);
    const v4 wr = c * orr + s * oi, wi = c * oi - s * orr; /* W^k·O, W^k = c − i·s */
    spectrum[2 * k] = er + wr;
    spectrum[2 * k + 1] = ei + wi;
    spectrum[2 * j] = er - wr;
    spectrum[2 * j + 1] = wi - ei;
  }
}

/*
 * n·irfft of four frames, as fx_irfft does for one. Even n: the half-length inputs for bins k and
 * h−k come from the same four values (with e, d, o as in fx_irfft, bin h−k has e' = conj-like
 * (er, −ei), d' = (−dr, di), so o' = (orr, −oi)): one pass makes both.
 */
static const v4 *irfft4_even(const Plan *plan, const v4 *spectrum, v4 *work, const v4 **odd);

static void irfft4(const Plan *plan, const v4 *spectrum, v4 *time, v4 *work) {
  const int h = plan->h;
  v4 *ar = work, *ai = ar + h, *br = ai + h, *bi = br + h;
  const v4 zero = {0, 0, 0, 0};
  if (!(plan->n & 1)) {
    const v4 *zi, *zr = irfft4_even(plan, spectrum, work, &zi);
    for (int i = 0; i < h; i++) {
      time[2 * i] = zr[i];
      time[2 * i + 1] = zi[i];
    }
    return;
  }
  {
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
  }
}

/* irfft4 for even n, its samples left where the stages put them: x_{2i} at [i] of the returned
 * vectors, x_{2i+1} at (*odd)[i] (both in work). */
static const v4 *irfft4_even(const Plan *plan, const v4 *spectrum, v4 *work, const v4 **odd) {
  const int h = plan->h;
  v4 *ar = work, *ai = ar + h, *br = ai + h, *bi = br + h;
  const float *tw = plan->realtw;
  ai[0] = spectrum[0] + spectrum[2 * h]; /* k = 0: e = X_0 + X_h, d = X_0 − X_h, o = (0, d) */
  ar[0] = spectrum[0] - spectrum[2 * h];
  for (int k = 1; k <= h / 2; k++) { /* one counter: V8 kept the second one on the stack */
    const int j = h - k;
    const v4 xr = spectrum[2 * k], xi = spectrum[2 * k + 1];
    const v4 yr = spectrum[2 * j], yi = spectrum[2 * j + 1];
    const v4 er = xr + yr, ei = xi - yi, dr = xr - yr, di = xi + yi;
    const v4 c = SPLAT_V4(tw[2 * k]), s = SPLAT_V4(tw[2 * k + 1]);
    const v4 orr = dr * c - di * s, oi = dr * s + di * c;
    ai[k] = er - oi;
    ar[k] = ei + orr;
    ai[j] = er + oi;
    ar[j] = orr - ei;
  }
  const int where = stages_v4(plan, ar, ai, br, bi);
  *odd = where ? br : ar;
  return where ? bi : ai;
}

/* z_i = (x_{2i}, x_{2i+1})·(w_{2i}, w_{2i+1}) for i in [from, to), four frames hop apart from x,
 * one per lane (rfft4's packed input for even n): two z at a time, the 4×4 block (sample, frame)
 * transposed to one v4 per sample. Always inlined: Griffin-Lim's frames and the STFT's. */
static inline __attribute__((always_inline)) void pack_frames4(const float *x, int hop,
                                                               const float *w, int from, int to,
                                                               v4 *zr, v4 *zi) {
  const float *x0 = x, *x1 = x0 + hop, *x2 = x1 + hop, *x3 = x2 + hop;
  int i = from;
  for (; i + 2 <= to; i += 2) {
    const int at = 2 * i;
    const v4 in[4] = {*(const v4u *)(x0 + at), *(const v4u *)(x1 + at), *(const v4u *)(x2 + at),
                      *(const v4u *)(x3 + at)};
    v4 out[4];
    transpose4(in, out);
    zr[i] = out[0] * SPLAT_V4(w[at]);
    zi[i] = out[1] * SPLAT_V4(w[at + 1]);
    zr[i + 1] = out[2] * SPLAT_V4(w[at + 2]);
    zi[i + 1] = out[3] * SPLAT_V4(w[at + 3]);
  }
  for (; i < to; i++) {
    const int at = 2 * i;
    zr[i] = (v4){x0[at], x1[at], x2[at], x3[at]} * SPLAT_V4(w[at]);
    zi[i] = (v4){x0[at + 1], x1[at + 1], x2[at + 1], x3[at + 1]} * SPLAT_V4(w[at + 1]);
  }
}

/* sum[l·hop + i] += lane l of time[i]·w[i] for i in [lo, hi) and the lanes l < count: four
 * frames' windowed overlap-add, hop apart from sum (Griffin-Lim's and the STFT's ISTFT and time
 * stretch). Always inlined: each caller keeps its own copy with its constants folded, as before. */
static inline __attribute__((always_inline)) void overlap_add4(float *sum, int hop, int count,
                                                               const v4 *time, const float *w,
                                                               int lo, int hi) {
  if (count == 4) {
    float *s0 = sum, *s1 = s0 + hop, *s2 = s1 + hop, *s3 = s2 + hop;
    int i = lo;
    /* Four samples at a time: the 4×4 block (sample, frame) transposed to one v4 per frame;
     * each frame's load-add-store completes before the next's, so overlaps add in order. */
    for (; i + 4 <= hi; i += 4) {
      v4 in[4], out[4];
      for (int u = 0; u < 4; u++) in[u] = time[i + u] * SPLAT_V4(w[i + u]);
      transpose4(in, out);
      *(v4u *)(s0 + i) += out[0];
      *(v4u *)(s1 + i) += out[1];
      *(v4u *)(s2 + i) += out[2];
      *(v4u *)(s3 + i) += out[3];
    }
    for (; i < hi; i++) {
      const v4 v = time[i] * SPLAT_V4(w[i]);
      s0[i] += v[0];
      s1[i] += v[1];
      s2[i] += v[2];
      s3[i] += v[3];
    }
    return;
  }
  for (int l = 0; l < count; l++) {
    float *s = sum + l * hop;
    for (int i = lo; i < hi; i++) s[i] += time[i][l] * w[i];
  }
}

/* The frames of group G that exist, overlap-added into g->sum over [lo, hi). */
static void gl_overlap_add4(GriffinLim *g, int group) {
  const int first = 4 * group;
  const int count = g->frames - first < 4 ? g->frames - first : 4;
  overlap_add4(g->sum + first * g->hop, g->hop, count, g->time, g->synthesis, g->lo, g->hi);
}

static void gl_lanes_store(const GriffinLim *g, int G, v4 *before, const v4 *even,
                           const v4 *odd, int normalise);

/* x = ISTFT(S·A0): the starting spectra lie in prev (same layout); prev is zeroed after (R_0). */
__attribute__((export_name("gl_start"))) void gl_start(GriffinLim *g) {
  const int bins = g->bins, n = g->n;
  v4 *zeros = g->frames2 + n, *before = g->frames2;
  for (int j = 0; j < g->hop && g->lanes; j++) before[j] = (v4){0, 0, 0, 0};
  for (int G = 0; G < g->groups; G++) {
    v4 *p = (v4 *)g->prev + 2 * bins * G;
    for (int k = 0; k < 2 * bins; k++) {
      g->spectrum[k] = p[k];
      p[k] = (v4){0, 0, 0, 0};
    }
    if (g->lanes) {
      const v4 *odd, *even = irfft4_even(g->plan, g->spectrum, g->work, &odd);
      gl_lanes_store(g, G, before, even, odd, 1);
    } else {
      irfft4(g->plan, g->spectrum, g->time, g->work);
      gl_overlap_add4(g, G);
    }
  }
  if (g->lanes) gl_lanes_store(g, g->groups, before, zeros, zeros, 1);
}

/* Group G's update of the spectra rfft4 left in g->spectrum: A = (R − α·R_{i−1}) /
 * (|R − α·R_{i−1}| + 1e-16), S·A replaces R, R kept as R_{i−1}. Returns Σ (|R| − S)² over its bins
 * and frames (0 in the lanes past the last frame, whose S is 0 and R too). Always inlined: both
 * iterations' loops. */
static inline __attribute__((always_inline)) double gl_update(GriffinLim *g, int G) {
  const int bins = g->bins;
  const v4 alpha = SPLAT_V4(g->alpha), tiny = SPLAT_V4(1e-16f);
  const v4 *mag = (const v4 *)g->mag + bins * G;
  v4 *prev = (v4 *)g->prev + 2 * bins * G;
  v4 *spec = g->spectrum;
  v4 err = {0, 0, 0, 0};
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
  return (double)err[0] + (double)err[1] + (double)err[2] + (double)err[3];
}

/* One iteration; returns Σ (|R_i| − S)² over every bin of every frame. */
__attribute__((export_name("gl_iteration"))) double gl_iteration(GriffinLim *g) {
  const int offset = g->offset, length = g->length, full = g->full, n = g->n, hop = g->hop;
  const int lo = g->lo, hi = g->hi;
  float *padded = g->padded, *sum = g->sum;
  const float *inv = g->inverse_envelope, *w = g->analysis;
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

  const int even = !(n & 1), h = g->plan->h;
  v4 *time = g->time, *zr = g->work, *zi = zr + h;
  double error = 0;
  for (int G = 0; G < g->groups; G++) {
    const int first = 4 * G;
    const int count = g->frames - first < 4 ? g->frames - first : 4;
    const v4 zero = {0, 0, 0, 0};
    if (even && count == 4) {
      /* Packed for rfft4: z_i = (x_{2i}, x_{2i+1})·w/2, four samples (two z) at a time over the
       * pairs that meet the window's span [lo, hi) (w is 0 outside it), zero elsewhere. */
      const int lo2 = lo >> 1, hi2 = (hi + 1) >> 1;
      for (int i = 0; i < lo2; i++) zr[i] = zi[i] = zero;
      for (int i = hi2; i < h; i++) zr[i] = zi[i] = zero;
      pack_frames4(padded + first * hop, hop, w, lo2, hi2, zr, zi);
    } else {
      /* The frames sample by sample, then (even n) packed as above. */
      for (int i = 0; i < n; i++) time[i] = zero;
      for (int i = lo; i < hi; i++) {
        v4 v = zero;
        for (int l = 0; l < count; l++) v[l] = padded[(first + l) * hop + i] * w[i];
        time[i] = v;
      }
      if (even) {
        for (int i = 0; i < h; i++) {
          zr[i] = time[2 * i];
          zi[i] = time[2 * i + 1];
        }
      }
    }
    rfft4(g->plan, time, g->spectrum, g->work);
    error += gl_update(g, G);
    irfft4(g->plan, g->spectrum, time, g->work);
    gl_overlap_add4(g, G);
  }
  return error;
}

/*
 * The lane layout (even n, hop = n/2): no overlap-added sum. Block b is the hop samples from
 * b·hop, which frames b − 1 and b cover; g->blocks holds the estimate over block 4G + l in lane
 * l of group G's hop vectors. Right after group G's inverse transforms (frames 4G + l in lanes),
 * with the group before's still at hand, blocks 4G … 4G + 3 are complete: lane l adds frame
 * 4G + l − 1 at sample j + hop (lane l − 1, or lane 3 of the group before: one shuffle), then
 * frame 4G + l at j, as the overlap-add adds them, then times 1/Σ w²: the same values as the
 * overlap-add and normalisation, bit for bit. Frame 4G + l of the next iteration is blocks 4G + l
 * and 4G + l + 1: lanes of groups G and G + 1 (again one shuffle), which group G + 1 replaces only
 * after. So no transposition and no pass over a whole sum (at n_fft 598 0.97–0.99× the time of
 * the overlap-add layout; with hop n/4 at 2048 it did not pay, see src/dsp/README.md).
 */

/* (a3, b0, b1, b2): lane l of b's frames, one frame back. */
#define GL_SHIFT1(a, b) __builtin_shufflevector(a, b, 3, 4, 5, 6)
/* (a1, a2, a3, b0): lane l of a's frames, one frame on. */
#define GL_NEXT1(a, b) __builtin_shufflevector(a, b, 1, 2, 3, 4)

/* Blocks 4G + l from group G's inverse transforms (x_{2i} in even[i], x_{2i+1} in odd[i], as
 * irfft4_even leaves them, not copied out; zeros for the group after the last) and the group
 * before's second halves (before[j]: its frames at j + hop, of which lane 3 is used; zeros before
 * the first; replaced by this group's), divided by Σ w² unless normalise is 0 (the last iteration:
 * gl_finish divides in float64). The synthesis window is 0 outside [lo, hi): adding its products
 * there adds zeros, the same sums. */
static void gl_lanes_store(const GriffinLim *g, int G, v4 *before, const v4 *even,
                           const v4 *odd, int normalise) {
  const int hop = g->hop;
  const float *ws = g->synthesis, *w1 = ws + hop;
  v4 *E = g->blocks + G * hop;
  const v4 *inv = g->inv_lanes + G * hop;
#define GL_SAMPLE(s) ((s)&1 ? odd : even)[(s) >> 1]
  for (int j = 0; j < hop; j++) {
    const v4 second = GL_SAMPLE(j + hop);
    const v4 sum = GL_SHIFT1(before[j], second) * SPLAT_V4(w1[j]);
    before[j] = second;
    const v4 e = sum + GL_SAMPLE(j) * SPLAT_V4(ws[j]);
    E[j] = normalise ? e * inv[j] : e;
  }
#undef GL_SAMPLE
}

/* The estimate outside [offset, offset + length) reflected into blocks (as gl_iteration pads
 * it), or 0: sources first (they lie inside), then the ends. */
static void gl_lanes_ends(GriffinLim *g) {
  const int offset = g->offset, end = g->offset + g->length, full = g->full, hop = g->hop;
  float *ends = g->ends, *blocks = (float *)g->blocks;
  /* Position p is lane b & 3 of vector (b >> 2)·hop + j, with p = b·hop + j. */
#define GL_AT(b, j) blocks[4 * (((b) >> 2) * hop + (j)) + ((b)&3)]
  if (!g->reflect) {
    for (int i = 0; i < 2 * offset; i++) ends[i] = 0;
  } else { /* length > offset: the sources lie in [offset, end) */
    for (int p = offset + 1, b = p / hop, j = p % hop; p <= 2 * offset; p++) {
      ends[2 * offset - p] = GL_AT(b, j);
      if (++j == hop) j = 0, b++;
    }
    for (int p = end - 1 - offset, b = p / hop, j = p % hop; p < end - 1; p++) {
      ends[offset + end - 2 - p] = GL_AT(b, j);
      if (++j == hop) j = 0, b++;
    }
  }
  for (int p = 0, b = 0, j = 0; p < offset; p++) {
    GL_AT(b, j) = ends[p];
    if (++j == hop) j = 0, b++;
  }
  const int stop = 4 * (g->groups + 1) * hop;
  for (int p = end, b = p / hop, j = p % hop; p < stop; p++) {
    GL_AT(b, j) = p < full ? ends[offset + p - end] : 0;
    if (++j == hop) j = 0, b++;
  }
#undef GL_AT
}

/* Samples [s0, s0 + hop) of the frames, x_s = X(now[j], next[j])·w[s] (s = s0 + j), into rfft4's
 * packed input: x_s is re (s even) or im (s odd) of z_{s/2}. */
#define GL_PACK(X, s0)                                                                          \
  do {                                                                                          \
    int j = 0;                                                                                  \
    if ((s0)&1) {                                                                               \
      zi[(s0) >> 1] = X(now[0], next[0]) * SPLAT_V4(w[s0]);                                     \
      j = 1;                                                                                    \
    }                                                                                           \
    for (; j + 2 <= hop; j += 2) {                                                              \
      const int i = ((s0) + j) >> 1;                                                            \
      zr[i] = X(now[j], next[j]) * SPLAT_V4(w[(s0) + j]);                                       \
      zi[i] = X(now[j + 1], next[j + 1]) * SPLAT_V4(w[(s0) + j + 1]);                           \
    }                                                                                           \
    if (j < hop) zr[((s0) + j) >> 1] = X(now[j], next[j]) * SPLAT_V4(w[(s0) + j]);              \
  } while (0)
#define GL_NOW(a, b) (a)

/* One iteration in the lane layout; returns Σ (|R_i| − S)² over every bin of every frame.
 * last: leave the sums undivided (gl_finish divides them in float64, as from the sum). */
__attribute__((export_name("gl_iteration_lanes"))) double gl_iteration_lanes(GriffinLim *g,
                                                                           int last) {
  const int n = g->n, hop = g->hop, h = g->plan->h;
  const float *w = g->analysis;
  const v4 zero = {0, 0, 0, 0};
  v4 *zr = g->work, *zi = zr + h;
  v4 *zeros = g->frames2 + n, *before = g->frames2;
  for (int j = 0; j < hop; j++) before[j] = zero;
  double error = 0;
  gl_lanes_ends(g);
  for (int G = 0; G < g->groups; G++) {
    const v4 *now = g->blocks + G * hop, *next = now + hop;
    /* Frame 4G + l: block 4G + l (lane l of now), then block 4G + l + 1 (lane l + 1). */
    GL_PACK(GL_NOW, 0);
    GL_PACK(GL_NEXT1, hop);
    if (g->frames - 4 * G < 4) { /* frames past the end: zero, as they add nothing to the error */
      v4 keep = zero;
      for (int l = 0; l < g->frames - 4 * G; l++) keep[l] = 1;
      for (int i = 0; i < h; i++) {
        zr[i] *= keep;
        zi[i] *= keep;
      }
    }
    rfft4(g->plan, g->time, g->spectrum, g->work);
    error += gl_update(g, G);
    const v4 *odd, *even = irfft4_even(g->plan, g->spectrum, g->work, &odd);
    gl_lanes_store(g, G, before, even, odd, !last);
  }
  gl_lanes_store(g, g->groups, before, zeros, zeros, !last);
  return error;
}
