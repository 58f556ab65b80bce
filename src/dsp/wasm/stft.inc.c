/*
 * STFT, ISTFT and the phase vocoder's time stretch, per frame in WebAssembly (the formulas and
 * their sources are in stft.ts, stft-frames.ts and phase-vocoder.ts, which keep the JavaScript
 * paths these are tested against). Frames go four at a time, one per lane of every f32x4,
 * through Griffin-Lim's four-frame transforms (rfft4, irfft4: a 'scalar' plan over the whole
 * complex length); everything a call needs is laid out once by stft-wasm.ts and
 * phase-vocoder-wasm.ts in this module's memory, and one call does every frame.
 *
 * Rounding: the pragmas below turn off the build's reassociation and contraction here (clang
 * cannot turn fast-math off for wasm32), so float and double operations round as JavaScript's
 * Math.fround(…) and doubles do; the one division by a constant reads it through volatile. The
 * phase vocoder's angles (atan2, fdlibm's algorithm, as V8's Math.atan2) are computed in double
 * and rounded to float32 as phase-vocoder.ts rounds them (they agree but for the last bit of a
 * double), so Δ and the accumulated phase are the JavaScript's; its sines and cosines are reduced
 * in double and evaluated in float32, within an ulp of float32 (st_sincos4). Both are tested
 * against Math.atan2, Math.sin and Math.cos in tests/dsp/stft-wasm.test.ts.
 */
#pragma clang fp reassociate(off)
#pragma clang fp contract(off)

typedef double v2d __attribute__((vector_size(16), aligned(16)));
typedef double v2du __attribute__((vector_size(16), aligned(4)));
typedef long long v2i __attribute__((vector_size(16), aligned(16)));

#define SPLAT_V2(x) ((v2d){(x), (x)})
static inline v2d st_select(v2i mask, v2d a, v2d b) {
  return (v2d)(((v2i)a & mask) | ((v2i)b & ~mask));
}
/* Lanes 0, 1 (st_low) or 2, 3 (st_high) of x in double: f64x2.promote_low_f32x4. */
static inline v2d st_low(v4 x) { return __builtin_convertvector(__builtin_shufflevector(x, x, 0, 1), v2d); }
static inline v2d st_high(v4 x) {
  const v4 up = __builtin_shufflevector(x, x, 2, 3, 2, 3);
  return __builtin_convertvector(__builtin_shufflevector(up, up, 0, 1), v2d);
}
/* Each double rounded to float32, as Math.fround: two f32x4.demote_f64x2_zero and a shuffle (the
 * empty asm keeps LLVM from fusing them into a four-double conversion, which it splits into lanes). */
static inline v4 st_demote(v2d lo, v2d hi) {
  const v2d zero = {0, 0};
  v4 a = __builtin_convertvector(__builtin_shufflevector(lo, zero, 0, 1, 2, 3), v4);
  v4 b = __builtin_convertvector(__builtin_shufflevector(hi, zero, 0, 1, 2, 3), v4);
  __asm__("" : "+r"(a));
  __asm__("" : "+r"(b));
  return __builtin_shufflevector(a, b, 0, 1, 4, 5);
}

/*
 * atan2(y, x) in double, fdlibm's e_atan2.c / s_atan.c (V8's Math.atan2) on two lanes: with
 * t = min(|x|, |y|) / max(|x|, |y|) ≤ 1, atan t by fdlibm's reduction (t < 7/16: t itself;
 * < 11/16: about ½; else about 1) and odd polynomial; π/2 − atan t where |y| > |x|, π − … where
 * x < 0 (sign bit: atan2(±0, −0) = ±π), and y's sign. fdlibm reduces |y/x| > 1 directly
 * instead of through π/2 − atan(|x/y|): the two differ by about an ulp of a double.
 */
