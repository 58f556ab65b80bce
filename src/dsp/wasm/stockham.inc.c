/*
 * The Stockham stages (autosort, decimation in frequency) over an element type T. Included
 * several times by fft.c with T, P (the stored element), LD/ST (load/store element i of a P
 * array), JBEGIN/JEND (the loop over j), TWIDDLE and SUF defined:
 *   _scalar  T = P = float: one transform, one value at a time;
 *   _v4      T = P = v4: four transforms side by side, one per SIMD lane (lanes, Griffin-Lim);
 *   _vj      T = v4 over float data: one transform, four consecutive j at once (stride s ≥ 4;
 *            the last group overlaps the one before when 4 ∤ s, recomputing equal values);
 *   _vt      as _vj, for the first stage only, taken as m = 1 over stride s = the first stage's m
 *            with the twiddles w^{jk} loaded per j from a table laid out [k][j] (fft.c then
 *            transposes its [k][j] output into Stockham order).
 * Data are split: re[] and im[] arrays.
 *
 * A stage of radix p on the current length n = p·m with stride s (the product of the radices
 * before it), from x into y (Stockham 1966; the form of OTFFT's fft0):
 *
 *   y[j + s(pq + k)] = w^{qk} · Σ_{r<p} x[j + s(q + rm)] · ω_p^{rk},   w = e^{−2πi/n}, ω_p = e^{−2πi/p}
 *
 * for q < m, j < s, k < p. After the last stage the transform lies in natural order.
 * Twiddles `tw` hold, per q, w^{qk} for k = 1 … p−1 as (re, im) pairs. Instances with
 * TWIDDLE = TW_NONE leave the values as they are (stages whose twiddles are all 1: the last); `tw` is then not read.
 */

/* d = a · (wr + i·wi) */
#define MUL_TW(dr, di, ar, ai, wr, wi)                                                    \
  do {                                                                                     \
    T _wr = SPLAT(wr), _wi = SPLAT(wi);                                                    \
    dr = (ar) * _wr - (ai) * _wi;                                                          \
    di = (ar) * _wi + (ai) * _wr;                                                          \
  } while (0)

static void SUF(radix2)(int m, int s, const float *tw, const P *restrict xr,
                        const P *restrict xi, P *restrict yr, P *restrict yi) {
  for (int q = 0; q < m; q++) {
    const float *w = tw + 2 * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + 2 * s * q, *bi = yi + 2 * s * q;
    const int d = s * m;
    JFOR(j, s) {
      T a0r = LD(ar, j), a0i = LD(ai, j), a1r = LD(ar, j + d), a1i = LD(ai, j + d);
      ST(br, j, a0r + a1r);
      ST(bi, j, a0i + a1i);
      T dr, di;
      TWIDDLE(dr, di, a0r - a1r, a0i - a1i, 1);
      ST(br, j + s, dr);
      ST(bi, j + s, di);
    }
  }
}

static void SUF(radix3)(int m, int s, const float *tw, const P *restrict xr,
                        const P *restrict xi, P *restrict yr, P *restrict yi) {
  const float s3 = 0.86602540378443864676f;
  for (int q = 0; q < m; q++) {
    const float *w = tw + 4 * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + 3 * s * q, *bi = yi + 3 * s * q;
    const int d = s * m;
    JFOR(j, s) {
      T a0r = LD(ar, j), a0i = LD(ai, j);
      T a1r = LD(ar, j + d), a1i = LD(ai, j + d), a2r = LD(ar, j + 2 * d), a2i = LD(ai, j + 2 * d);
      T t1r = a1r + a2r, t1i = a1i + a2i;
      T t2r = a0r - SPLAT(0.5f) * t1r, t2i = a0i - SPLAT(0.5f) * t1i;
      T t3r = SPLAT(s3) * (a1r - a2r), t3i = SPLAT(s3) * (a1i - a2i);
      ST(br, j, a0r + t1r);
      ST(bi, j, a0i + t1i);
      T dr, di;
      TWIDDLE(dr, di, t2r + t3i, t2i - t3r, 1);
      ST(br, j + s, dr);
      ST(bi, j + s, di);
      TWIDDLE(dr, di, t2r - t3i, t2i + t3r, 2);
      ST(br, j + 2 * s, dr);
      ST(bi, j + 2 * s, di);
    }
  }
}

