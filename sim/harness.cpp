// rf8 verification harness: drives LANES copies of one multiplier (the
// generated wrapper module rf8_lanes) and streams results to stdout
// (through a private copy of the descriptor: the design's own output,
// such as a $display, goes to stderr).
//
// Built by `rf8 verify` with:
//   verilator --cc --exe --build ... -CFLAGS "-DWIDTH=.. -DOUT_WIDTH=.. -DLANES=.. -DVL_USER_FATAL"
//
// WIDTH is the operand width (at most 16), OUT_WIDTH the result width (at
// most 32). Results are written as u16, or as u32 when OUT_WIDTH > 16.
//
// Modes (all numbers little-endian):
//   harness pairs D R C    stdin: blocks of [u32 n][n x (u16 a, u16 b)],
//                          stdout: per block n x y (u16 or u32). Ends at EOF.
//   harness sweep D R C A0 A1 [S]
//                          every pair (a, b) with A0 <= a < A1 and all b of
//                          the format, row by row; stdout: y per pair.
//                          With S (a sign mask), each row a is followed by
//                          the row a | S.
//
// D is the latency: inputs go in on consecutive clock cycles and each
// result is read D rising edges later. R is the number of clock cycles
// the reset input `rst` is held high before the first pair (0: none).
// C is 1 when the design has a clock (the clock only toggles then).
//
// A design that does not settle (a combinational loop that oscillates)
// makes Verilator give up inside eval(); the harness's vl_fatal then
// names the pairs being evaluated and exits with status 6.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>

#include "Vrf8_lanes.h"
#include "verilated.h"

#ifndef WIDTH
#error "WIDTH must be defined"
#endif
#ifndef LANES
#error "LANES must be defined"
#endif
#ifndef OUT_WIDTH
#define OUT_WIDTH WIDTH
#endif

static const uint32_t MASK = (1u << WIDTH) - 1;
static const uint32_t OUT_MASK = OUT_WIDTH >= 32 ? 0xFFFFFFFFu : (1u << OUT_WIDTH) - 1;
// A result as written to stdout.
#if OUT_WIDTH > 16
typedef uint32_t out_t;
#else
typedef uint16_t out_t;
#endif
static const int IN_WORDS = (LANES * WIDTH + 31) / 32;       // words per input port
static const int OUT_WORDS = (LANES * OUT_WIDTH + 31) / 32;  // words of the output port
// Equal widths that divide 32 and whole words of lanes: lanes never
// straddle a word, and the sweep's fast path applies.
static const bool ALIGNED = WIDTH == OUT_WIDTH && 32 % WIDTH == 0 && LANES % (32 / WIDTH) == 0;
static const int PER_WORD = ALIGNED ? 32 / WIDTH : 1;  // lanes per word (aligned case)
static const int WORDS = LANES / PER_WORD;

// Lane i of a packed port occupies bits [i*w, (i+1)*w).
static void pack(uint32_t* words, int nwords, const uint16_t* v, int n, int w, uint32_t mask) {
    memset(words, 0, 4 * (size_t)nwords);
    for (int i = 0; i < n; ++i) {
        uint32_t bit = (uint32_t)(i * w), word = bit / 32, off = bit % 32;
        uint64_t x = (uint64_t)(v[i] & mask) << off;
        words[word] |= (uint32_t)x;
        if (off + w > 32) words[word + 1] |= (uint32_t)(x >> 32);
    }
}
static void unpack(const uint32_t* words, int nwords, out_t* v, int n, int w, uint32_t mask) {
    for (int i = 0; i < n; ++i) {
        uint32_t bit = (uint32_t)(i * w), word = bit / 32, off = bit % 32;
        uint64_t x = words[word];
        if ((int)word + 1 < nwords) x |= (uint64_t)words[word + 1] << 32;
        v[i] = (out_t)((x >> off) & mask);
    }
}

// Ports of more than 64 bits are VlWide arrays of 32-bit words; narrower
// ones are plain integers. One accessor covers both.
template <typename T> static inline uint32_t get_word(const T& port, int w) {
    if constexpr (sizeof(T) <= 8) {
        return (uint32_t)(((uint64_t)port) >> (32 * w));
    } else {
        return port[w];
    }
}
template <typename T> static inline void set_word(T& port, int w, uint32_t v) {
    if constexpr (sizeof(T) <= 8) {
        uint64_t p = (uint64_t)port;
        p &= ~((uint64_t)0xFFFFFFFFu << (32 * w));
        p |= (uint64_t)v << (32 * w);
        port = (T)p;
    } else {
        port[w] = v;
    }
}