static inline v2d st_atan2(v2d y, v2d x) {
  const v2i sign = {(long long)0x8000000000000000ull, (long long)0x8000000000000000ull};
  const v2d ax = (v2d)((v2i)x & ~sign), ay = (v2d)((v2i)y & ~sign);
  const v2i swap = ay > ax;
  const v2d big = st_select(swap, ay, ax), small = st_select(swap, ax, ay);
  const v2d t = small / st_select(big > SPLAT_V2(0.0), big, SPLAT_V2(1.0)); /* 0/1 when both 0 */
  /* id −1: t; id 0: (2t − 1)/(2 + t) about atan ½; id 1: (t − 1)/(t + 1) about π/4; as
   * (a·t − b)/(a + b·t) with a = 2 in id 0 only, b = 1 in ids 0 and 1 (masks, not selects) */
  const v2i id0 = t >= SPLAT_V2(0.4375), id1 = t >= SPLAT_V2(0.6875), half = id0 & ~id1;
  const v2i one = (v2i)SPLAT_V2(1.0);
  const v2d a = SPLAT_V2(1.0) + (v2d)(half & one), b = (v2d)(id0 & one);
  const v2d hi = (v2d)((id1 & (v2i)SPLAT_V2(7.85398163397448278999e-01)) |
                       (half & (v2i)SPLAT_V2(4.63647609000806093515e-01)));
  const v2d lo = (v2d)((id1 & (v2i)SPLAT_V2(3.06161699786838301793e-17)) |
                       (half & (v2i)SPLAT_V2(2.26987774529616870924e-17)));
  const v2d u = (a * t - b) / (a + b * t);
  const v2d z = u * u, w = z * z;
  const v2d s1 =
      z * (SPLAT_V2(3.33333333333329318027e-01) +
           w * (SPLAT_V2(1.42857142725034663711e-01) +
                w * (SPLAT_V2(9.09088713343650656196e-02) +
                     w * (SPLAT_V2(6.66107313738753120669e-02) +
                          w * (SPLAT_V2(4.97687799461593236017e-02) +
                               w * SPLAT_V2(1.62858201153657823623e-02))))));
  const v2d s2 =
      w * (SPLAT_V2(-1.99999999998764832476e-01) +
           w * (SPLAT_V2(-1.11111104054623557880e-01) +
                w * (SPLAT_V2(-7.69187620504482999495e-02) +
                     w * (SPLAT_V2(-5.83357013379057348645e-02) +
                          w * SPLAT_V2(-3.65315727442169155270e-02)))));
  v2d r = hi - ((u * (s1 + s2) - lo) - u);
  r = st_select(swap, SPLAT_V2(1.57079632679489655800e+00) - (r - SPLAT_V2(6.12323399573676603587e-17)), r);
  const v2i negative_x = (v2i)x >> 63; /* all ones where x's sign bit is set */
  r = st_select(negative_x, SPLAT_V2(3.1415926535897931160E+00) - (r - SPLAT_V2(1.2246467991473531772E-16)), r);
  return (v2d)((v2i)r | ((v2i)y & sign));
}

/*
 * sin and cos of four float32 phases, rounded to float32 (what the vocoder keeps): sincos.ts's
 * reduction in double (the phases reach 1e8 rad), then Taylor polynomials of degree 9 and 10 on
 * |y| ≤ π/4 in float32 (truncation < 2e-10; float32 evaluation about 1 ulp). Within 2^−24 of
 * Math.fround(sin), Math.fround(cos) (tests/dsp/stft-wasm.test.ts). Double polynomials (sincos.ts
 * operation for operation, bit-exact) made the whole stretch 1.1–1.2× slower (same run): the
 * output moves by at most an ulp of float32 (145 dB below the signal), the phase not at all.
 */
