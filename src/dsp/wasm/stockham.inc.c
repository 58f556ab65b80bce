/*
 * The Stockham stages (autosort, decimation in frequency) over an element type T: float for one
 * transform, v4 for four transforms side by side (one per SIMD lane). Included twice by fft.c
 * with T, SPLAT and SUF defined. Data are split: re[] and im[] arrays of T.
 *
 * A stage of radix p on the current length n = p·m with stride s (the product of the radices
 * before it), from x into y (Stockham 1966; the form of OTFFT's fft0):
 *
 *   y[j + s(pq + k)] = w^{qk} · Σ_{r<p} x[j + s(q + rm)] · ω_p^{rk},   w = e^{−2πi/n}, ω_p = e^{−2πi/p}
 *
 * for q < m, j < s, k < p. After the last stage the transform lies in natural order.
 * Twiddles `tw` hold, per q, w^{qk} for k = 1 … p−1 as (re, im) pairs.
 */

#define MUL_TW(dr, di, ar, ai, wr, wi)                                                    \
  do {                                                                                     \
    T _wr = SPLAT(wr), _wi = SPLAT(wi);                                                    \
    dr = (ar) * _wr - (ai) * _wi;                                                          \
    di = (ar) * _wi + (ai) * _wr;                                                          \
  } while (0)

static void SUF(radix2)(int m, int s, const float *tw, const T *restrict xr,
                        const T *restrict xi, T *restrict yr, T *restrict yi) {
  for (int q = 0; q < m; q++) {
    const float w1r = tw[2 * q], w1i = tw[2 * q + 1];
    const T *ar = xr + s * q, *ai = xi + s * q;
    T *br = yr + 2 * s * q, *bi = yi + 2 * s * q;
    const int d = s * m;
    for (int j = 0; j < s; j++) {
      T a0r = ar[j], a0i = ai[j], a1r = ar[j + d], a1i = ai[j + d];
      br[j] = a0r + a1r;
      bi[j] = a0i + a1i;
      T dr, di;
      MUL_TW(dr, di, a0r - a1r, a0i - a1i, w1r, w1i);
      br[j + s] = dr;
      bi[j + s] = di;
    }
  }
}

static void SUF(radix3)(int m, int s, const float *tw, const T *restrict xr,
                        const T *restrict xi, T *restrict yr, T *restrict yi) {
  const float s3 = 0.86602540378443864676f;
  for (int q = 0; q < m; q++) {
    const float *w = tw + 4 * q;
    const T *ar = xr + s * q, *ai = xi + s * q;
    T *br = yr + 3 * s * q, *bi = yi + 3 * s * q;
    const int d = s * m;
    for (int j = 0; j < s; j++) {
      T a0r = ar[j], a0i = ai[j];
      T a1r = ar[j + d], a1i = ai[j + d], a2r = ar[j + 2 * d], a2i = ai[j + 2 * d];
      T t1r = a1r + a2r, t1i = a1i + a2i;
      T t2r = a0r - SPLAT(0.5f) * t1r, t2i = a0i - SPLAT(0.5f) * t1i;
      T t3r = SPLAT(s3) * (a1r - a2r), t3i = SPLAT(s3) * (a1i - a2i);
      br[j] = a0r + t1r;
      bi[j] = a0i + t1i;
      T dr, di;
      MUL_TW(dr, di, t2r + t3i, t2i - t3r, w[0], w[1]);
      br[j + s] = dr;
      bi[j + s] = di;
      MUL_TW(dr, di, t2r - t3i, t2i + t3r, w[2], w[3]);
      br[j + 2 * s] = dr;
      bi[j + 2 * s] = di;
    }
  }
}

static void SUF(radix4)(int m, int s, const float *tw, const T *restrict xr,
                        const T *restrict xi, T *restrict yr, T *restrict yi) {
  for (int q = 0; q < m; q++) {
    const float *w = tw + 6 * q;
    const T *ar = xr + s * q, *ai = xi + s * q;
    T *br = yr + 4 * s * q, *bi = yi + 4 * s * q;
    const int d = s * m;
    for (int j = 0; j < s; j++) {
      T a0r = ar[j], a0i = ai[j], a1r = ar[j + d], a1i = ai[j + d];
      T a2r = ar[j + 2 * d], a2i = ai[j + 2 * d], a3r = ar[j + 3 * d], a3i = ai[j + 3 * d];
      T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
      br[j] = t0r + t2r;
      bi[j] = t0i + t2i;
      T dr, di;
      MUL_TW(dr, di, t1r + t3i, t1i - t3r, w[0], w[1]);
      br[j + s] = dr;
      bi[j + s] = di;
      MUL_TW(dr, di, t0r - t2r, t0i - t2i, w[2], w[3]);
      br[j + 2 * s] = dr;
      bi[j + 2 * s] = di;
      MUL_TW(dr, di, t1r - t3i, t1i + t3r, w[4], w[5]);
      br[j + 3 * s] = dr;
      bi[j + 3 * s] = di;
    }
  }
}