static void SUF(radix4)(int m, int s, const float *tw, const P *restrict xr,
                        const P *restrict xi, P *restrict yr, P *restrict yi) {
  for (int q = 0; q < m; q++) {
    const float *w = tw + 6 * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + 4 * s * q, *bi = yi + 4 * s * q;
    const int d = s * m;
    JFOR(j, s) {
      T a0r = LD(ar, j), a0i = LD(ai, j), a1r = LD(ar, j + d), a1i = LD(ai, j + d);
      T a2r = LD(ar, j + 2 * d), a2i = LD(ai, j + 2 * d), a3r = LD(ar, j + 3 * d), a3i = LD(ai, j + 3 * d);
      T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
      ST(br, j, t0r + t2r);
      ST(bi, j, t0i + t2i);
      T dr, di;
      TWIDDLE(dr, di, t1r + t3i, t1i - t3r, 1);
      ST(br, j + s, dr);
      ST(bi, j + s, di);
      TWIDDLE(dr, di, t0r - t2r, t0i - t2i, 2);
      ST(br, j + 2 * s, dr);
      ST(bi, j + 2 * s, di);
      TWIDDLE(dr, di, t1r - t3i, t1i + t3r, 3);
      ST(br, j + 3 * s, dr);
      ST(bi, j + 3 * s, di);
    }
  }
}

static void SUF(radix5)(int m, int s, const float *tw, const P *restrict xr,
                        const P *restrict xi, P *restrict yr, P *restrict yi) {
  const float c1 = 0.30901699437494742410f, c2 = -0.80901699437494742410f;
  const float s1 = 0.95105651629515357212f, s2 = 0.58778525229247312917f;
  for (int q = 0; q < m; q++) {
    const float *w = tw + 8 * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + 5 * s * q, *bi = yi + 5 * s * q;
    const int d = s * m;
    JFOR(j, s) {
      T a0r = LD(ar, j), a0i = LD(ai, j);
      T a1r = LD(ar, j + d), a1i = LD(ai, j + d), a2r = LD(ar, j + 2 * d), a2i = LD(ai, j + 2 * d);
      T a3r = LD(ar, j + 3 * d), a3i = LD(ai, j + 3 * d), a4r = LD(ar, j + 4 * d), a4i = LD(ai, j + 4 * d);
      T t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
      T u1r = a1r - a4r, u1i = a1i - a4i, u2r = a2r - a3r, u2i = a2i - a3i;
      ST(br, j, a0r + t1r + t2r);
      ST(bi, j, a0i + t1i + t2i);
      T p1r = a0r + SPLAT(c1) * t1r + SPLAT(c2) * t2r, p1i = a0i + SPLAT(c1) * t1i + SPLAT(c2) * t2i;
      T q1r = SPLAT(s1) * u1r + SPLAT(s2) * u2r, q1i = SPLAT(s1) * u1i + SPLAT(s2) * u2i;
      T p2r = a0r + SPLAT(c2) * t1r + SPLAT(c1) * t2r, p2i = a0i + SPLAT(c2) * t1i + SPLAT(c1) * t2i;
      T q2r = SPLAT(s2) * u1r - SPLAT(s1) * u2r, q2i = SPLAT(s2) * u1i - SPLAT(s1) * u2i;
      T dr, di;
      TWIDDLE(dr, di, p1r + q1i, p1i - q1r, 1);
      ST(br, j + s, dr);
      ST(bi, j + s, di);
      TWIDDLE(dr, di, p2r + q2i, p2i - q2r, 2);
      ST(br, j + 2 * s, dr);
      ST(bi, j + 2 * s, di);
      TWIDDLE(dr, di, p2r - q2i, p2i + q2r, 3);
      ST(br, j + 3 * s, dr);
      ST(bi, j + 3 * s, di);
      TWIDDLE(dr, di, p1r - q1i, p1i + q1r, 4);
      ST(br, j + 4 * s, dr);
      ST(bi, j + 4 * s, di);
    }
  }
}