static inline void st_sincos4(v4 x, v4 *sine, v4 *cosine) {
  v2d y[2], q[2];
  for (int half = 0; half < 2; half++) {
    const v2d v = half ? st_high(x) : st_low(x);
    const v2d k = __builtin_wasm_nearest_f64x2(v * SPLAT_V2(1 / (2 * 3.14159265358979323846)));
    const v2d r = v - k * SPLAT_V2(6.28125) - k * SPLAT_V2(1.9353071795864769253e-3);
    q[half] = __builtin_wasm_nearest_f64x2(r * SPLAT_V2(2 / 3.14159265358979323846));
    y[half] = r - q[half] * SPLAT_V2(1.5703125) - q[half] * SPLAT_V2(4.8382679489661923132e-4);
  }
  const v4 yf = st_demote(y[0], y[1]), qf = st_demote(q[0], q[1]);
  const v4 y2 = yf * yf;
  const v4 s =
      yf + yf * y2 *
               (SPLAT_V4(-1.0f / 6) +
                y2 * (SPLAT_V4(1.0f / 120) + y2 * (SPLAT_V4(-1.0f / 5040) + y2 * SPLAT_V4(1.0f / 362880))));
  const v4 c =
      SPLAT_V4(1.0f) +
      y2 * (SPLAT_V4(-0.5f) +
            y2 * (SPLAT_V4(1.0f / 24) +
                  y2 * (SPLAT_V4(-1.0f / 720) + y2 * (SPLAT_V4(1.0f / 40320) + y2 * SPLAT_V4(-1.0f / 3628800)))));
  typedef int v4i __attribute__((vector_size(16)));
  const v4 m = qf - SPLAT_V4(4.0f) * __builtin_wasm_floor_f32x4(qf * SPLAT_V4(0.25f));
  const v4i odd = (m == SPLAT_V4(1.0f)) | (m == SPLAT_V4(3.0f));
  const v4i sign = {(int)0x80000000u, (int)0x80000000u, (int)0x80000000u, (int)0x80000000u};
  const v4i negative_sine = (m >= SPLAT_V4(2.0f)) & sign;
  const v4i negative_cosine = ((m == SPLAT_V4(1.0f)) | (m == SPLAT_V4(2.0f))) & sign;
  *sine = (v4)((((v4i)c & odd) | ((v4i)s & ~odd)) ^ negative_sine);
  *cosine = (v4)((((v4i)s & odd) | ((v4i)c & ~odd)) ^ negative_cosine);
}

/* For tests: sine, cosine[i] = st_sincos4(x[i]) (float32), count a multiple of 4. */
__attribute__((export_name("st_check_sincos4"))) void st_check_sincos4(const float *x, float *sine,
                                                                       float *cosine, int count) {
  for (int i = 0; i < count; i += 4) st_sincos4(*(const v4 *)(x + i), (v4 *)(sine + i), (v4 *)(cosine + i));
}

/* For tests: out[i] = st_atan2(y[i], x[i]), count even. */
__attribute__((export_name("st_check_atan2"))) void st_check_atan2(const double *y, const double *x,
                                                                    double *out, int count) {
  for (int i = 0; i < count; i += 2) *(v2d *)(out + i) = st_atan2(*(const v2d *)(y + i), *(const v2d *)(x + i));
}
/*
 * Four frames hop apart from x, times w, one per lane (zeros in lanes l ≥ count), where rfft4
 * takes them: for even n packed in work as z_i = x_{2i} + i·x_{2i+1} (rfft4 folds its ½ into the
 * frames: callers pass w/2 for even n, which rounds as x·w then ½ does), for odd n in time.
 */
static void st_frames4(const Plan *plan, const float *x, int hop, int count, const float *w,
                       v4 *time, v4 *work) {
  const int n = plan->n, h = plan->h;
  v4 *zr = work, *zi = work + h;
  if (count == 4 && !(n & 1)) {
    pack_frames4(x, hop, w, 0, h, zr, zi);
    return;
  }
  for (int i = 0; i < n; i++) {
    v4 v = {0, 0, 0, 0};
    for (int l = 0; l < count; l++) v[l] = x[l * hop + i] * w[i];
    if (n & 1) time[i] = v;
    else if (i & 1) zi[i >> 1] = v;
    else zr[i >> 1] = v;
  }
}

/* Stores lane l < count of v at row[l]. */
static inline void st_store4(float *row, int count, v4 v) {
  if (count == 4) {
    *(v4u *)row = v;
    return;
  }
  for (int l = 0; l < count; l++) row[l] = v[l];
}

/*
 * sum[i] = e > 1e-11 ? sum[i] / e : 0 with e = folded[(m + i) mod hop], i < count, in place: the
 * periodic interior of the ISTFT's division by Σ w² (stft-frames.ts, normalise), in double as
 * there (float32 sum over float64 envelope, rounded once).
 */