// What is being evaluated, for vl_fatal: the index of the first pair of
// the current group in the pairs stream, or the row and first b of a sweep.
static uint64_t g_first = 0;
static uint32_t g_row = 0;
static bool g_sweeping = false;

struct Harness {
    VerilatedContext ctx;
    Vrf8_lanes* top;
    size_t depth;
    bool clocked;
    Harness(size_t depth, size_t reset, bool clocked) : depth(depth), clocked(clocked) {
        top = new Vrf8_lanes{&ctx};
        top->clk = 0;
        top->rst = reset > 0;
        top->eval();
        for (size_t i = 0; i < reset; ++i) {
            top->clk = 1;
            top->eval();
            top->clk = 0;
            top->eval();
        }
        top->rst = 0;
        top->eval();
    }
    ~Harness() { top->final(); delete top; }
    void tick() {
        if (clocked) {
            top->clk = 1;
            top->eval();
        }
    }

    void load(const uint16_t* a, const uint16_t* b, int n) {
        if (!ALIGNED) {
            uint32_t wa[IN_WORDS + 1], wb[IN_WORDS + 1];
            pack(wa, IN_WORDS + 1, a, n, WIDTH, MASK);
            pack(wb, IN_WORDS + 1, b, n, WIDTH, MASK);
            for (int w = 0; w < IN_WORDS; ++w) {
                set_word(top->a, w, wa[w]);
                set_word(top->b, w, wb[w]);
            }
            return;
        }
        for (int w = 0; w < WORDS; ++w) {
            uint32_t wa = 0, wb = 0;
            for (int k = 0; k < PER_WORD; ++k) {
                int i = w * PER_WORD + k;
                if (i < n) {
                    wa |= (uint32_t)(a[i] & MASK) << (k * WIDTH);
                    wb |= (uint32_t)(b[i] & MASK) << (k * WIDTH);
                }
            }
            set_word(top->a, w, wa);
            set_word(top->b, w, wb);
        }
    }
    void read(out_t* y, int n) {
        if (!ALIGNED) {
            uint32_t wy[OUT_WORDS];
            for (int w = 0; w < OUT_WORDS; ++w) wy[w] = get_word(top->y, w);
            unpack(wy, OUT_WORDS, y, n, OUT_WIDTH, OUT_MASK);
            return;
        }
        for (int w = 0; w < WORDS; ++w) {
            uint32_t wy = get_word(top->y, w);
            for (int k = 0; k < PER_WORD; ++k) {
                int i = w * PER_WORD + k;
                if (i < n) y[i] = (out_t)((wy >> (k * WIDTH)) & MASK);
            }
        }
    }
    // Evaluates n (<= LANES) pairs per group over `groups` groups.
    void run(const uint16_t* a, const uint16_t* b, out_t* y, size_t n, uint64_t first) {
        size_t groups = (n + LANES - 1) / LANES;
        for (size_t t = 0; t < groups + depth; ++t) {
            if (t < groups) {
                size_t off = t * LANES;
                g_first = first + off;
                load(a + off, b + off, (int)((n - off) < LANES ? (n - off) : LANES));
            }
            top->clk = 0;
            top->eval();
            if (t >= depth) {
                size_t g = t - depth;
                size_t off = g * LANES;
                read(y + off, (int)((n - off) < LANES ? (n - off) : LANES));
            }
            tick();
        }
    }
};

// Where the results go (see main).
static FILE* results;

static bool read_all(void* buf, size_t len) {
    return fread(buf, 1, len, stdin) == len;
}

static int mode_pairs(Harness& h) {
    std::vector<uint16_t> in, a, b;
    std::vector<out_t> y;
    uint64_t first = 0;
    uint32_t n;
    while (read_all(&n, 4)) {
        in.resize(2 * (size_t)n);
        a.resize(n);
        b.resize(n);
        y.resize(n);
        if (!read_all(in.data(), 4 * (size_t)n)) return 3;
        for (uint32_t i = 0; i < n; ++i) {
            a[i] = in[2 * i];
            b[i] = in[2 * i + 1];
        }
        h.run(a.data(), b.data(), y.data(), n, first);
        first += n;
        if (fwrite(y.data(), sizeof(out_t), n, results) != n) return 4;
        fflush(results);
    }
    return 0;
}

// One row at a time: `a` is the same in every lane and `b` counts up, so
// the input words are built directly instead of lane by lane.
static int sweep_row(Harness& h, uint32_t av, std::vector<out_t>& y);