/*
 * Any odd radix p ≤ MAX_RADIX, pairing r with p − r: with t_r = a_r + a_{p−r}, u_r = a_r − a_{p−r},
 * b_k = a_0 + Σ_r cos(2πrk/p)·t_r − i·Σ_r sin(2πrk/p)·u_r and b_{p−k} its partner with +i.
 * `rc` holds (cos, sin)(2πrk/p) for k, r = 1 … (p−1)/2, k-major. Inlined with p = 7 so the
 * compiler unrolls that common case (unrolled 11, 13 and 23 measured no faster at n_fft 598).
 */
static inline __attribute__((always_inline)) void
SUF(radix_odd_body)(int p, int m, int s, const float *tw, const float *rc, const P *restrict xr,
                    const P *restrict xi, P *restrict yr, P *restrict yi) {
  const int h = (p - 1) / 2;
  T tr[MAX_HALF], ti[MAX_HALF], ur[MAX_HALF], ui[MAX_HALF];
  for (int q = 0; q < m; q++) {
    const float *w = tw + 2 * (p - 1) * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + p * s * q, *bi = yi + p * s * q;
    const int d = s * m;
    JFOR(j, s) {
      T a0r = LD(ar, j), a0i = LD(ai, j);
      T sumr = a0r, sumi = a0i;
      for (int r = 1; r <= h; r++) {
        T xr1 = LD(ar, j + r * d), xi1 = LD(ai, j + r * d);
        T xr2 = LD(ar, j + (p - r) * d), xi2 = LD(ai, j + (p - r) * d);
        tr[r - 1] = xr1 + xr2;
        ti[r - 1] = xi1 + xi2;
        ur[r - 1] = xr1 - xr2;
        ui[r - 1] = xi1 - xi2;
        sumr += tr[r - 1];
        sumi += ti[r - 1];
      }
      ST(br, j, sumr);
      ST(bi, j, sumi);
      for (int k = 1; k <= h; k++) {
        const float *c = rc + 2 * h * (k - 1);
        T pr = a0r, pi = a0i, qr = SPLAT(0.0f), qi = SPLAT(0.0f);
        for (int r = 0; r < h; r++) {
          pr += SPLAT(c[2 * r]) * tr[r];
          pi += SPLAT(c[2 * r]) * ti[r];
          qr += SPLAT(c[2 * r + 1]) * ur[r];
          qi += SPLAT(c[2 * r + 1]) * ui[r];
        }
        T dr, di;
        TWIDDLE(dr, di, pr + qi, pi - qr, k);
        ST(br, j + k * s, dr);
        ST(bi, j + k * s, di);
        TWIDDLE(dr, di, pr - qi, pi + qr, p - k);
        ST(br, j + (p - k) * s, dr);
        ST(bi, j + (p - k) * s, di);
      }
    }
  }
}

static void SUF(radix7)(int m, int s, const float *tw, const float *rc, const P *restrict xr,
                        const P *restrict xi, P *restrict yr, P *restrict yi) {
  SUF(radix_odd_body)(7, m, s, tw, rc, xr, xi, yr, yi);
}

static void SUF(radix_odd)(int p, int m, int s, const float *tw, const float *rc,
                           const P *restrict xr, const P *restrict xi, P *restrict yr,
                           P *restrict yi) {
  SUF(radix_odd_body)(p, m, s, tw, rc, xr, xi, yr, yi);
}