__attribute__((export_name("st_normalise"))) void st_normalise(float *sum, const double *folded,
                                                               int hop, int m, int count) {
  const v2d tiny = SPLAT_V2(1e-11), one = SPLAT_V2(1.0);
  for (int i = 0; i < count; m = 0) {
    const int run = hop - m < count - i ? hop - m : count - i;
    const double *e = folded + m;
    float *s = sum + i;
    int j = 0;
    for (; j + 2 <= run; j += 2) {
      const v2d envelope = *(const v2du *)(e + j);
      const v2i keep = envelope > tiny;
      const v2d q = (v2d){s[j], s[j + 1]} / st_select(keep, envelope, one);
      const v2d r = (v2d)((v2i)q & keep);
      s[j] = (float)r[0];
      s[j + 1] = (float)r[1];
    }
    for (; j < run; j++) s[j] = e[j] > 1e-11 ? (float)(s[j] / e[j]) : 0;
    i += run;
  }
}

/* ---------------------------------------------------------------- STFT */

typedef struct {
  const Plan *plan; /* 'scalar' plan of size n */
  int n, hop, bins, frames;
  int mode;             /* 0: |X|², 1: |X|, 2: re, im, 3: |X|² and arg X */
  const float *padded;  /* the signal padded as torch.stft pads it: frame t starts at t·hop */
  const float *window;  /* n: w, halved for even n (st_frames4) */
  float *out0, *out1;   /* bins × frames, bin-major */
  v4 *time, *spectrum, *work; /* n, 2·bins, 4·h */
} Stft;

__attribute__((export_name("st_stft"))) void st_stft(const Stft *s) {
  const int bins = s->bins, frames = s->frames;
  for (int first = 0; first < frames; first += 4) {
    const int count = frames - first < 4 ? frames - first : 4;
    st_frames4(s->plan, s->padded + first * s->hop, s->hop, count, s->window, s->time, s->work);
    rfft4(s->plan, s->time, s->spectrum, s->work);
    const v4 *spec = s->spectrum;
    float *row0 = s->out0 + first, *row1 = s->out1 + first;
    for (int k = 0; k < bins; k++, row0 += frames, row1 += frames) {
      const v4 re = spec[2 * k], im = spec[2 * k + 1];
      if (s->mode == 2) {
        st_store4(row0, count, re);
        st_store4(row1, count, im);
        continue;
      }
      /* |X|² in double, rounded once, as stft.ts's re·re + im·im stored to a Float32Array. */
      const v2d rl = st_low(re), rh = st_high(re), il = st_low(im), ih = st_high(im);
      const v4 power = st_demote(rl * rl + il * il, rh * rh + ih * ih);
      st_store4(row0, count, s->mode == 1 ? __builtin_wasm_sqrt_f32x4(power) : power);
      if (s->mode == 3) st_store4(row1, count, st_demote(st_atan2(il, rl), st_atan2(ih, rh)));
    }
  }
}

/* ---------------------------------------------------------------- ISTFT */

typedef struct {
  const Plan *plan;
  int n, hop, bins, frames;
  const float *re, *im;    /* bins × frames, bin-major */
  const float *synthesis;  /* n: w/n, the inverse FFT's 1/n folded in */
  float *sum;              /* n + hop·(frames − 1), cleared: Σ_t w·irfft(X_t) at t·hop */
  v4 *time, *spectrum, *work;
} Istft;

__attribute__((export_name("st_istft"))) void st_istft(const Istft *s) {
  const int bins = s->bins, frames = s->frames;
  v4 *spec = s->spectrum;
  for (int first = 0; first < frames; first += 4) {
    const int count = frames - first < 4 ? frames - first : 4;
    const float *re = s->re + first, *im = s->im + first;
    for (int k = 0; k < bins; k++, re += frames, im += frames) {
      if (count == 4) {
        spec[2 * k] = *(const v4u *)re;
        spec[2 * k + 1] = *(const v4u *)im;
        continue;
      }
      v4 a = {0, 0, 0, 0}, b = {0, 0, 0, 0};
      for (int l = 0; l < count; l++) {
        a[l] = re[l];
        b[l] = im[l];
      }
      spec[2 * k] = a;
      spec[2 * k + 1] = b;
    }
    irfft4(s->plan, spec, s->time, s->work);
    overlap_add4(s->sum + first * s->hop, s->hop, count, s->time, s->synthesis, 0, s->n);
  }
}