static int mode_sweep(Harness& h, uint32_t a0, uint32_t a1, uint32_t sign) {
    std::vector<out_t> y(((size_t)1 << WIDTH) + h.depth * LANES);
    g_sweeping = true;
    for (uint32_t av = a0; av < a1; ++av) {
        if (sweep_row(h, av, y)) return 4;
        if (sign && sweep_row(h, av | sign, y)) return 4;
    }
    fflush(results);
    return 0;
}

static int sweep_row(Harness& h, uint32_t av, std::vector<out_t>& y) {
    const size_t n = (size_t)1 << WIDTH;  // one row: all b for one a
    if (!ALIGNED || n < LANES) {
        // Narrow or mixed widths: the general path, one group at a time.
        std::vector<uint16_t> a(n, (uint16_t)av), b(n);
        for (size_t i = 0; i < n; ++i) b[i] = (uint16_t)i;
        g_row = av;
        h.run(a.data(), b.data(), y.data(), n, 0);
        return fwrite(y.data(), sizeof(out_t), n, results) != n;
    }
    uint32_t aw = 0;
    for (int k = 0; k < PER_WORD; ++k) aw |= (av & MASK) << (k * WIDTH);
    for (int w = 0; w < WORDS; ++w) set_word(h.top->a, w, aw);
    const size_t groups = n / LANES;
    g_row = av;
    for (size_t t = 0; t < groups + h.depth; ++t) {
        if (t < groups) {
            uint32_t b0 = (uint32_t)(t * LANES);
            g_first = b0;
            for (int w = 0; w < WORDS; ++w) {
                uint32_t bw = 0;
                for (int k = 0; k < PER_WORD; ++k)
                    bw |= ((b0 + w * PER_WORD + k) & MASK) << (k * WIDTH);
                set_word(h.top->b, w, bw);
            }
        }
        h.top->clk = 0;
        h.top->eval();
        if (t >= h.depth) {
            out_t* out = y.data() + (t - h.depth) * LANES;
            for (int w = 0; w < WORDS; ++w) {
                uint32_t yw = get_word(h.top->y, w);
                for (int k = 0; k < PER_WORD; ++k)
                    out[w * PER_WORD + k] = (out_t)((yw >> (k * WIDTH)) & MASK);
            }
        }
        h.tick();
    }
    return fwrite(y.data(), sizeof(out_t), n, results) != n;
}

// Verilator's fatal errors (above all "did not converge": a combinational
// loop that oscillates) end up here: say which pairs were being evaluated.
void vl_fatal(const char* filename, int linenum, const char* hier, const char* msg) {
    (void)hier;
    if (g_sweeping)
        fprintf(stderr, "rf8-harness: did not settle: row 0x%x from b 0x%llx (%d pairs): %s:%d: %s\n",
                g_row, (unsigned long long)g_first, LANES, filename, linenum, msg);
    else
        fprintf(stderr, "rf8-harness: did not settle: pair %llu (%d pairs): %s:%d: %s\n",
                (unsigned long long)g_first, LANES, filename, linenum, msg);
    fflush(stderr);
    _exit(6);
}

int main(int argc, char** argv) {
    // Results travel on a descriptor of their own: the original stdout is
    // duplicated for them, and stdout itself is pointed at stderr, so a
    // $display (or any printf) in the design cannot corrupt them.
    int fd = dup(1);
    if (fd < 0 || dup2(2, 1) < 0 || !(results = fdopen(fd, "wb"))) {
        fprintf(stderr, "cannot set up the results descriptor\n");
        return 5;
    }
    static char outbuf[1 << 20];
    setvbuf(results, outbuf, _IOFBF, sizeof outbuf);
    if (argc < 5) {
        fprintf(stderr, "usage: %s pairs D R C | sweep D R C A0 A1 [S]\n", argv[0]);
        return 2;
    }
    Harness h(strtoul(argv[2], 0, 0), strtoul(argv[3], 0, 0), strtoul(argv[4], 0, 0) != 0);
    if (strcmp(argv[1], "pairs") == 0) return mode_pairs(h);
    if (argc >= 7 && strcmp(argv[1], "sweep") == 0)
        return mode_sweep(h, (uint32_t)strtoul(argv[5], 0, 0), (uint32_t)strtoul(argv[6], 0, 0),
                          argc >= 8 ? (uint32_t)strtoul(argv[7], 0, 0) : 0);
    fprintf(stderr, "usage: %s pairs D R C | sweep D R C A0 A1 [S]\n", argv[0]);
    return 2;
}
