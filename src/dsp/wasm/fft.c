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
 * does). Other lengths run the same stages on scalars.
 *
 * The plan (twiddles, buffers, factors) is laid out by fft-wasm.ts in this module's memory;
 * JavaScript computes the twiddles in float64 (Math.cos/sin) and rounds them once.
 */
#define MAX_STAGES 32
#define MAX_RADIX 31
#define MAX_HALF ((MAX_RADIX - 1) / 2)

typedef float v4 __attribute__((vector_size(16), aligned(16)));

typedef struct {
  int radix;
  const float *tw;
  const float *rc;
} Stage;

typedef struct {
  int n;                /* real size */
  int h;                /* complex length: n/2 for even n, n for odd */
  int lanes;            /* 4: four lanes of len = h/4; 1: scalar over len = h */
  int len;
  int nstages;
  const float *realtw;  /* (cos, sin)(2πk/n), k = 0 … h, even n */
  const float *lanetw;  /* lanes: per k < len, re of w_h^{lk} for l = 0 … 3, then im */
  float *work;          /* four buffers of h floats, 16-byte aligned */
  Stage stage[MAX_STAGES];
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

#define T float
#define SPLAT(x) (x)
#define SUF(name) name##_scalar
#include "stockham.inc.c"
#undef T
#undef SPLAT
#undef SUF

#define T v4
#define SPLAT(x) ((v4){(x), (x), (x), (x)})
#define SUF(name) name##_v4
#include "stockham.inc.c"
#undef T
#undef SPLAT
#undef SUF

#define SPLAT_V4(x) ((v4){(x), (x), (x), (x)})
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
    typedef float v4u __attribute__((vector_size(16), aligned(4)));
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
  if (plan->lanes == 1) return stages_scalar(plan, ar, ai, br, bi);
  const int where = stages_v4(plan, (v4 *)ar, (v4 *)ai, (v4 *)br, (v4 *)bi);
  if (where == 0) {
    join_lanes(plan, (const v4 *)ar, (const v4 *)ai, br, bi);
    return 1;
  }
  join_lanes(plan, (const v4 *)br, (const v4 *)bi, ar, ai);
  return 0;
}

/* ---------------------------------------------------------------- real transforms */

/* rfft: reads input[0 … n−1], writes spectrum[0 … 2·bins−1] interleaved, im X_0 = im X_{n/2} = 0. */
__attribute__((export_name("fx_rfft"))) void fx_rfft(const Plan *plan, const float *input,
                                                     float *spectrum) {
  const int h = plan->h;
  float *ar = plan->work, *ai = ar + h, *br = ai + h, *bi = br + h;
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
    typedef float v4u __attribute__((vector_size(16), aligned(4)));
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
  const float *tw = plan->realtw;
  /* X_k = E_k + e^{−2πik/n}·O_k, E_k = (Z_k + conj Z_{h−k})/2, O_k = (Z_k − conj Z_{h−k})/(2i) */
  for (int k = 0; k <= h; k++) {
    const int z = k == h ? 0 : k;
    const int j = (k == 0 || k == h) ? 0 : h - k;
    const float zr0 = zr[z], zi0 = zi[z], yr = zr[j], yi = -zi[j];
    const float er = 0.5f * (zr0 + yr), ei = 0.5f * (zi0 + yi);
    const float orr = 0.5f * (zi0 - yi), oi = -0.5f * (zr0 - yr);
    const float c = tw[2 * k], s = -tw[2 * k + 1];
    spectrum[2 * k] = er + c * orr - s * oi;
    spectrum[2 * k + 1] = ei + c * oi + s * orr;
  }
  spectrum[1] = 0;
  spectrum[2 * h + 1] = 0;
}

/* n·irfft: reads spectrum[0 … 2·bins−1] (im X_0, im X_{n/2} ignored), writes output[0 … n−1]. */
__attribute__((export_name("fx_irfft"))) void fx_irfft(const Plan *plan, const float *spectrum,
                                                       float *output) {
  const int h = plan->h;
  float *ar = plan->work, *ai = ar + h, *br = ai + h, *bi = br + h;
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
  const float *tw = plan->realtw;
  for (int k = 0; k < h; k++) {
    const float xr = spectrum[2 * k], xi = k == 0 ? 0 : spectrum[2 * k + 1];
    const float yr = spectrum[2 * (h - k)], yi = k == 0 ? 0 : -spectrum[2 * (h - k) + 1];
    const float er = xr + yr, ei = xi + yi, dr = xr - yr, di = xi - yi;
    const float c = tw[2 * k], s = tw[2 * k + 1];
    const float orr = dr * c - di * s, oi = dr * s + di * c;
    ai[k] = er - oi; /* 2·Re Z_k */
    ar[k] = ei + orr; /* 2·Im Z_k */
  }
  const int where = complex_forward(plan, ar, ai, br, bi);
  const float *zi = where ? br : ar, *zr = where ? bi : ai;
  int i = 0;
  for (; i + 4 <= h; i += 4) {
    typedef float v4u __attribute__((vector_size(16), aligned(4)));
    const v4 re = *(const v4u *)(zr + i), im = *(const v4u *)(zi + i);
    *(v4u *)(output + 2 * i) = __builtin_shufflevector(re, im, 0, 4, 1, 5);
    *(v4u *)(output + 2 * i + 4) = __builtin_shufflevector(re, im, 2, 6, 3, 7);
  }
  for (; i < h; i++) {
    output[2 * i] = zr[i];
    output[2 * i + 1] = zi[i];
  }
}