/* ---------------------------------------------------------------- phase vocoder */

typedef struct {
  const Plan *plan;
  int n, hop, bins, frames, steps;
  int ring;                /* polar slots, a multiple of 4: frame t in slot t mod ring */
  int stride;              /* floats per polar slot and per Δ: bins rounded up to 4 */
  /* padded: a window of the padded signal, sample p at padded[p − padded_origin] (frame t at
   * t·hop); window: halved for even n (st_frames4) */
  const float *padded, *window, *synthesis;
  const float *advance;    /* ω, stride values (0 past bins) */
  const int *first, *second;
  const float *alpha;      /* per output step */
  float *angle, *norm;     /* ring × stride each */
  int *held;               /* ring: the frame in each slot, −1 for none */
  double *phase;           /* stride: the accumulated phase (float64, as torch.cumsum) */
  float *delta;            /* 4 × stride: Δ for up to four pairs of frames */
  int *delta_key;          /* 4: the pair each holds, −1 for none */
  const float *zeros;      /* stride zeros: the polar form of the frames past the end */
  float *sum;              /* a window of the overlap-added sum, cleared: sample j at j − origin */
  v4 *time, *spectrum, *work; /* n, 2·stride, 4·h */
  int origin;
  int padded_origin;
} Stretch;

/* The polar form (float32 of atan2 and of the double modulus) of frames 4g … 4g + 3 into their slots. */
static void pv_analyse(Stretch *s, int g) {
  const int first = 4 * g, count = s->frames - first < 4 ? s->frames - first : 4;
  const int stride = s->stride;
  st_frames4(s->plan, s->padded + first * s->hop - s->padded_origin, s->hop, count, s->window,
             s->time, s->work);
  rfft4(s->plan, s->time, s->spectrum, s->work);
  float *angle[4], *norm[4];
  for (int l = 0; l < 4; l++) {
    const int slot = (first + (l < count ? l : 0)) % s->ring;
    angle[l] = s->angle + slot * stride;
    norm[l] = s->norm + slot * stride;
  }
  const v4 *spec = s->spectrum;
  for (int k = 0; k < stride; k += 4) {
    v4 a[4], m[4], at[4], mt[4];
    for (int u = 0; u < 4; u++) { /* lanes: frames */
      const v4 re = spec[2 * (k + u)], im = spec[2 * (k + u) + 1];
      const v2d rl = st_low(re), rh = st_high(re), il = st_low(im), ih = st_high(im);
      a[u] = st_demote(st_atan2(il, rl), st_atan2(ih, rh));
      m[u] = st_demote(__builtin_wasm_sqrt_f64x2(rl * rl + il * il),
                       __builtin_wasm_sqrt_f64x2(rh * rh + ih * ih));
    }
    transpose4(a, at); /* lanes: bins */
    transpose4(m, mt);
    for (int l = count - 1; l >= 0; l--) {
      *(v4 *)(angle[l] + k) = at[l];
      *(v4 *)(norm[l] + k) = mt[l];
    }
  }
  for (int l = 0; l < count; l++) s->held[(first + l) % s->ring] = first + l;
}

/* The slot of frame t, analysed if it is not there yet; −1 past the last frame (zeros). */
static int pv_slot(Stretch *s, int t) {
  if (t >= s->frames) return -1;
  const int slot = t % s->ring;
  if (s->held[slot] != t) pv_analyse(s, t >> 2);
  return slot;
}

/* fround(2π), read through volatile: the build's -ffast-math would turn d / 2π into d·(1/2π). */
static volatile float st_two_pi = (float)(2 * 3.14159265358979323846);

/* Δ = princarg(∠X1 − ∠X0 − ω) + ω in float32, as phase-vocoder.ts's increments. */
static void pv_increments(const Stretch *s, const float *a0, const float *a1, float *out) {
  for (int k = 0; k < s->stride; k += 4) {
    const v4 two_pi = SPLAT_V4(st_two_pi); /* read in the loop, or its reciprocal is hoisted */
    const v4 w = *(const v4 *)(s->advance + k);
    v4 d = (*(const v4 *)(a1 + k) - *(const v4 *)(a0 + k)) - w;
    d = d - two_pi * __builtin_wasm_nearest_f32x4(d / two_pi);
    *(v4 *)(out + k) = d + w;
  }
}