#ifndef BLOCKED_TABLES
#define BLOCKED_TABLES
#define KBLOCK_MAX 4
/* The blocked butterfly takes odd radices up to 31 (larger ones run radix_odd_body). */
#define BLOCKED_MAX_RADIX 31
#define BLOCKED_MAX_HALF ((BLOCKED_MAX_RADIX - 1) / 2)
#define BLOCKED_FLOATS (2 * BLOCKED_MAX_HALF * (BLOCKED_MAX_HALF + KBLOCK_MAX - 1))
/* Per odd radix p, the pairing butterfly's constants for k in blocks of kb (k0 = 1 + kb·b):
 * [b][r][k − k0] cos(2π(r+1)k/p), then the sines likewise; zero for k past h. Made once from a
 * plan's rc (the same for every plan of that radix). */
static float blocked_table[BLOCKED_MAX_RADIX + 1][BLOCKED_FLOATS];
static unsigned char blocked_ready[BLOCKED_MAX_RADIX + 1];
static const float *blocked_constants(int p, int kb, const float *rc) {
  float *table = blocked_table[p];
  if (!blocked_ready[p]) {
    const int h = (p - 1) / 2, blocks = (h + kb - 1) / kb;
    for (int b = 0; b < blocks; b++) {
      for (int r = 0; r < h; r++) {
        for (int u = 0; u < kb; u++) {
          const int k = kb * b + u + 1, at = (b * h + r) * kb + u;
          table[at] = k <= h ? rc[2 * h * (k - 1) + 2 * r] : 0;
          table[blocks * h * kb + at] = k <= h ? rc[2 * h * (k - 1) + 2 * r + 1] : 0;
        }
      }
    }
    blocked_ready[p] = 1;
  }
  return table;
}
#endif

/*
 * The pairing butterfly (as radix_odd_body) for radix 13 and 23, kb outputs k at a time: each
 * t_r, u_r is loaded once per kb products (and each splatted constant once per two), and the
 * loops over r stay loops (unrolled, the compiler keeps every t, u and constant live at once,
 * more than the engine's 16 registers, and the spills cost more than the loads).
 */
/* Outputs k0 … k0 + kb − 1 of one butterfly (kb ≤ KBLOCK_MAX, a constant where inlined) from its
 * t, u (re, im interleaved) and the block's constants, [r][k − k0], `stride` per r. */
static inline __attribute__((always_inline)) void
SUF(blocked_block)(const int p, const int kb, const int stride, const int k0, const float *c,
                   const float *e, const T *t, const T *u, T a0r, T a0i, int s, int j,
                   const float *tw, const float *w, P *restrict yr, P *restrict yi) {
  const int h = (p - 1) / 2;
  (void)tw;
  (void)w;
  T pr[KBLOCK_MAX], pi[KBLOCK_MAX], qr[KBLOCK_MAX], qi[KBLOCK_MAX];
  for (int v = 0; v < kb; v++) {
    pr[v] = a0r;
    pi[v] = a0i;
    qr[v] = SPLAT(0.0f);
    qi[v] = SPLAT(0.0f);
  }
#pragma clang loop unroll(disable)
  for (int r = 0; r < h; r++, c += stride) {
    const T x = t[2 * r], y = t[2 * r + 1];
    for (int v = 0; v < kb; v++) {
      const T cv = SPLAT(c[v]);
      pr[v] = MADD(pr[v], cv, x);
      pi[v] = MADD(pi[v], cv, y);
    }
  }
#pragma clang loop unroll(disable)
  for (int r = 0; r < h; r++, e += stride) {
    const T x = u[2 * r], y = u[2 * r + 1];
    for (int v = 0; v < kb; v++) {
      const T ev = SPLAT(e[v]);
      qr[v] = MADD(qr[v], ev, x);
      qi[v] = MADD(qi[v], ev, y);
    }
  }
  for (int v = 0; v < kb; v++) {
    const int k = k0 + v;
    T dr, di;
    TWIDDLE(dr, di, pr[v] + qi[v], pi[v] - qr[v], k);
    ST(yr, j + k * s, dr);
    ST(yi, j + k * s, di);
    TWIDDLE(dr, di, pr[v] - qi[v], pi[v] + qr[v], p - k);
    ST(yr, j + (p - k) * s, dr);
    ST(yi, j + (p - k) * s, di);
  }
}

