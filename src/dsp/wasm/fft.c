/*
 * Synesthete's mixed-radix real FFT, for WebAssembly with SIMD (build: ./build.sh).
 *
 * A complex FFT of length h by Stockham stages of radix 2, 3, 4, 5, 7 and any odd radix up to
 * MAX_RADIX (stockham.inc.c); the real transform of even N packs x into z_n = x_{2n} + i·x_{2n+1}
 * and untangles Z (Numerical Recipes §12.3), the same relations as fft-real-js.ts.
 *
 * SIMD: when h = 4L, z splits into four interleaved sequences z_{4i+l} (l = 0 … 3), one per
 * lane: the four L-point transforms Y_l run side by side with every operation on f32x4, then
 * X_{k+qL} = Σ_l w_h^{lk} · (−i)^{lq} · Y_l[k] joins them (decimation in time by four, as PFFFT
 * does). Other lengths run the same stages on f32x4 within the one transform: four consecutive j
 * of a stage at once where its stride s ≥ 4, and the first stage four q at once through a
 * transposition (stages_single); the untangling runs four k at once for every even N.
 *
 * The plan (twiddles, buffers, factors) is laid out by fft-wasm.ts in this module's memory;
 * JavaScript computes the twiddles in float64 (Math.cos/sin) and rounds them once.
 */
#define MAX_STAGES 32
#define MAX_RADIX 257
#define MAX_HALF ((MAX_RADIX - 1) / 2)

typedef float v4 __attribute__((vector_size(16), aligned(16)));

typedef struct {
  int radix;
  const float *tw;
  const float *rc;
  const float *twt; /* first stage of a single-transform plan with lanes = 1: see stages_single */
} Stage;

typedef struct {
  int n;                /* real size */
  int h;                /* complex length: n/2 for even n, n for odd */
  int lanes;            /* 4: four lanes of len = h/4; 1: scalar over len = h */
  int len;
  int nstages;
  const float *realtw;  /* (cos, sin)(2πk/n), k = 0 … h, even n */
  const float *lanetw;  /* lanes: per k < len, re of w_h^{lk} for l = 0 … 3, then im */
  float *work;          /* four buffers of h floats (five for odd n), 16-byte aligned */
  Stage stage[MAX_STAGES];
  /* Odd n = P·M with a large prime P: the first stage's M real P-point DFTs by Rader (see
   * odd_real_first_rader), else 0. */
  const struct Rader *first_rader;
  /* Four-lane plans: stage rader_index (a prime radix) by Rader's algorithm (rader_stage), or 0. */
  const struct RaderStage *rader_stage;
  int rader_index;
} Plan;

/* ---------------------------------------------------------------- memory */

extern unsigned char __heap_base;

typedef struct FreeBlock {
  unsigned size; /* bytes of the whole block, header included */
  struct FreeBlock *next;
} FreeBlock;

static FreeBlock *free_list = 0;
static unsigned heap_end = 0;

/* 16-byte-aligned bytes (a 16-byte header before them holds the block size); 0 when full. */
__attribute__((export_name("fx_alloc"))) void *fx_alloc(unsigned bytes) {
  if (bytes > 0xF0000000u) return 0;
  const unsigned need = ((bytes + 15u) & ~15u) + 16u;
  FreeBlock **link = &free_list;
  for (FreeBlock *b = free_list; b; link = &b->next, b = b->next) {
    if (b->size < need) continue;
    if (b->size - need >= 64u) {
      b->size -= need;
      unsigned char *block = (unsigned char *)b + b->size;
      *(unsigned *)block = need;
      return block + 16;
    }
    *link = b->next;
    return (unsigned char *)b + 16;
  }
  if (heap_end == 0) heap_end = ((unsigned)(unsigned long)&__heap_base + 15u) & ~15u;
  const unsigned start = heap_end;
  const unsigned long end = (unsigned long)start + need;
  const unsigned long have = (unsigned long)__builtin_wasm_memory_size(0) * 65536ul;
  if (end > have) {
    const unsigned long pages = (end - have + 65535ul) / 65536ul;
    if (__builtin_wasm_memory_grow(0, pages) == (unsigned long)-1) return 0;
  }
  heap_end = (unsigned)end;
  *(unsigned *)(unsigned long)start = need;
  return (unsigned char *)(unsigned long)start + 16;
}

/* Returns a block from fx_alloc; neighbours on the free list (kept in address order) merge. */
__attribute__((export_name("fx_free"))) void fx_free(void *pointer) {
  if (!pointer) return;
  FreeBlock *block = (FreeBlock *)((unsigned char *)pointer - 16);
  FreeBlock **link = &free_list;
  while (*link && *link < block) link = &(*link)->next;
  block->next = *link;
  *link = block;
  if (block->next && (unsigned char *)block + block->size == (unsigned char *)block->next) {
    block->size += block->next->size;
    block->next = block->next->next;
  }
  if (link != &free_list) {
    FreeBlock *before = (FreeBlock *)((unsigned char *)link - __builtin_offsetof(FreeBlock, next));
    if ((unsigned char *)before + before->size == (unsigned char *)block) {
      before->size += block->size;
      before->next = block->next;
    }
  }
}

/* ---------------------------------------------------------------- stages */

typedef float v4u __attribute__((vector_size(16), aligned(4)));
#define REVERSE(v) __builtin_shufflevector((v), (v), 3, 2, 1, 0)