/*
 * Output steps first … first + count − 1 (count ≤ 4), one per lane: for each, |Y| interpolated
 * between its two frames and ∠Y the accumulated phase (advanced by each step's Δ after it), then
 * irfft4 and the overlap-add.
 */
static void pv_steps(Stretch *s, int first, int count) {
  const int stride = s->stride;
  const float *n0[4], *n1[4], *dl[4];
  float alpha[4];
  int used = 0;
  for (int l = 0; l < count; l++) {
    const int i = first + l, t0 = s->first[i], t1 = s->second[i];
    const int slot0 = pv_slot(s, t0), slot1 = pv_slot(s, t1);
    const float *a0 = slot0 < 0 ? s->zeros : s->angle + slot0 * stride;
    const float *a1 = slot1 < 0 ? s->zeros : s->angle + slot1 * stride;
    n0[l] = slot0 < 0 ? s->zeros : s->norm + slot0 * stride;
    n1[l] = slot1 < 0 ? s->zeros : s->norm + slot1 * stride;
    alpha[l] = s->alpha[i];
    const int key = t0 * 4 + (t1 - t0);
    int b = -1;
    for (int j = 0; j < 4; j++)
      if (s->delta_key[j] == key) b = j;
    if (b < 0) {
      for (b = 0; used & (1 << b); b++) {
      }
      pv_increments(s, a0, a1, s->delta + b * stride);
      s->delta_key[b] = key;
    }
    used |= 1 << b;
    dl[l] = s->delta + b * stride;
  }
  v4 *spec = s->spectrum;
  const v4 zero = {0, 0, 0, 0};
  for (int k = 0; k < stride; k += 4) {
    v2d lo = *(const v2d *)(s->phase + k), hi = *(const v2d *)(s->phase + k + 2);
    v4 re[4], im[4], rt[4], it[4];
    for (int l = 0; l < 4; l++) {
      if (l >= count) {
        re[l] = im[l] = zero;
        continue;
      }
      const v4 a = SPLAT_V4(alpha[l]), b = SPLAT_V4(1.0f) - a;
      const v4 magnitude = a * *(const v4 *)(n1[l] + k) + b * *(const v4 *)(n0[l] + k);
      const v4 x = st_demote(lo, hi); /* Math.fround(phase) */
v4 sine, cosine;
      st_sincos4(x, &sine, &cosine);
      re[l] = magnitude * cosine;
      im[l] = magnitude * sine;
      const v4 d = *(const v4 *)(dl[l] + k);
      lo += st_low(d);
      hi += st_high(d);
    }
    *(v2d *)(s->phase + k) = lo;
    *(v2d *)(s->phase + k + 2) = hi;
    transpose4(re, rt); /* lanes: steps */
    transpose4(im, it);
    for (int u = 0; u < 4; u++) {
      spec[2 * (k + u)] = rt[u];
      spec[2 * (k + u) + 1] = it[u];
    }
  }
  irfft4(s->plan, spec, s->time, s->work);
  overlap_add4(s->sum + first * s->hop - s->origin, s->hop, count, s->time, s->synthesis, 0,
               s->n);
}

/*
 * Output steps first … last − 1 (first a multiple of 4) into the sum's window, which must hold
 * samples first·hop … (last − 1)·hop + n − 1; the padded signal's window must hold the frames
 * these steps analyse (whole groups of four from frame first[first]'s). The call with first = 0 starts the phase at frame
 * 0's angle; later calls go on where the last one stopped.
 */
__attribute__((export_name("pv_stretch"))) void pv_stretch(Stretch *s, int first, int last) {
  if (first == 0) {
    for (int j = 0; j < s->ring; j++) s->held[j] = -1;
    for (int j = 0; j < 4; j++) s->delta_key[j] = -1;
    const int slot = pv_slot(s, 0);
    for (int k = 0; k < s->stride; k++) s->phase[k] = slot < 0 ? 0 : s->angle[slot * s->stride + k];
  }
  for (int i = first; i < last; i += 4) pv_steps(s, i, last - i < 4 ? last - i : 4);
}