static void SUF(radix5)(int m, int s, const float *tw, const T *restrict xr,
                        const T *restrict xi, T *restrict yr, T *restrict yi) {
  const float c1 = 0.30901699437494742410f, c2 = -0.80901699437494742410f;
  const float s1 = 0.95105651629515357212f, s2 = 0.58778525229247312917f;
  for (int q = 0; q < m; q++) {
    const float *w = tw + 8 * q;
    const T *ar = xr + s * q, *ai = xi + s * q;
    T *br = yr + 5 * s * q, *bi = yi + 5 * s * q;
    const int d = s * m;
    for (int j = 0; j < s; j++) {
      T a0r = ar[j], a0i = ai[j];
      T a1r = ar[j + d], a1i = ai[j + d], a2r = ar[j + 2 * d], a2i = ai[j + 2 * d];
      T a3r = ar[j + 3 * d], a3i = ai[j + 3 * d], a4r = ar[j + 4 * d], a4i = ai[j + 4 * d];
      T t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
      T u1r = a1r - a4r, u1i = a1i - a4i, u2r = a2r - a3r, u2i = a2i - a3i;
      br[j] = a0r + t1r + t2r;
      bi[j] = a0i + t1i + t2i;
      T p1r = a0r + SPLAT(c1) * t1r + SPLAT(c2) * t2r, p1i = a0i + SPLAT(c1) * t1i + SPLAT(c2) * t2i;
      T q1r = SPLAT(s1) * u1r + SPLAT(s2) * u2r, q1i = SPLAT(s1) * u1i + SPLAT(s2) * u2i;
      T p2r = a0r + SPLAT(c2) * t1r + SPLAT(c1) * t2r, p2i = a0i + SPLAT(c2) * t1i + SPLAT(c1) * t2i;
      T q2r = SPLAT(s2) * u1r - SPLAT(s1) * u2r, q2i = SPLAT(s2) * u1i - SPLAT(s1) * u2i;
      T dr, di;
      MUL_TW(dr, di, p1r + q1i, p1i - q1r, w[0], w[1]);
      br[j + s] = dr;
      bi[j + s] = di;
      MUL_TW(dr, di, p2r + q2i, p2i - q2r, w[2], w[3]);
      br[j + 2 * s] = dr;
      bi[j + 2 * s] = di;
      MUL_TW(dr, di, p2r - q2i, p2i + q2r, w[4], w[5]);
      br[j + 3 * s] = dr;
      bi[j + 3 * s] = di;
      MUL_TW(dr, di, p1r - q1i, p1i + q1r, w[6], w[7]);
      br[j + 4 * s] = dr;
      bi[j + 4 * s] = di;
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
SUF(radix_odd_body)(int p, int m, int s, const float *tw, const float *rc, const T *restrict xr,
                    const T *restrict xi, T *restrict yr, T *restrict yi) {
  const int h = (p - 1) / 2;
  T tr[MAX_HALF], ti[MAX_HALF], ur[MAX_HALF], ui[MAX_HALF];
  for (int q = 0; q < m; q++) {
    const float *w = tw + 2 * (p - 1) * q;
    const T *ar = xr + s * q, *ai = xi + s * q;
    T *br = yr + p * s * q, *bi = yi + p * s * q;
    const int d = s * m;
    for (int j = 0; j < s; j++) {
      T a0r = ar[j], a0i = ai[j];
      T sumr = a0r, sumi = a0i;
      for (int r = 1; r <= h; r++) {
        T xr1 = ar[j + r * d], xi1 = ai[j + r * d];
        T xr2 = ar[j + (p - r) * d], xi2 = ai[j + (p - r) * d];
        tr[r - 1] = xr1 + xr2;
        ti[r - 1] = xi1 + xi2;
        ur[r - 1] = xr1 - xr2;
        ui[r - 1] = xi1 - xi2;
        sumr += tr[r - 1];
        sumi += ti[r - 1];
      }
      br[j] = sumr;
      bi[j] = sumi;
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
        MUL_TW(dr, di, pr + qi, pi - qr, w[2 * (k - 1)], w[2 * (k - 1) + 1]);
        br[j + k * s] = dr;
        bi[j + k * s] = di;
        MUL_TW(dr, di, pr - qi, pi + qr, w[2 * (p - k - 1)], w[2 * (p - k - 1) + 1]);
        br[j + (p - k) * s] = dr;
        bi[j + (p - k) * s] = di;
      }
    }
  }
}

static void SUF(radix7)(int m, int s, const float *tw, const float *rc, const T *restrict xr,
                        const T *restrict xi, T *restrict yr, T *restrict yi) {
  SUF(radix_odd_body)(7, m, s, tw, rc, xr, xi, yr, yi);
}

static void SUF(radix_odd)(int p, int m, int s, const float *tw, const float *rc,
                           const T *restrict xr, const T *restrict xi, T *restrict yr,
                           T *restrict yi) {
  SUF(radix_odd_body)(p, m, s, tw, rc, xr, xi, yr, yi);
}

/* Runs every stage; returns which buffer holds the result (0: x, 1: y). */
static int SUF(stages)(const Plan *plan, T *xr, T *xi, T *yr, T *yi) {
  int s = 1;
  int m = plan->len;
  int where = 0;
  for (int i = 0; i < plan->nstages; i++) {
    const Stage *st = &plan->stage[i];
    const int p = st->radix;
    m /= p;
    T *inr = where ? yr : xr, *ini = where ? yi : xi;
    T *outr = where ? xr : yr, *outi = where ? xi : yi;
    switch (p) {
    case 2: SUF(radix2)(m, s, st->tw, inr, ini, outr, outi); break;
    case 3: SUF(radix3)(m, s, st->tw, inr, ini, outr, outi); break;
    case 4: SUF(radix4)(m, s, st->tw, inr, ini, outr, outi); break;
    case 5: SUF(radix5)(m, s, st->tw, inr, ini, outr, outi); break;
    case 7: SUF(radix7)(m, s, st->tw, st->rc, inr, ini, outr, outi); break;
    default: SUF(radix_odd)(p, m, s, st->tw, st->rc, inr, ini, outr, outi); break;
    }
    s *= p;
    where ^= 1;
  }
  return where;
}

#undef MUL_TW