#define JFOR1(j, s) for (int j = 0; j < (s); j++)
/* Four j at a time, the last group moved back to end at s (needs s ≥ 4). */
#define JFOR4(j, s)                                                                             \
  for (int j##_0 = 0, j = 0; j##_0 < (s) && ((j = j##_0 + 4 <= (s) ? j##_0 : (s)-4), 1); j##_0 += 4)
#define TW_SPLAT(dr, di, ar, ai, k) MUL_TW(dr, di, ar, ai, w[2 * ((k)-1)], w[2 * ((k)-1) + 1])
/* _vt: row k−1 of the table holds re w^{jk} for j < s, then im. */
#define TW_TABLE(dr, di, ar, ai, k)                                                             \
  do {                                                                                          \
    (void)w;                                                                                    \
    const v4 _wr = *(const v4u *)(tw + 2 * ((k)-1) * s + j);                                   \
    const v4 _wi = *(const v4u *)(tw + (2 * ((k)-1) + 1) * s + j);                             \
    dr = (ar) * _wr - (ai) * _wi;                                                               \
    di = (ar) * _wi + (ai) * _wr;                                                               \
  } while (0)
/* The n instances: stages whose twiddles are all 1 (the last, m = 1), which skip them. */
#define TW_NONE(dr, di, ar, ai, k)                                                              \
  do {                                                                                          \
    (void)w;                                                                                    \
    dr = (ar);                                                                                  \
    di = (ai);                                                                                  \
  } while (0)

/* acc + a·b: fused (relaxed SIMD's f32x4.relaxed_madd) in the f32x4 instances of the build with
 * FFT_RELAXED (build.sh makes both; fft-wasm.ts takes it where the engine does), else two ops. */
#define MADD(acc, a, b) ((acc) + (a) * (b))
/* Scalars. */
#define T float
#define P float
#define SPLAT(x) (x)
#define LD(p, i) ((p)[i])
#define ST(p, i, v) ((p)[i] = (v))
#define JFOR JFOR1
#define TWIDDLE TW_SPLAT
#define SUF(name) name##_scalar
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#define TWIDDLE TW_NONE
#define SUF(name) name##_scalarn
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#undef T
#undef P
#undef SPLAT

#ifdef FFT_RELAXED
#undef MADD
#define MADD(acc, a, b) __builtin_wasm_fma_f32x4((a), (b), (acc))
#endif
/* Four transforms, one per lane. */
#define T v4
#define P v4
#define SPLAT(x) ((v4){(x), (x), (x), (x)})
#define TWIDDLE TW_SPLAT
#define SUF(name) name##_v4
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#define TWIDDLE TW_NONE
#define SUF(name) name##_v4n
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#undef P
#undef LD
#undef ST
#undef JFOR

/* One transform, four j at a time. */
#define P float
#define LD(p, i) (*(const v4u *)((p) + (i)))
#define ST(p, i, v) (*(v4u *)((p) + (i)) = (v))
#define JFOR JFOR4
#define TWIDDLE TW_SPLAT
#define SUF(name) name##_vj
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#define TWIDDLE TW_NONE
#define SUF(name) name##_vjn
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#define TWIDDLE TW_TABLE
#define SUF(name) name##_vt
#include "stockham.inc.c"
#undef SUF
#undef TWIDDLE
#undef JFOR
#undef LD
#undef ST
#undef P
#undef SPLAT
#undef T

/* One stage of radix p (m, s as in stockham.inc.c) through the functions of one instance. */
#define STAGE(SUFFIX, p, m, s, st, tw, xr, xi, yr, yi)                                          \
  do {                                                                                          \
    switch (p) {                                                                                \
    case 2: radix2##SUFFIX(m, s, tw, xr, xi, yr, yi); break;                                    \
    case 3: radix3##SUFFIX(m, s, tw, xr, xi, yr, yi); break;                                    \
    case 4: radix4##SUFFIX(m, s, tw, xr, xi, yr, yi); break;                                    \
    case 5: radix5##SUFFIX(m, s, tw, xr, xi, yr, yi); break;                                    \
    case 7: radix7##SUFFIX(m, s, tw, (st)->rc, xr, xi, yr, yi); break;                          \
    case 13: radix13##SUFFIX(m, s, tw, (st)->rc, xr, xi, yr, yi); break;                        \
    case 23: radix23##SUFFIX(m, s, tw, (st)->rc, xr, xi, yr, yi); break;                        \
    case 11: radix_blocked3##SUFFIX(11, m, s, tw, (st)->rc, xr, xi, yr, yi); break;             \
    case 17: case 19: case 29: case 31:                                                         \
      radix_blocked4##SUFFIX(p, m, s, tw, (st)->rc, xr, xi, yr, yi); break;                     \
    default: radix_odd##SUFFIX(p, m, s, tw, (st)->rc, xr, xi, yr, yi); break;                   \
    }                                                                                           \
  } while (0)
/* The same through the instance's twiddle-free twin (suffix + n) where the stage has none. */
#define STAGE_TW(SUFFIX, p, m, s, st, xr, xi, yr, yi)                                           \
  do {                                                                                          \
    if ((st)->tw) STAGE(SUFFIX, p, m, s, st, (st)->tw, xr, xi, yr, yi);                         \
    else STAGE(SUFFIX##n, p, m, s, st, (st)->tw, xr, xi, yr, yi);                               \
  } while (0)

static void rader_stage(const Plan *plan, int m, int s, const float *tw, const float *xr,
                        const float *xi, float *yr, float *yi);
static void rader_stage_first(const Plan *plan, int m, const float *twt, const float *xr,
                              const float *xi, float *yr, float *yi);

/* Four transforms, one per lane: every stage; returns which buffer holds the result (0: x). */
static int stages_v4(const Plan *plan, v4 *xr, v4 *xi, v4 *yr, v4 *yi) {
  int s = 1;
  int m = plan->len;
  int where = 0;
  for (int i = 0; i < plan->nstages; i++) {
    const Stage *st = &plan->stage[i];
    const int p = st->radix;
    m /= p;
    v4 *inr = where ? yr : xr, *ini = where ? yi : xi;
    v4 *outr = where ? xr : yr, *outi = where ? xi : yi;
    if (plan->rader_stage && i == plan->rader_index)
      rader_stage(plan, m, s, st->tw, (const float *)inr, (const float *)ini, (float *)outr, (float *)outi);
    else STAGE_TW(_v4, p, m, s, st, inr, ini, outr, outi);
    s *= p;
    where ^= 1;
  }
  return where;
}

/* dst[rows·c + r] = src[cols·r + c] for r < rows, c < cols: 4×4 blocks on f32x4, edges one by one. */
static void transpose(const float *src, int rows, int cols, float *dst) {
  int r = 0;
  for (; r + 4 <= rows; r += 4) {
    int c = 0;
    for (; c + 4 <= cols; c += 4) {
      const v4 a0 = *(const v4u *)(src + cols * r + c), a1 = *(const v4u *)(src + cols * (r + 1) + c);
      const v4 a2 = *(const v4u *)(src + cols * (r + 2) + c), a3 = *(const v4u *)(src + cols * (r + 3) + c);
      const v4 t0 = __builtin_shufflevector(a0, a1, 0, 4, 1, 5), t1 = __builtin_shufflevector(a0, a1, 2, 6, 3, 7);
      const v4 t2 = __builtin_shufflevector(a2, a3, 0, 4, 1, 5), t3 = __builtin_shufflevector(a2, a3, 2, 6, 3, 7);
      *(v4u *)(dst + rows * c + r) = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
      *(v4u *)(dst + rows * (c + 1) + r) = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
      *(v4u *)(dst + rows * (c + 2) + r) = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
      *(v4u *)(dst + rows * (c + 3) + r) = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
    }
    for (; c < cols; c++)
      for (int u = 0; u < 4; u++) dst[rows * c + r + u] = src[cols * (r + u) + c];
  }
  for (; r < rows; r++)
    for (int c = 0; c < cols; c++) dst[rows * c + r] = src[cols * r + c];
}

/*
 * One transform whose length is not a multiple of four, on f32x4 all the same: every stage with
 * stride s ≥ 4 runs four consecutive j at once (_vj). The first stage (s = 1) runs as m = 1 over
 * stride s' = its m, i.e. four consecutive q at once, into [k][q] order with its twiddles from a
 * [k][q] table (_vt, when that m ≥ 4), then a transposition puts it in Stockham order
 * y[pq + k]. Stages with 1 < s < 4 run on scalars (radices are ordered largest first, so only
 * sizes like 2·3·… meet one). Returns which buffer holds the result (0: x, 1: y).
 */
static int stages_single(const Plan *plan, float *xr, float *xi, float *yr, float *yi) {
  int s = 1;
  int m = plan->len;
  int where = 0;
  for (int i = 0; i < plan->nstages; i++) {
    const Stage *st = &plan->stage[i];
    const int p = st->radix;
    m /= p;
    float *inr = where ? yr : xr, *ini = where ? yi : xi;
    float *outr = where ? xr : yr, *outi = where ? xi : yi;
    const int by_rader = plan->rader_stage && i == plan->rader_index;
    if (i == 0 && (m >= 4 || by_rader) && (st->twt || !st->tw)) {
      if (by_rader) rader_stage_first(plan, m, st->tw ? st->twt : 0, inr, ini, outr, outi);
      else if (st->tw) STAGE(_vt, p, 1, m, st, st->twt, inr, ini, outr, outi);
      else STAGE(_vjn, p, 1, m, st, st->tw, inr, ini, outr, outi);
      /* [k][q] → [q][k], back into the input buffer: the result stays where the input was. */
      transpose(outr, p, m, inr);
      transpose(outi, p, m, ini);
      s *= p;
      continue;
    }
    if (by_rader && s >= 4) rader_stage(plan, m, s, st->tw, inr, ini, outr, outi);
    else if (s >= 4) STAGE_TW(_vj, p, m, s, st, inr, ini, outr, outi);
    else STAGE_TW(_scalar, p, m, s, st, inr, ini, outr, outi);
    s *= p;
    where ^= 1;
  }
  return where;
}

#define SPLAT_V4(x) ((v4){(x), (x), (x), (x)})
/* out[l][u] = in[u][l]: four v4 as a 4×4 block, transposed. */
static inline __attribute__((always_inline)) void transpose4(const v4 in[4], v4 out[4]) {
  const v4 t0 = __builtin_shufflevector(in[0], in[1], 0, 4, 1, 5);
  const v4 t1 = __builtin_shufflevector(in[0], in[1], 2, 6, 3, 7);
  const v4 t2 = __builtin_shufflevector(in[2], in[3], 0, 4, 1, 5);
  const v4 t3 = __builtin_shufflevector(in[2], in[3], 2, 6, 3, 7);
  out[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  out[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  out[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  out[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}
#include "griffin-lim.inc.c"

/*
 * The join of the four lanes: for each k < L, with b_l = w_h^{lk}·Y_l[k],
 * X_k = b0+b1+b2+b3, X_{k+L} = b0−ib1−b2+ib3, X_{k+2L} = b0−b1+b2−b3, X_{k+3L} = b0+ib1−b2−ib3.
 * Four k at a time: the 4×4 blocks are transposed so the sums run across k on f32x4.
 */
static void join_lanes(const Plan *plan, const v4 *yr, const v4 *yi, float *xr, float *xi) {
  const int L = plan->len;
  const v4 *tw = (const v4 *)plan->lanetw;
  int k = 0;
  for (; k + 4 <= L; k += 4) {
    v4 br[4], bi[4];
    for (int u = 0; u < 4; u++) {
      const v4 wr = tw[2 * (k + u)], wi = tw[2 * (k + u) + 1];
      const v4 ar = yr[k + u], ai = yi[k + u];
      br[u] = ar * wr - ai * wi;
      bi[u] = ar * wi + ai * wr;
    }
    v4 rr[4], ri[4];
#define TRANSPOSE(in, out)                                                                       \
  do {                                                                                          \
    v4 t0 = __builtin_shufflevector(in[0], in[1], 0, 4, 1, 5);                                  \
    v4 t1 = __builtin_shufflevector(in[0], in[1], 2, 6, 3, 7);                                  \
    v4 t2 = __builtin_shufflevector(in[2], in[3], 0, 4, 1, 5);                                  \
    v4 t3 = __builtin_shufflevector(in[2], in[3], 2, 6, 3, 7);                                  \
    out[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);                                       \
    out[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);                                       \
    out[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);                                       \
    out[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);                                       \
  } while (0)
    TRANSPOSE(br, rr);
    TRANSPOSE(bi, ri);
#undef TRANSPOSE
    const v4 t0r = rr[0] + rr[2], t0i = ri[0] + ri[2], t1r = rr[0] - rr[2], t1i = ri[0] - ri[2];
    const v4 t2r = rr[1] + rr[3], t2i = ri[1] + ri[3], t3r = rr[1] - rr[3], t3i = ri[1] - ri[3];
    *(v4u *)(xr + k) = t0r + t2r;
    *(v4u *)(xi + k) = t0i + t2i;
    *(v4u *)(xr + k + L) = t1r + t3i;
    *(v4u *)(xi + k + L) = t1i - t3r;
    *(v4u *)(xr + k + 2 * L) = t0r - t2r;
    *(v4u *)(xi + k + 2 * L) = t0i - t2i;
    *(v4u *)(xr + k + 3 * L) = t1r - t3i;
    *(v4u *)(xi + k + 3 * L) = t1i + t3r;
  }
  for (; k < L; k++) {
    const v4 wr = tw[2 * k], wi = tw[2 * k + 1];
    const v4 ar = yr[k], ai = yi[k];
    const v4 br = ar * wr - ai * wi, bi = ar * wi + ai * wr;
    const float t0r = br[0] + br[2], t0i = bi[0] + bi[2], t1r = br[0] - br[2], t1i = bi[0] - bi[2];
    const float t2r = br[1] + br[3], t2i = bi[1] + bi[3], t3r = br[1] - br[3], t3i = bi[1] - bi[3];
    xr[k] = t0r + t2r;
    xi[k] = t0i + t2i;
    xr[k + L] = t1r + t3i;
    xi[k + L] = t1i - t3r;
    xr[k + 2 * L] = t0r - t2r;
    xi[k + 2 * L] = t0i - t2i;
    xr[k + 3 * L] = t1r - t3i;
    xi[k + 3 * L] = t1i + t3r;
  }
}

/*
 * The forward complex transform of (ar, ai), unscaled; (br, bi) is scratch of the same length.
 * Returns 0 when the result lies in (ar, ai), 1 when in (br, bi).
 */
static int complex_forward(const Plan *plan, float *ar, float *ai, float *br, float *bi) {
  if (plan->lanes == 1) return stages_single(plan, ar, ai, br, bi);
  const int where = stages_v4(plan, (v4 *)ar, (v4 *)ai, (v4 *)br, (v4 *)bi);
  if (where == 0) {
    join_lanes(plan, (const v4 *)ar, (const v4 *)ai, br, bi);
    return 1;
  }
  join_lanes(plan, (const v4 *)br, (const v4 *)bi, ar, ai);
  return 0;
}

/* ---------------------------------------------------------------- real transforms */

/*
 * Odd real sizes at about half the work of the complex transform of the same length. With
 * n = p·M (p the first, odd radix, h_p = (p−1)/2) the first stage's p-point DFTs of real data are
 * Hermitian in k, so only rows k ≤ h_p are made (Y_k = a_0 + Σ_r cos·t_r − i·Σ_r sin·u_r with
 * t_r = a_r + a_{p−r}, u_r = a_r − a_{p−r}: half the products of a complex butterfly), twiddled by
 * w_n^{qk}, and the later stages transform only those h_p + 1 rows, as the stride of a plan whose
 * first radix had h_p + 1 outputs. X_{k + pK} then lies at k + (h_p + 1)·K for k ≤ h_p, and the
 * other bins are conjugates: X_{n−j} = conj X_j.
 */
static int odd_real_ready(const Plan *plan) {
  return (plan->n & 1) && plan->lanes == 1 && plan->nstages > 1 && plan->stage[0].twt &&
         (plan->first_rader || plan->len / plan->stage[0].radix >= 4);
}

static void odd_real_first_rader(const Plan *plan, const float *x, float *yr, float *yi);

/* Rows k ≤ h_p of the first stage, [k][q] (four q at a time), from real x; returns nothing. */
static void odd_real_first(const Plan *plan, const float *x, float *yr, float *yi) {
  const Stage *st = &plan->stage[0];
  const int p = st->radix, hp = (p - 1) / 2, M = plan->len / p;
  const float *tw = st->twt, *rc = st->rc;
  v4 t[MAX_HALF], u[MAX_HALF];
  JFOR4(q, M) {
    const v4 a0 = *(const v4u *)(x + q);
    v4 sum = a0;
    for (int r = 1; r <= hp; r++) {
      const v4 x1 = *(const v4u *)(x + q + r * M), x2 = *(const v4u *)(x + q + (p - r) * M);
      t[r - 1] = x1 + x2;
      u[r - 1] = x1 - x2;
      sum += t[r - 1];
    }
    *(v4u *)(yr + q) = sum;
    *(v4u *)(yi + q) = (v4){0, 0, 0, 0};
    int k = 1;
    for (; k + 1 <= hp; k += 2) { /* two rows a pass: each t_r, u_r load feeds two products */
      const float *c = rc + 2 * hp * (k - 1), *d = c + 2 * hp;
      v4 pr = a0, qr = {0, 0, 0, 0}, pr2 = a0, qr2 = {0, 0, 0, 0};
#pragma clang loop unroll(disable)
      for (int r = 0; r < hp; r++) {
        const v4 tv = t[r], uv = u[r];
        pr += SPLAT_V4(c[2 * r]) * tv;
        qr += SPLAT_V4(c[2 * r + 1]) * uv;
        pr2 += SPLAT_V4(d[2 * r]) * tv;
        qr2 += SPLAT_V4(d[2 * r + 1]) * uv;
      }
      const v4 wr = *(const v4u *)(tw + 2 * (k - 1) * M + q);
      const v4 wi = *(const v4u *)(tw + (2 * (k - 1) + 1) * M + q);
      *(v4u *)(yr + k * M + q) = pr * wr + qr * wi;
      *(v4u *)(yi + k * M + q) = pr * wi - qr * wr;
      const v4 wr2 = *(const v4u *)(tw + 2 * k * M + q);
      const v4 wi2 = *(const v4u *)(tw + (2 * k + 1) * M + q);
      *(v4u *)(yr + (k + 1) * M + q) = pr2 * wr2 + qr2 * wi2;
      *(v4u *)(yi + (k + 1) * M + q) = pr2 * wi2 - qr2 * wr2;
    }
    for (; k <= hp; k++) {
      const float *c = rc + 2 * hp * (k - 1);
      v4 pr = a0, qr = {0, 0, 0, 0};
      for (int r = 0; r < hp; r++) {
        pr += SPLAT_V4(c[2 * r]) * t[r];
        qr += SPLAT_V4(c[2 * r + 1]) * u[r];
      }
      /* (pr − i·qr)·w^{qk} */
      const v4 wr = *(const v4u *)(tw + 2 * (k - 1) * M + q);
      const v4 wi = *(const v4u *)(tw + (2 * (k - 1) + 1) * M + q);
      *(v4u *)(yr + k * M + q) = pr * wr + qr * wi;
      *(v4u *)(yi + k * M + q) = pr * wi - qr * wr;
    }
  }
}

/* The rows of odd_real_first through the later stages; x must not be one of the buffers.
 * Returns 0 when the result lies in (ar, ai), 1 when in (br, bi). */
static int odd_real_stages(const Plan *plan, const float *x, float *ar, float *ai, float *br,
                           float *bi) {
  const int p = plan->stage[0].radix, rows = (p - 1) / 2 + 1, M = plan->len / p;
  if (plan->first_rader) odd_real_first_rader(plan, x, br, bi);
  else odd_real_first(plan, x, br, bi);
  transpose(br, rows, M, ar);
  transpose(bi, rows, M, ai);
  int s = rows, m = M, where = 0;
  for (int i = 1; i < plan->nstages; i++) {
    const Stage *st = &plan->stage[i];
    const int r = st->radix;
    m /= r;
    float *inr = where ? br : ar, *ini = where ? bi : ai;
    float *outr = where ? ar : br, *outi = where ? ai : bi;
    if (plan->rader_stage && i == plan->rader_index && s >= 4)
      rader_stage(plan, m, s, st->tw, inr, ini, outr, outi);
    else if (s >= 4) STAGE_TW(_vj, r, m, s, st, inr, ini, outr, outi);
    else STAGE_TW(_scalar, r, m, s, st, inr, ini, outr, outi);
    s *= r;
    where ^= 1;
  }
  return where;
}

/* out[2i], out[2i+1] = re[i], im[i] for i < count: four at a time. */
static inline __attribute__((always_inline)) void interleave(const float *re, const float *im,
                                                             int count, float *out) {
  int i = 0;
  for (; i + 4 <= count; i += 4) {
    const v4 a = *(const v4u *)(re + i), b = *(const v4u *)(im + i);
    *(v4u *)(out + 2 * i) = __builtin_shufflevector(a, b, 0, 4, 1, 5);
    *(v4u *)(out + 2 * i + 4) = __builtin_shufflevector(a, b, 2, 6, 3, 7);
  }
  for (; i < count; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im[i];
  }
}

/* X_k for k < bins from odd_real_stages' result: out[2k], out[2k+1] = re, im (stride 2). */
static void odd_real_bins(const Plan *plan, const float *zr, const float *zi, float *out) {
  const int p = plan->stage[0].radix, hp = (p - 1) / 2, M = plan->len / p, rows = hp + 1;
  const int bins = plan->n / 2 + 1;
  /* Per K: bins pK + k1 for k1 ≤ hp read forwards from row K, the rest backwards (conjugated)
   * from row M − 1 − K; four bins at a time. */
  for (int K = 0, base = 0; base < bins; K++, base += p) {
    const int ends = bins - base < rows ? bins - base : rows;
    const float *r = zr + rows * K, *i = zi + rows * K;
    float *o = out + 2 * base;
    interleave(r, i, ends, o);
    const int ends2 = bins - base < p ? bins - base : p;
    const float *r2 = zr + rows * (M - 1 - K) + p, *i2 = zi + rows * (M - 1 - K) + p;
    int k1 = rows;
    for (; k1 + 4 <= ends2; k1 += 4) { /* r2[−k1 − 3 … −k1], reversed */
      const v4 a = REVERSE(*(const v4u *)(r2 - k1 - 3)), b = -REVERSE(*(const v4u *)(i2 - k1 - 3));
      *(v4u *)(o + 2 * k1) = __builtin_shufflevector(a, b, 0, 4, 1, 5);
      *(v4u *)(o + 2 * k1 + 4) = __builtin_shufflevector(a, b, 2, 6, 3, 7);
    }
    for (; k1 < ends2; k1++) {
      o[2 * k1] = r2[-k1];
      o[2 * k1 + 1] = -i2[-k1];
    }
  }
}

/* For odd n (Hartley's identity, below): dst[0] = src[0] and, for 0 < k < bins = (n+1)/2,
 * dst[k] = src[2k] − src[2k+1], dst[n−k] = src[2k] + src[2k+1]; four k at a time. */
static void hartley_fold(const float *src, int n, int bins, float *dst) {
  dst[0] = src[0];
  int k = 1;
  for (; k + 4 <= bins; k += 4) {
    const v4 x0 = *(const v4u *)(src + 2 * k), x1 = *(const v4u *)(src + 2 * k + 4);
    const v4 a = __builtin_shufflevector(x0, x1, 0, 2, 4, 6), b = __builtin_shufflevector(x0, x1, 1, 3, 5, 7);
    *(v4u *)(dst + k) = a - b;
    *(v4u *)(dst + n - k - 3) = REVERSE(a + b);
  }
  for (; k < bins; k++) {
    dst[k] = src[2 * k] - src[2 * k + 1];
    dst[n - k] = src[2 * k] + src[2 * k + 1];
  }
}

/* The bins of real x (even n = 2h) from Z = DFT_h(x_{2j} + i·x_{2j+1}); tw: (cos, sin)(2πk/n). */
static void untangle(const float *zr, const float *zi, const float *tw, int h, float *spectrum) {
  /* X_k = E_k + e^{−2πik/n}·O_k, E_k = (Z_k + conj Z_{h−k})/2, O_k = (Z_k − conj Z_{h−k})/(2i) */
  int k = 1;
  const v4 half = {0.5f, 0.5f, 0.5f, 0.5f};
  for (; k + 4 <= h; k += 4) { /* k … k+3 and h−k−3 … h−k all in [1, h−1] */
    const v4 zr0 = *(const v4u *)(zr + k), zi0 = *(const v4u *)(zi + k);
    const v4 yr = REVERSE(*(const v4u *)(zr + h - k - 3));
    const v4 yi = -REVERSE(*(const v4u *)(zi + h - k - 3));
    const v4 er = half * (zr0 + yr), ei = half * (zi0 + yi);
    const v4 orr = half * (zi0 - yi), oi = -half * (zr0 - yr);
    const v4 t0 = *(const v4u *)(tw + 2 * k), t1 = *(const v4u *)(tw + 2 * k + 4);
    const v4 c = __builtin_shufflevector(t0, t1, 0, 2, 4, 6);
    const v4 sn = -__builtin_shufflevector(t0, t1, 1, 3, 5, 7);
    const v4 re = er + c * orr - sn * oi, im = ei + c * oi + sn * orr;
    *(v4u *)(spectrum + 2 * k) = __builtin_shufflevector(re, im, 0, 4, 1, 5);
    *(v4u *)(spectrum + 2 * k + 4) = __builtin_shufflevector(re, im, 2, 6, 3, 7);
  }
  for (int i = 0; i <= h; i = i == 0 ? k : i + 1) { /* 0, then what the vector loop left */
    const int z = i == h ? 0 : i;
    const int j = (i == 0 || i == h) ? 0 : h - i;
    const float zr0 = zr[z], zi0 = zi[z], yr = zr[j], yi = -zi[j];
    const float er = 0.5f * (zr0 + yr), ei = 0.5f * (zi0 + yi);
    const float orr = 0.5f * (zi0 - yi), oi = -0.5f * (zr0 - yr);
    const float c = tw[2 * i], sn = -tw[2 * i + 1];
    spectrum[2 * i] = er + c * orr - sn * oi;
    spectrum[2 * i + 1] = ei + c * oi + sn * orr;
  }
  spectrum[1] = 0;
  spectrum[2 * h + 1] = 0;
}

/* The inverse's input from the bins of even n = 2h: swap(2·Z), i.e. ar = 2·Im Z, ai = 2·Re Z. */
static void tangle(const float *spectrum, const float *tw, int h, float *ar, float *ai) {
  int k = 1;
  for (; k + 4 <= h; k += 4) { /* k … k+3 and h−k−3 … h−k all in [1, h−1] */
    const v4 x0 = *(const v4u *)(spectrum + 2 * k), x1 = *(const v4u *)(spectrum + 2 * k + 4);
    const v4 y0 = *(const v4u *)(spectrum + 2 * (h - k - 3));
    const v4 y1 = *(const v4u *)(spectrum + 2 * (h - k - 3) + 4);
    const v4 xr = __builtin_shufflevector(x0, x1, 0, 2, 4, 6);
    const v4 xi = __builtin_shufflevector(x0, x1, 1, 3, 5, 7);
    const v4 yr = __builtin_shufflevector(y1, y0, 2, 0, 6, 4);
    const v4 yi = -__builtin_shufflevector(y1, y0, 3, 1, 7, 5);
    const v4 er = xr + yr, ei = xi + yi, dr = xr - yr, di = xi - yi;
    const v4 t0 = *(const v4u *)(tw + 2 * k), t1 = *(const v4u *)(tw + 2 * k + 4);
    const v4 c = __builtin_shufflevector(t0, t1, 0, 2, 4, 6);
    const v4 sn = __builtin_shufflevector(t0, t1, 1, 3, 5, 7);
    const v4 orr = dr * c - di * sn, oi = dr * sn + di * c;
    *(v4u *)(ai + k) = er - oi;
    *(v4u *)(ar + k) = ei + orr;
  }
  for (int i = 0; i < h; i = i == 0 ? k : i + 1) { /* 0, then what the vector loop left */
    const float xr = spectrum[2 * i], xi = i == 0 ? 0 : spectrum[2 * i + 1];
    const float yr = spectrum[2 * (h - i)], yi = i == 0 ? 0 : -spectrum[2 * (h - i) + 1];
    const float er = xr + yr, ei = xi + yi, dr = xr - yr, di = xi - yi;
    const float c = tw[2 * i], sn = tw[2 * i + 1];
    const float orr = dr * c - di * sn, oi = dr * sn + di * c;
    ai[i] = er - oi; /* 2·Re Z_k */
    ar[i] = ei + orr; /* 2·Im Z_k */
  }
}

/* rfft: reads input[0 … n−1], writes spectrum[0 … 2·bins−1] interleaved, im X_0 = im X_{n/2} = 0. */
__attribute__((export_name("fx_rfft"))) void fx_rfft(const Plan *plan, const float *input,
                                                     float *spectrum) {
  const int h = plan->h;
  float *ar = plan->work, *ai = ar + h, *br = ai + h, *bi = br + h;
  if (odd_real_ready(plan)) {
    const int where = odd_real_stages(plan, input, ar, ai, br, bi);
    odd_real_bins(plan, where ? br : ar, where ? bi : ai, spectrum);
    spectrum[1] = 0;
    return;
  }
  if (plan->n & 1) {
    for (int i = 0; i < h; i++) {
      ar[i] = input[i];
      ai[i] = 0;
    }
    const int where = complex_forward(plan, ar, ai, br, bi);
    const float *zr = where ? br : ar, *zi = where ? bi : ai;
    const int bins = h / 2 + 1;
    for (int k = 0; k < bins; k++) {
      spectrum[2 * k] = zr[k];
      spectrum[2 * k + 1] = zi[k];
    }
    spectrum[1] = 0;
    return;
  }
  int i = 0;
  for (; i + 4 <= h; i += 4) {
    const v4 lo = *(const v4u *)(input + 2 * i), hi = *(const v4u *)(input + 2 * i + 4);
    *(v4 *)(ar + i) = __builtin_shufflevector(lo, hi, 0, 2, 4, 6);
    *(v4 *)(ai + i) = __builtin_shufflevector(lo, hi, 1, 3, 5, 7);
  }
  for (; i < h; i++) {
    ar[i] = input[2 * i];
    ai[i] = input[2 * i + 1];
  }
  const int where = complex_forward(plan, ar, ai, br, bi);
  const float *zr = where ? br : ar, *zi = where ? bi : ai;
  untangle(zr, zi, plan->realtw, h, spectrum);
}

/* n·irfft: reads spectrum[0 … 2·bins−1] (im X_0, im X_{n/2} ignored), writes output[0 … n−1]. */
__attribute__((export_name("fx_irfft"))) void fx_irfft(const Plan *plan, const float *spectrum,
                                                       float *output) {
  const int h = plan->h;
  float *ar = plan->work, *ai = ar + h, *br = ai + h, *bi = br + h;
  if (odd_real_ready(plan)) {
    /* Hartley's identity: with u_k = re X_k − im X_k over the Hermitian completion (a real
     * sequence) and U its DFT, Σ_k X_k e^{+2πikj/n} = re U_j − im U_j, and U_{n−j} = conj U_j. */
    float *u = bi + h;
    const int bins = h / 2 + 1;
    hartley_fold(spectrum, h, bins, u);
    const int where = odd_real_stages(plan, u, ar, ai, br, bi);
    odd_real_bins(plan, where ? br : ar, where ? bi : ai, u); /* U_j at u[2j], u[2j+1] */
    hartley_fold(u, h, bins, output);
    return;
  }
  /* The inverse as swap ∘ DFT ∘ swap, swap(a + ib) = b + ia: the real parts go in as ai. */
  if (plan->n & 1) {
    const int bins = h / 2 + 1;
    ai[0] = spectrum[0];
    ar[0] = 0;
    for (int k = 1; k < bins; k++) {
      ai[k] = spectrum[2 * k];
      ar[k] = spectrum[2 * k + 1];
      ai[h - k] = spectrum[2 * k];
      ar[h - k] = -spectrum[2 * k + 1];
    }
    const int where = complex_forward(plan, ar, ai, br, bi);
    const float *re = where ? bi : ai;
    for (int i = 0; i < h; i++) output[i] = re[i];
    return;
  }
  tangle(spectrum, plan->realtw, h, ar, ai);
  const int where = complex_forward(plan, ar, ai, br, bi);
  const float *zi = where ? br : ar, *zr = where ? bi : ai;
  interleave(zr, zi, h, output);
}
#include "stft.inc.c"

/* x[i] = float(double(x[i])·s), four at a time: what fft.ts's x[i] * s into a Float32Array
 * makes, bit for bit (one rounding of the double product), without the JavaScript loop. */
__attribute__((export_name("fx_scale"))) void fx_scale(float *x, int n, double s) {
  const v2d f = SPLAT_V2(s);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v4 a = *(const v4u *)(x + i);
    *(v4u *)(x + i) = st_demote(st_low(a) * f, st_high(a) * f);
  }
  for (; i < n; i++) x[i] = (float)((double)x[i] * s);
}

/* ---------------------------------------------------------------- primes: Rader */

/*
 * Real DFTs of a prime size p by Rader's algorithm (Rader 1968): with g a generator of the
 * multiplicative group mod p, a_q = x_{g^{−q}} and θ_j = 2π·g^j/p, for m < p − 1
 *   X_{g^m} = x_0 + Σ_{q<p−1} a_q·(cos θ_{m−q} − i·sin θ_{m−q}),
 * a cyclic convolution of length p − 1. g^{m+L} = −g^m (L = (p−1)/2), so the cos kernel has
 * period L and the sin kernel changes sign after L: one real convolution r = a ⊛ (cos − sin)
 * carries both, as
 *   re X_{g^m} = x_0 + (r_m + r_{m+L})/2,   im X_{g^m} = (r_m − r_{m+L})/2,   m < L,
 * and {g^m : m < L} meets each pair {k, p − k} once (X_{p−k} = conj X_k). The inverse is the same
 * convolution (rader_inverse). The convolution runs on complex data of length L, two FFTs of
 * the inner plan (rader_convolve), so a p-point real DFT costs two complex FFTs of (p − 1)/2
 * plus a gather, one pass between them and a scatter.
 * Size 2p (`twice`): X_k = E_k + e^{−2πik/2p}·O_k from the p-point DFTs of the even and odd
 * samples. (Rader within Rader, for p − 1 = 2·prime, measured 12–23×: Bluestein does better.)
 */
typedef struct Rader {
  int p;
  int L;
  int twice;           /* 1: the real size is 2p */
  const Plan *inner;   /* real size p − 1: its complex transform of length L */
  const int *gather;   /* t < L: g^{−t} mod p */
  const int *bin;      /* m < L: the bin k ≤ L of X_{g^m} or of its conjugate */
  const float *sign;   /* m < L: 1, or −1 where bin[m] holds the conjugate */
  const float *pair;   /* α re, α im, β re, β im, inner->h floats each: see rader_convolve */
  const int *power;    /* t < L: g^t mod p */
  const int *ibin;     /* t < L: the bin k ≤ L of X_{g^{−t}} or of its conjugate */
  const float *isign;  /* t < L: 1, or −1 where ibin[t] holds the conjugate */
  const float *tw2;    /* twice: (cos, sin)(2πk/2p), k ≤ p */
  float *u;            /* p floats */
  float *uspec;        /* 2(L + 1) floats */
  float *even;         /* twice: 2p floats (two sequences of p), then 4(L + 1) for two spectra */
} Rader;

/*
 * The real cyclic convolution r = a ⊛ (cos − sin)θ of length 2L, times the ½ folded into `pair`,
 * on complex data of length L with no real FFT's untangling or tangling: buf[0 … 2L) holds
 * z_j = a_{2j} + i·a_{2j+1} (re then im); Z = DFT_L(z); the spectrum of r packed the same way,
 * P_k = α_k·Z_k + β_k·conj Z_{L−k} (α, β: a real FFT's untangling, the kernel's product and the
 * inverse's tangling as one linear map, fft-wasm.ts), goes in swapped (swap(a + ib) = b + ia), so
 * that the same forward FFT makes the inverse: r_{2j} comes out at (*even)[j], r_{2j+1} at
 * (*odd)[j]. buf[0 … 4L) is scratch. Returns Σ_q a_q = re Z_0 + im Z_0.
 */
static float rader_convolve(const Rader *R, float *buf, const float **odd, const float **even) {
  const Plan *inner = R->inner;
  const int h = inner->h; /* L, or H ≥ p − 1 when zero-padded */
  float *ar = buf, *ai = ar + h, *br = ai + h, *bi = br + h;
  const int where = complex_forward(inner, ar, ai, br, bi);
  const float *zr = where ? br : ar, *zi = where ? bi : ai;
  float *tr = where ? ar : br, *ti = where ? ai : bi;
  const float *alr = R->pair, *ali = alr + h, *ber = ali + h, *bei = ber + h;
  const float sum = zr[0] + zi[0];
  { /* k = 0: Z_{L−0} is Z_0 */
    const float Zr = zr[0], Zi = zi[0];
    ti[0] = alr[0] * Zr - ali[0] * Zi + ber[0] * Zr + bei[0] * Zi;
    tr[0] = alr[0] * Zi + ali[0] * Zr + bei[0] * Zr - ber[0] * Zi;
  }
  int k = 1;
  for (; k + 4 <= h; k += 4) { /* k … k+3 and h−k−3 … h−k all in [1, h−1] */
    const v4 Zr = *(const v4u *)(zr + k), Zi = *(const v4u *)(zi + k);
    const v4 Mr = REVERSE(*(const v4u *)(zr + h - k - 3)), Mi = REVERSE(*(const v4u *)(zi + h - k - 3));
    const v4 a = *(const v4u *)(alr + k), b = *(const v4u *)(ali + k);
    const v4 c = *(const v4u *)(ber + k), d = *(const v4u *)(bei + k);
    /* P = (a + ib)·Z + (c + id)·conj M, stored swapped */
    *(v4u *)(ti + k) = a * Zr - b * Zi + c * Mr + d * Mi;
    *(v4u *)(tr + k) = a * Zi + b * Zr + d * Mr - c * Mi;
  }
  for (; k < h; k++) {
    const float Zr = zr[k], Zi = zi[k], Mr = zr[h - k], Mi = zi[h - k];
    ti[k] = alr[k] * Zr - ali[k] * Zi + ber[k] * Mr + bei[k] * Mi;
    tr[k] = alr[k] * Zi + ali[k] * Zr + bei[k] * Mr - ber[k] * Mi;
  }
  float *sr = where ? br : ar, *si = where ? bi : ai; /* Z's buffers: free now */
  const int again = complex_forward(inner, tr, ti, sr, si);
  *odd = again ? sr : tr; /* swapped back: re of the result is r_{2j} */
  *even = again ? si : ti;
  return sum;
}

/*
 * The statements after it once per t < L with lo, hi pointing at the slots of the convolution's
 * t and t + L in its packed layout (t at re[t/2] when t is even, im[(t−1)/2] when odd): as
 * g^{t+L} = −g^t, one index serves both (x_{p−i} beside x_i; X_k beside its conjugate).
 */
#define RADER_PAIRS(h, re, im, ...)                                                             \
  do {                                                                                          \
    const int hh_ = (h) >> 1;                                                                   \
    if (((h)&1) == 0) {                                                                         \
      for (int j_ = 0; j_ < hh_; j_++) {                                                        \
        {                                                                                       \
          const int t = 2 * j_;                                                                 \
          float *const lo = (re) + j_, *const hi = (re) + j_ + hh_;                             \
          __VA_ARGS__                                                                           \
        }                                                                                       \
        {                                                                                       \
          const int t = 2 * j_ + 1;                                                             \
          float *const lo = (im) + j_, *const hi = (im) + j_ + hh_;                             \
          __VA_ARGS__                                                                           \
        }                                                                                       \
      }                                                                                         \
    } else {                                                                                    \
      for (int j_ = 0; j_ <= hh_; j_++) {                                                       \
        const int t = 2 * j_;                                                                   \
        float *const lo = (re) + j_, *const hi = (im) + j_ + hh_;                               \
        __VA_ARGS__                                                                             \
      }                                                                                         \
      for (int j_ = 0; j_ < hh_; j_++) {                                                        \
        const int t = 2 * j_ + 1;                                                               \
        float *const lo = (im) + j_, *const hi = (re) + j_ + hh_ + 1;                           \
        __VA_ARGS__                                                                             \
      }                                                                                         \
    }                                                                                           \
  } while (0)

/* Zero-padded (inner->h = H > L): the packed sequence's slots L … H − 1 are 0. The kernel then
 * lies circularly in 2H ≥ 2p − 3 points (fft-wasm.ts), so the cyclic convolution of length 2H
 * holds the one of length p − 1 in its first p − 1 outputs. */
static void rader_pad(const Rader *R, float *ar, float *ai) {
  const int H = R->inner->h;
  for (int j = R->L; j < H; j++) ar[j] = ai[j] = 0;
}

/* out[0 … 2L+1] = the bins 0 … L of the DFT of real x[0 … p−1]. */
static void rader_forward(const Rader *R, const float *x, float *out) {
  const int h = R->L, p = R->p;
  float *ar = R->inner->work, *ai = ar + R->inner->h;
  const int *gather = R->gather;
  /* a_t = x_{g^{−t}}, a_{t+L} = x_{p − g^{−t}} */
  RADER_PAIRS(h, ar, ai, {
    const int i = gather[t];
    *lo = x[i];
    *hi = x[p - i];
  });
  rader_pad(R, ar, ai);
  float *odd, *even; /* r_{2j+1} at odd[j], r_{2j} at even[j] */
  const float x0 = x[0];
  out[0] = x0 + rader_convolve(R, ar, (const float **)&odd, (const float **)&even);
  out[1] = 0;
  const int *bin = R->bin;
  const float *sign = R->sign;
  /* m < L: re X_{g^m} = x0 + r_m + r_{m+L}, im = ±(r_m − r_{m+L}) (the ½ is in `pair`) */
  RADER_PAIRS(h, even, odd, {
    const float e0 = *lo, e1 = *hi;
    const int k = bin[t];
    out[2 * k] = x0 + e0 + e1;
    out[2 * k + 1] = sign[t] * (e0 - e1);
  });
}

/*
 * p·x from the bins 0 … L of its DFT by the same convolution (no Hartley folds): with
 * v_t = re + im of X_{g^{−t}} (t < p − 1; X_{p−k} = conj X_k), b = X_{g^{−t}} = A + iB has A of
 * period L and B changing sign after L, and Σ_t b_t e^{+iθ_{m−t}} = A ⊛ cos − B ⊛ sin =
 * (v ⊛ (cos − sin))_m (a periodic sequence convolved with an antiperiodic one sums to 0), so
 *   x_{g^m} = X_0 + (v ⊛ (cos − sin)θ)_m,   x_0 = X_0 + 2·Σ_{0<k≤L} re X_k = X_0 + Σ_t v_t,
 * where the im parts cancel in Σ_t v_t = re Z_0 + im Z_0. v is made twice over, undoing `pair`'s ½.
 */
static void rader_inverse(const Rader *R, const float *spectrum, float *output) {
  const int h = R->L, p = R->p;
  float *ar = R->inner->work, *ai = ar + R->inner->h;
  const int *ibin = R->ibin;
  const float *isign = R->isign;
  /* X_{g^{−(t+L)}} = conj X_{g^{−t}} */
  RADER_PAIRS(h, ar, ai, {
    const int k = ibin[t];
    const float re = 2.0f * spectrum[2 * k], im = 2.0f * isign[t] * spectrum[2 * k + 1];
    *lo = re + im;
    *hi = re - im;
  });
  rader_pad(R, ar, ai);
  float *odd, *even;
  const float X0 = spectrum[0];
  output[0] = X0 + 0.5f * rader_convolve(R, ar, (const float **)&odd, (const float **)&even);
  const int *power = R->power;
  RADER_PAIRS(h, even, odd, {
    const int i = power[t];
    output[i] = X0 + *lo;
    output[p - i] = X0 + *hi;
  });
}

/*
 * A Stockham stage of a prime radix P (stockham.inc.c's y[j + s(Pq + k)] = w^{qk}·Σ_r x[j +
 * s(q + rm)]·ω_P^{rk}) on four lanes, each butterfly by Rader's algorithm on complex data: with
 * a_t = x_{g^{−t}} and b_j = ω_P^{g^j}, X_{g^m} = x_0 + (a ⊛ b)_m, a complex cyclic convolution
 * of length P − 1 by two four-lane FFTs of the inner plan (its spectrum B/(P − 1) precomputed,
 * the inverse as swap ∘ FFT ∘ swap), and X_0 = x_0 + A_0. About (P − 1)·log(P − 1) work per
 * butterfly against the pairing butterfly's (P − 1)²/2.
 */
typedef struct RaderStage {
  int p;
  const Plan *inner;   /* a four-lane plan (real size 8(P − 1)) whose stages_v4 run length P − 1 */
  const int *gather;   /* t < P − 1: g^{−t} mod P */
  const int *scatter;  /* m < P − 1: g^m mod P */
  const float *kernel; /* re, then im, of DFT_{P−1}(b)/(P − 1) */
  float *scratch;      /* 8P floats: rader_stage_first's outputs where m < 4 */
} RaderStage;

/* One butterfly, four at once: inputs x + istep·r (r < P), outputs y + ostep·k (k < P), floats
 * of four lanes or four consecutive j; each output twiddled by w^{k} (splat, w[2(k−1)], …), by a
 * [k] table of four (twt + 2(k−1)·tstride, re then im rows), or not (both null). */
static void rader_butterfly(const RaderStage *RS, const float *xr, const float *xi, int istep,
                            float *yr, float *yi, int ostep, const float *w, const float *twt,
                            int tstride) {
  const int n1 = RS->p - 1;
  const Plan *inner = RS->inner;
  v4 *ar = (v4 *)inner->work, *ai = ar + n1, *br = ai + n1, *bi = br + n1;
  const int *gather = RS->gather, *scatter = RS->scatter;
  const float *kr = RS->kernel, *ki = kr + n1;
  for (int t = 0; t < n1; t++) {
    ar[t] = *(const v4u *)(xr + istep * gather[t]);
    ai[t] = *(const v4u *)(xi + istep * gather[t]);
  }
  const int where = stages_v4(inner, ar, ai, br, bi);
  v4 *zr = where ? br : ar, *zi = where ? bi : ai;
  v4 *tr = where ? ar : br, *ti = where ? ai : bi;
  const v4 x0 = *(const v4u *)xr, y0 = *(const v4u *)xi;
  *(v4u *)yr = x0 + zr[0];
  *(v4u *)yi = y0 + zi[0];
  for (int k = 0; k < n1; k++) { /* Z·K, swapped */
    const v4 a = zr[k], b = zi[k], c = SPLAT_V4(kr[k]), e = SPLAT_V4(ki[k]);
    ti[k] = a * c - b * e;
    tr[k] = a * e + b * c;
  }
  const int again = stages_v4(inner, tr, ti, zr, zi);
  const v4 *cr = again ? zi : ti, *ci = again ? zr : tr; /* swapped back */
  for (int t = 0; t < n1; t++) {
    const int k = scatter[t];
    const v4 re = x0 + cr[t], im = y0 + ci[t];
    v4 wr, wi;
    if (w) {
      wr = SPLAT_V4(w[2 * (k - 1)]);
      wi = SPLAT_V4(w[2 * (k - 1) + 1]);
    } else if (twt) {
      wr = *(const v4u *)(twt + 2 * (k - 1) * tstride);
      wi = *(const v4u *)(twt + (2 * (k - 1) + 1) * tstride);
    } else {
      *(v4u *)(yr + ostep * k) = re;
      *(v4u *)(yi + ostep * k) = im;
      continue;
    }
    *(v4u *)(yr + ostep * k) = re * wr - im * wi;
    *(v4u *)(yi + ostep * k) = re * wi + im * wr;
  }
}

/* The stage (stockham.inc.c's m, s) over four-lane data (lanes = 4: v4 elements) or, for s ≥ 4,
 * one transform four j at a time. */
static void rader_stage(const Plan *plan, int m, int s, const float *tw, const float *xr,
                        const float *xi, float *yr, float *yi) {
  const RaderStage *RS = plan->rader_stage;
  const int p = RS->p;
  if (plan->lanes == 4) {
    for (int q = 0; q < m; q++) {
      const float *w = tw ? tw + 2 * (p - 1) * q : 0;
      for (int j = 0; j < s; j++)
        rader_butterfly(RS, xr + 4 * (j + s * q), xi + 4 * (j + s * q), 4 * s * m,
                        yr + 4 * (j + s * p * q), yi + 4 * (j + s * p * q), 4 * s, w, 0, 0);
    }
    return;
  }
  for (int q = 0; q < m; q++) {
    const float *w = tw ? tw + 2 * (p - 1) * q : 0;
    JFOR4(j, s) {
      rader_butterfly(RS, xr + j + s * q, xi + j + s * q, s * m, yr + j + s * p * q,
                      yi + j + s * p * q, s, w, 0, 0);
    }
  }
}

/* stages_single's first stage (m ≥ 4) by Rader: four q at once, into [k][q] order with the
 * twiddles w^{qk} of the [k][q] table twt. */
static void rader_stage_first(const Plan *plan, int m, const float *twt, const float *xr,
                              const float *xi, float *yr, float *yi) {
  const RaderStage *RS = plan->rader_stage;
  if (m >= 4) {
    JFOR4(q, m) { rader_butterfly(RS, xr + q, xi + q, m, yr + q, yi + q, m, 0, twt + q, m); }
    return;
  }
  /* m = 2, 3: four lanes of which m are wanted (the others read what lies beyond, finite data of
   * the work buffers and the padded table, and are dropped), through the scratch outputs. */
  const int p = RS->p;
  float *sr = RS->scratch, *si = sr + 4 * p;
  rader_butterfly(RS, xr, xi, m, sr, si, 4, 0, twt, m);
  for (int k = 0; k < p; k++)
    for (int q = 0; q < m; q++) {
      yr[k * m + q] = sr[4 * k + q];
      yi[k * m + q] = si[4 * k + q];
    }
}

/* odd_real_first's rows for a first radix P too large for a butterfly: per q < M, the real
 * P-point DFT of x[q + r·M] (r < P) by Rader, its bins k ≤ (P−1)/2 twiddled by w^{qk}. */
static void odd_real_first_rader(const Plan *plan, const float *x, float *yr, float *yi) {
  const Rader *R = plan->first_rader;
  const int p = R->p, hp = R->L, M = plan->len / p;
  const float *tw = plan->stage[0].twt;
  float *column = R->u, *X = R->uspec;
  for (int q = 0; q < M; q++) {
    for (int r = 0; r < p; r++) column[r] = x[q + r * M];
    rader_forward(R, column, X);
    yr[q] = X[0];
    yi[q] = 0;
    for (int k = 1; k <= hp; k++) {
      const float xr = X[2 * k], xi = X[2 * k + 1];
      const float wr = tw[2 * (k - 1) * M + q], wi = tw[(2 * (k - 1) + 1) * M + q];
      yr[k * M + q] = xr * wr - xi * wi;
      yi[k * M + q] = xr * wi + xi * wr;
    }
  }
}

/* As fx_rfft, for size p or 2p. */
__attribute__((export_name("fx_rader_rfft"))) void fx_rader_rfft(const Rader *R, const float *input,
                                                                 float *spectrum) {
  if (!R->twice) {
    rader_forward(R, input, spectrum);
    return;
  }
  const int p = R->p, L = R->L;
  float *e = R->even, *o = e + p, *E = o + p, *O = E + 2 * (L + 1);
  for (int i = 0; i < p; i++) {
    e[i] = input[2 * i];
    o[i] = input[2 * i + 1];
  }
  rader_forward(R, e, E);
  rader_forward(R, o, O);
  const float *tw = R->tw2;
  for (int k = 0; k <= p; k++) { /* X_k = E_k + e^{−2πik/2p}·O_k, E_k = conj E_{p−k} past L */
    const int f = k <= L ? k : p - k;
    const float s = k <= L ? 1.0f : -1.0f;
    const float er = E[2 * f], ei = s * E[2 * f + 1], or = O[2 * f], oi = s * O[2 * f + 1];
    const float c = tw[2 * k], sn = tw[2 * k + 1];
    spectrum[2 * k] = er + c * or + sn * oi;
    spectrum[2 * k + 1] = ei + c * oi - sn * or;
  }
  spectrum[1] = 0;
  spectrum[2 * p + 1] = 0;
}

/* As fx_irfft (unscaled: the real size times the inverse), for size p or 2p. */
__attribute__((export_name("fx_rader_irfft"))) void fx_rader_irfft(const Rader *R, const float *spectrum,
                                                                   float *output) {
  if (!R->twice) {
    rader_inverse(R, spectrum, output);
    return;
  }
  const int p = R->p, L = R->L;
  float *e = R->even, *o = e + p, *E = o + p, *O = E + 2 * (L + 1);
  const float *tw = R->tw2;
  /* With X_{k+p} = conj X_{p−k}: 2E_k = X_k + X_{k+p}, 2O_k = (X_k − X_{k+p})·e^{+2πik/2p} */
  for (int k = 0; k <= L; k++) {
    const float xr = spectrum[2 * k], xi = k == 0 ? 0 : spectrum[2 * k + 1];
    const float yr = spectrum[2 * (p - k)], yi = k == 0 ? 0 : -spectrum[2 * (p - k) + 1];
    const float dr = xr - yr, di = xi - yi, c = tw[2 * k], sn = tw[2 * k + 1];
    E[2 * k] = xr + yr;
    E[2 * k + 1] = xi + yi;
    O[2 * k] = dr * c - di * sn;
    O[2 * k + 1] = dr * sn + di * c;
  }
  rader_inverse(R, E, e);
  rader_inverse(R, O, o);
  for (int i = 0; i < p; i++) {
    output[2 * i] = e[i];
    output[2 * i + 1] = o[i];
  }
}

/* ---------------------------------------------------------------- any size: Bluestein */

/*
 * Real DFTs of any size n by Bluestein's chirp z-transform (Bluestein 1970) over this module's
 * complex FFT of a fast length M: for a DFT of `len` points with c_j = e^{−iπj²/len},
 * Y_k = c_k·Σ_j (y_j c_j)·conj(c_{k−j}), a linear convolution; only `outs` outputs are wanted, so
 * M ≥ len + outs − 1 suffices. Odd n: len = n real points, outs = ⌊n/2⌋ + 1 bins (M ≈ 1.5n, not
 * 2n); its inverse is the forward transform again by Hartley's identity, as in fx_irfft. Even n
 * = 2h (`half`): the h-point complex DFT of x_{2j} + i·x_{2j+1} (M ≈ n), untangled as fx_rfft
 * does. The kernel's spectrum (fft-wasm.ts, float64, 1/M folded in) is precomputed; the inverse
 * FFT of the convolution is swap ∘ FFT ∘ swap (swap(a + ib) = b + ia).
 */
typedef struct {
  int n;
  int bins;
  int M;
  const Plan *fft;      /* a real plan of size 2M: its complex transform of length M */
  const float *chirp;   /* re c_j for j < len, then im (chirp_len = len) */
  const float *kernel;  /* re of the kernel's spectrum over M, then im */
  float *work;          /* four buffers of M floats */
  float *u;             /* n floats */
  float *uspec;         /* 2·bins floats */
  int half;             /* 1: even n through the complex DFT of h = n/2 points */
  const float *realtw;  /* half: (cos, sin)(2πk/n), k ≤ h */
  int chirp_len;
} Bluestein;

/* The DFT of (xr + i·xi)[0 … len−1] (xi null: zero), outputs k < outs at outr[step·k], outi[step·k]. */
static void bluestein_dft(const Bluestein *B, const float *xr, const float *xi, int len, int outs,
                          float *outr, float *outi, int step) {
  const int M = B->M;
  float *ar = B->work, *ai = ar + M, *br = ai + M, *bi = br + M;
  const float *cr = B->chirp, *ci = cr + B->chirp_len;
  if (xi) {
    for (int j = 0; j < len; j++) {
      ar[j] = xr[j] * cr[j] - xi[j] * ci[j];
      ai[j] = xr[j] * ci[j] + xi[j] * cr[j];
    }
  } else {
    for (int j = 0; j < len; j++) {
      ar[j] = xr[j] * cr[j];
      ai[j] = xr[j] * ci[j];
    }
  }
  for (int j = len; j < M; j++) ar[j] = ai[j] = 0;
  const int where = complex_forward(B->fft, ar, ai, br, bi);
  float *zr = where ? br : ar, *zi = where ? bi : ai;
  float *sr = where ? ar : br, *si = where ? ai : bi;
  const float *kr = B->kernel, *ki = kr + M;
  for (int k = 0; k + 4 <= M; k += 4) { /* M is a multiple of 4 */
    const v4 a = *(const v4u *)(zr + k), b = *(const v4u *)(zi + k);
    const v4 p = *(const v4u *)(kr + k), q = *(const v4u *)(ki + k);
    /* swapped for the inverse: (re, im) = (im, re) of the product */
    *(v4u *)(zi + k) = a * p - b * q;
    *(v4u *)(zr + k) = a * q + b * p;
  }
  const int again = complex_forward(B->fft, zr, zi, sr, si);
  const float *yi = again ? sr : zr, *yr = again ? si : zi; /* swapped back */
  int k = 0;
  if (step == 2) { /* interleaved (outi = outr + 1): four at a time */
    for (; k + 4 <= outs; k += 4) {
      const v4 pr = *(const v4u *)(yr + k), pi = *(const v4u *)(yi + k);
      const v4 a = *(const v4u *)(cr + k), b = *(const v4u *)(ci + k);
      const v4 re = pr * a - pi * b, im = pr * b + pi * a;
      *(v4u *)(outr + 2 * k) = __builtin_shufflevector(re, im, 0, 4, 1, 5);
      *(v4u *)(outr + 2 * k + 4) = __builtin_shufflevector(re, im, 2, 6, 3, 7);
    }
  }
  for (; k < outs; k++) {
    const float pr = yr[k], pi = yi[k];
    outr[step * k] = pr * cr[k] - pi * ci[k];
    outi[step * k] = pr * ci[k] + pi * cr[k];
  }
}

__attribute__((export_name("fx_bluestein_rfft"))) void fx_bluestein_rfft(const Bluestein *B,
                                                                         const float *input,
                                                                         float *spectrum) {
  const int n = B->n;
  if (B->half) {
    const int h = n / 2;
    float *zr = B->u, *zi = zr + h, *Zr = B->uspec, *Zi = Zr + h;
    for (int j = 0; j < h; j++) {
      zr[j] = input[2 * j];
      zi[j] = input[2 * j + 1];
    }
    bluestein_dft(B, zr, zi, h, h, Zr, Zi, 1);
    untangle(Zr, Zi, B->realtw, h, spectrum);
    return;
  }
  bluestein_dft(B, input, 0, n, B->bins, spectrum, spectrum + 1, 2);
  spectrum[1] = 0;
}

/* n·irfft (im X_0, im X_{n/2} ignored). */
__attribute__((export_name("fx_bluestein_irfft"))) void fx_bluestein_irfft(const Bluestein *B,
                                                                           const float *spectrum,
                                                                           float *output) {
  const int n = B->n;
  if (B->half) {
    const int h = n / 2;
    float *ar = B->u, *ai = ar + h, *Wr = B->uspec, *Wi = Wr + h;
    tangle(spectrum, B->realtw, h, ar, ai);
    bluestein_dft(B, ar, ai, h, h, Wr, Wi, 1);
    interleave(Wi, Wr, h, output); /* swapped back */
    return;
  }
  float *u = B->u, *U = B->uspec;
  hartley_fold(spectrum, n, B->bins, u);
  bluestein_dft(B, u, 0, n, B->bins, U, U + 1, 2);
  hartley_fold(U, n, B->bins, output);
}