static inline __attribute__((always_inline)) void
SUF(radix_blocked_body)(const int p, const int kb, int m, int s, const float *tw,
                        const float *rc, const P *restrict xr, const P *restrict xi,
                        P *restrict yr, P *restrict yi) {
  const int h = (p - 1) / 2, blocks = (h + kb - 1) / kb, full = h / kb, tail = h % kb;
  const float *cosines = blocked_constants(p, kb, rc), *sines = cosines + blocks * h * kb;
  T t[2 * BLOCKED_MAX_HALF], u[2 * BLOCKED_MAX_HALF];
  for (int q = 0; q < m; q++) {
    const float *w = tw + 2 * (p - 1) * q;
    const P *ar = xr + s * q, *ai = xi + s * q;
    P *br = yr + p * s * q, *bi = yi + p * s * q;
    const int d = s * m;
    JFOR(j, s) {
      const T a0r = LD(ar, j), a0i = LD(ai, j);
      T sumr = a0r, sumi = a0i;
#pragma clang loop unroll(disable)
      for (int r = 1; r <= h; r++) {
        const T xr1 = LD(ar, j + r * d), xi1 = LD(ai, j + r * d);
        const T xr2 = LD(ar, j + (p - r) * d), xi2 = LD(ai, j + (p - r) * d);
        const T t0 = xr1 + xr2, t1 = xi1 + xi2;
        t[2 * r - 2] = t0;
        t[2 * r - 1] = t1;
        u[2 * r - 2] = xr1 - xr2;
        u[2 * r - 1] = xi1 - xi2;
        sumr += t0;
        sumi += t1;
      }
      ST(br, j, sumr);
      ST(bi, j, sumi);
#pragma clang loop unroll(disable)
      for (int b = 0; b < full; b++) {
        SUF(blocked_block)(p, kb, kb, kb * b + 1, cosines + b * h * kb, sines + b * h * kb, t, u,
                           a0r, a0i, s, j, tw, w, br, bi);
      }
      if (tail) {
        SUF(blocked_block)(p, tail, kb, kb * full + 1, cosines + full * h * kb,
                           sines + full * h * kb, t, u, a0r, a0i, s, j, tw, w, br, bi);
      }
    }
  }
}

/* Not inlined: inlined into the stage loops (stages_v4 with every radix's case), the function
 * grew too large for V8 to compile well: Griffin-Lim n_fft 598 took 1.6× as long. */
static __attribute__((noinline)) void SUF(radix13)(int m, int s, const float *tw, const float *rc, const P *restrict xr,
                         const P *restrict xi, P *restrict yr, P *restrict yi) {
  SUF(radix_blocked_body)(13, 3, m, s, tw, rc, xr, xi, yr, yi);
}

static __attribute__((noinline)) void SUF(radix23)(int m, int s, const float *tw, const float *rc, const P *restrict xr,
                         const P *restrict xi, P *restrict yr, P *restrict yi) {
  SUF(radix_blocked_body)(23, 4, m, s, tw, rc, xr, xi, yr, yi);
}

/* The other odd radices up to 31 through the same blocked butterfly, four outputs k a pass
 * (sizes' dispatch, fft.c); not inlined, as 13 and 23. */
static __attribute__((noinline)) void SUF(radix_blocked4)(int p, int m, int s, const float *tw, const float *rc,
                                const P *restrict xr, const P *restrict xi, P *restrict yr,
                                P *restrict yi) {
  SUF(radix_blocked_body)(p, 4, m, s, tw, rc, xr, xi, yr, yi);
}

static __attribute__((noinline)) void SUF(radix_blocked3)(int p, int m, int s, const float *tw, const float *rc,
                                const P *restrict xr, const P *restrict xi, P *restrict yr,
                                P *restrict yi) {
  SUF(radix_blocked_body)(p, 3, m, s, tw, rc, xr, xi, yr, yi);
}

#undef MUL_TW
