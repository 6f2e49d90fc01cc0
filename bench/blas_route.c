/* The LAPACK floor of rmspec's workloads under a given BLAS/LAPACK route (issue 11, item 7).
 *
 * Times, on one thread, exactly the calls rmspec makes per trial and nothing else:
 *   gram   m n trials : dsyrk (lower, S = W Wᵀ/n) + dsyev (JOBZ = 'N') on an m×n Gaussian W (W1, W2)
 *   tri    k reps     : dsterf on a k×k Laguerre tridiagonal T = B Bᵀ (W5's solver)
 * The matrix is drawn once (not timed) from a fixed xorshift stream, so every route sees the same
 * input. Prints one line: workload, best and median time per call in ms, and a checksum (the
 * largest eigenvalue of the last call) that must agree between routes to rounding.
 *
 * The route is chosen at link and load time by bench/blas-route (OpenBLAS with its own LAPACK;
 * Debian's reference LAPACK over OpenBLAS's BLAS; reference LAPACK over BLIS). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k, const double *alpha,
            const double *a, const int *lda, const double *beta, double *c, const int *ldc);
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
            double *work, const int *lwork, int *info);
void dsterf_(const int *n, double *d, double *e, int *info);

static uint64_t state = 0x9E3779B97F4A7C15ull;
static double uniform(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return ((state >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}
static double normal(void) { return sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform()); }
/* chi with df degrees of freedom: sqrt of a sum of df squared normals for small df, the
 * Wilson–Hilferty cube-root approximation above (timing input only; the law is not tested here). */
static double chi(double df) {
    if (df < 50) {
        double s = 0;
        for (int i = 0; i < (int)df; i++) {
            double z = normal();
            s += z * z;
        }
        return sqrt(s);
    }
    double h = 2.0 / (9.0 * df), c = 1.0 - h + sqrt(h) * normal();
    return sqrt(df * c * c * c);
}
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[1], "gram") && strcmp(argv[1], "tri"))) {
        fprintf(stderr, "usage: blas_route gram M N TRIALS | tri K REPS 0\n");
        return 2;
    }
    int reps, info = 0;
    double *times, check = 0;
    if (!strcmp(argv[1], "gram")) {
        int m = atoi(argv[2]), n = atoi(argv[3]);
        reps = atoi(argv[4]);
        double *w = malloc(sizeof(double) * m * n), *s = malloc(sizeof(double) * m * m),
               *ev = malloc(sizeof(double) * m);
        for (long i = 0; i < (long)m * n; i++) w[i] = normal() * sqrt(2.0 / m);
        int lwork = -1;
        double query;
        dsyev_("N", "L", &m, s, &m, ev, &query, &lwork, &info);
        lwork = (int)query;
        double *work = malloc(sizeof(double) * lwork), alpha = 1.0 / n, beta = 0.0;
        times = malloc(sizeof(double) * reps);
        for (int r = 0; r < reps; r++) {
            double t0 = now();
            dsyrk_("L", "N", &m, &n, &alpha, w, &m, &beta, s, &m);
            dsyev_("N", "L", &m, s, &m, ev, work, &lwork, &info);
            times[r] = now() - t0;
            if (info) return 1;
            check = ev[m - 1];
        }
    } else {
        int k = atoi(argv[2]);
        reps = atoi(argv[3]);
        double *d0 = malloc(sizeof(double) * k), *e0 = malloc(sizeof(double) * k),
               *d = malloc(sizeof(double) * k), *e = malloc(sizeof(double) * k);
        /* B lower bidiagonal with diagonal chi_{n-i} (n = 2k) and subdiagonal chi_{k-1-i};
         * T = B Bᵀ / n: d_i = a_i² + b_{i-1}², e_i = a_i b_i. */
        double prev_b = 0;
        for (int i = 0; i < k; i++) {
            double a = chi(2.0 * k - i), b = i + 1 < k ? chi(k - 1.0 - i) : 0;
            d0[i] = (a * a + prev_b * prev_b) / (2.0 * k);
            e0[i] = a * b / (2.0 * k);
            prev_b = b;
        }
        times = malloc(sizeof(double) * reps);
        for (int r = 0; r < reps; r++) {
            memcpy(d, d0, sizeof(double) * k);
            memcpy(e, e0, sizeof(double) * k);
            double t0 = now();
            dsterf_(&k, d, e, &info);
            times[r] = now() - t0;
            if (info) return 1;
            check = d[k - 1];
        }
    }
    double best = times[0];
    for (int r = 1; r < reps; r++) best = times[r] < best ? times[r] : best;
    qsort(times, reps, sizeof(double), cmp);
    printf("%s %s %s: best %.4f ms, median %.4f ms per call, %d calls, check %.15g\n", argv[1], argv[2],
           argv[3], 1e3 * best, 1e3 * times[reps / 2], reps, check);
    return 0;
}
