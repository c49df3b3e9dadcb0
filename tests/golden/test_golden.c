/*
 * Golden dumps of whole x86 guest snippets: each snippet is written at
 * 0x100000 in flat 32-bit protected mode and translated as ONE block
 * through the normal path (tb_gen_code) with -d in_asm,op,op_opt,out_asm
 * logging into memory. The log, made position-free, must equal
 * tests/golden/expected/<name>.txt; UPDATE_GOLDEN=1 rewrites the files, so a
 * change in generated code is always a deliberate one. Each snippet also
 * checks a property of its dump that must not drift even when the golden
 * file is regenerated (one host compare-and-branch, dead flags removed...).
 * What must stay true: the normalisation maps every run-dependent number
 * (host addresses, TB pointers) to a name or offset, so the dump is the
 * same on every run, under ASLR and under the sanitizers.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "backend/backend.h"
#include "frontend/x86/cpu.h"
#include "frontend/x86/helpers.h"
#include "softmmu/memory.h"
#include "softmmu/tlb.h"
#include "tcg/tb-internal.h"

#define CODE_BASE 0x100000u
#define RAM_SIZE (4u << 20)

/* ---- host functions generated code may call, by name ---- */
typedef struct HostSym { const void *addr; const char *name; } HostSym;
#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5
#undef DEF_HELPER_6
#define HS(n) { (const void *)helper_##n, "helper_" #n },
#define DEF_HELPER_0(n, ...) HS(n)
#define DEF_HELPER_1(n, ...) HS(n)
#define DEF_HELPER_2(n, ...) HS(n)
#define DEF_HELPER_3(n, ...) HS(n)
#define DEF_HELPER_4(n, ...) HS(n)
#define DEF_HELPER_5(n, ...) HS(n)
#define DEF_HELPER_6(n, ...) HS(n)
static const HostSym host_syms[] = {
#include "frontend/x86/helpers.def"
    { (const void *)helper_ld_mmu, "helper_ld_mmu" },
    { (const void *)helper_st_mmu, "helper_st_mmu" },
    { (const void *)helper_lookup_tb_ptr, "helper_lookup_tb_ptr" },
};

/* ---- the snippets (bytes checked with objdump -b binary -mi386 and
 * Capstone: the in_asm section of each golden file is Capstone's view) ---- */
typedef struct Dump {
    const char *text;                 /* the whole normalised log */
    const char *op, *op_opt, *out;    /* its sections (NUL-terminated copies) */
} Dump;
typedef bool (*CheckFn)(const Dump *d, char *why, size_t n);

typedef struct Snippet {
    const char *name;
    const char *what;      /* one line: what the snippet exercises */
    uint8_t code[16];
    size_t len;
    CheckFn check;
    bool mode64;           /* translated as 64-bit code (hflags CS64 | LMA) */
} Snippet;

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static bool fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
    return false;
}

/* Stores of the lazy-flag globals (cc_op, cc_dst, cc_src, cc_src2): as
 * outputs of a mov/arith op, i.e. "<op> cc_xxx," at the start of operands. */
static int cc_writes(const char *sec)
{
    return count(sec, " cc_op,") + count(sec, " cc_dst,") + count(sec, " cc_src,") +
           count(sec, " cc_src2,");
}

/* 1: compare and branch: the compare feeds the branch directly. */
static bool check_cmp_jl(const Dump *d, char *why, size_t n)
{
    int br = count(d->op_opt, " brcond_");
    if (br != 1)
        return fail(why, n, "op_opt has %d brcond, want 1", br);
    if (strstr(d->op_opt, "cc_compute"))
        return fail(why, n, "op_opt calls cc_compute_* for a cmp/jl");
    if (count(d->out, ":  jl ") + count(d->out, ":  jge ") != 1)
        return fail(why, n, "out_asm has no single jl/jge");
    if (count(d->out, "helper_"))
        return fail(why, n, "out_asm calls a helper");
    return true;
}

/* 2: memory operands through the inline TLB, carry for adc, indirect ret. */
static bool check_add_adc_ret(const Dump *d, char *why, size_t n)
{
    if (count(d->op_opt, " qemu_ld_") != 2 || count(d->op_opt, " qemu_st_") != 1)
        return fail(why, n, "op_opt: want 2 qemu_ld (operand, return address) and 1 qemu_st");
    if (strstr(d->op_opt, "cc_compute_all"))
        return fail(why, n, "op_opt computes all flags for adc (only CF is read)");
    if (!strstr(d->op_opt, "goto_ptr") || strstr(d->op_opt, " exit_tb "))
        return fail(why, n, "ret leaves through exit_tb instead of a goto_ptr lookup");
    /* inline TLB: the helpers are only on out-of-line paths, one per access */
    if (count(d->out, "<helper_ld_mmu>") != 2 || count(d->out, "<helper_st_mmu>") != 1)
        return fail(why, n, "out_asm: want one slow-path call per memory access");
    return true;
}

/* 3: dead flag computations are removed by the optimiser. */
static bool check_dead_flags(const Dump *d, char *why, size_t n)
{
    int before = cc_writes(d->op), after = cc_writes(d->op_opt);
    if (after >= before)
        return fail(why, n, "op_opt writes cc_* %d times, op %d: no dead flag was removed", after,
                    before);
    if (strstr(d->op_opt, " add_i32 ") || strstr(d->op_opt, " xor_i32 "))
        return fail(why, n, "op_opt: xor eax,eax; inc eax is not folded to the constant 1");
    return true;
}

/* 4: push, frame pointer, direct call: a chained exit, the return address a
 * constant stored through the inline TLB. */
static bool check_push_call(const Dump *d, char *why, size_t n)
{
    if (count(d->op_opt, " qemu_st_") != 2)
        return fail(why, n, "op_opt: want 2 qemu_st (push ebp, return address)");
    if (count(d->op_opt, " goto_tb ") != 1)
        return fail(why, n, "op_opt: the call is not a chained goto_tb");
    if (!strstr(d->op_opt, "qemu_st_i32 $0x100008,"))
        return fail(why, n, "op_opt: the return address 0x100008 is not stored as a constant");
    if (count(d->out, "helper_") != count(d->out, "<helper_st_mmu>"))
        return fail(why, n, "out_asm calls a helper other than the store slow path");
    return true;
}

/* 5: lock cmpxchg; sete; jne: ZF read twice, no full flags computation. */
static bool check_cmpxchg(const Dump *d, char *why, size_t n)
{
    if (strstr(d->op_opt, "cc_compute_all"))
        return fail(why, n, "op_opt computes all flags where only ZF is read");
    if (count(d->op_opt, " brcond_") < 1)
        return fail(why, n, "op_opt: jne is not a brcond");
    if (count(d->op_opt, " qemu_st_") != 1)
        return fail(why, n, "op_opt: want exactly 1 qemu_st (cmpxchg always writes)");
    return true;
}

/* 6: rep movsd runs in bulk, not one block per iteration. */
static bool check_rep_movsd(const Dump *d, char *why, size_t n)
{
    if (count(d->op_opt, " ---- ") != 2)
        return fail(why, n, "op_opt: want 2 guest instructions in the block");
    if (count(d->op_opt, " call rep_movs,") != 1 || count(d->op_opt, " qemu_ld_"))
        return fail(why, n, "op_opt: want one rep_movs helper call and no per-element loads");
    return true;
}

/* 7: 64-bit compare and branch: as cheap as the 32-bit one. */
static bool check_cmp_jl64(const Dump *d, char *why, size_t n)
{
    if (!check_cmp_jl(d, why, n))
        return false;
    if (!strstr(d->op_opt, "_i64 ") || strstr(d->op_opt, " eax"))
        return fail(why, n, "op_opt: not translated with the 64-bit register view");
    return true;
}

/* 8: RIP-relative operand at a constant address, a 32-bit register write
 * zero-extended, ret through the jump cache. */
static bool check_add_rip64(const Dump *d, char *why, size_t n)
{
    if (!strstr(d->op_opt, "qemu_ld_i64 ") || !strstr(d->op_opt, ",$0x100107,"))
        return fail(why, n, "op_opt: the RIP-relative load is not at the constant 0x100107");
    if (!strstr(d->op_opt, " ext32u_i64 ") || !strstr(d->op_opt, " r10,"))
        return fail(why, n, "op_opt: mov r10d, eax does not zero-extend into r10");
    if (!strstr(d->op_opt, "goto_ptr") || strstr(d->op_opt, " exit_tb "))
        return fail(why, n, "ret leaves through exit_tb instead of a goto_ptr lookup");
    return true;
}

static const Snippet snippets[] = {
    { "cmp_jl", "cmp eax, ebx; jl +0x10 (compare and branch)",
      { 0x39, 0xd8,               /* cmp eax, ebx */
        0x7c, 0x10 },             /* jl .+0x12 */
      4, check_cmp_jl },
    { "add_adc_ret", "add eax, [ebx+4]; adc ecx, 0; mov [edx], eax; ret (inline TLB, carry, indirect return)",
      { 0x03, 0x43, 0x04,         /* add eax, dword [ebx+4] */
        0x83, 0xd1, 0x00,         /* adc ecx, 0 */
        0x89, 0x02,               /* mov dword [edx], eax */
        0xc3 },                   /* ret */
      9, check_add_adc_ret },
    { "dead_flags", "xor eax, eax; inc eax; shl eax, cl; jz (flags overwritten before they are read)",
      { 0x31, 0xc0,               /* xor eax, eax */
        0x40,                     /* inc eax */
        0xd3, 0xe0,               /* shl eax, cl */
        0x74, 0xf9 },             /* jz .-5 (back to the xor) */
      7, check_dead_flags },
    { "push_call", "push ebp; mov ebp, esp; call rel32 (stack ops, chained call)",
      { 0x55,                     /* push ebp */
        0x89, 0xe5,               /* mov ebp, esp */
        0xe8, 0xfb, 0x00, 0x00, 0x00 }, /* call .+0x100 */
      8, check_push_call },
    { "lock_cmpxchg", "lock cmpxchg [esi], edi; sete al; jne (atomic RMW, ZF read twice)",
      { 0xf0, 0x0f, 0xb1, 0x3e,   /* lock cmpxchg dword [esi], edi */
        0x0f, 0x94, 0xc0,         /* sete al */
        0x75, 0xf7 },             /* jne .-7 (back to the cmpxchg) */
      9, check_cmpxchg },
    { "rep_movsd", "mov ecx, 16; rep movsd (string op in bulk)",
      { 0xb9, 0x10, 0x00, 0x00, 0x00, /* mov ecx, 16 */
        0xf3, 0xa5 },             /* rep movsd */
      7, check_rep_movsd },
    { "cmp_jl64", "cmp rax, r9; jl +0x10 (64-bit mode: compare and branch)",
      { 0x4c, 0x39, 0xc8,         /* cmp rax, r9 */
        0x7c, 0x10 },             /* jl .+0x12 */
      5, check_cmp_jl64, true },
    { "add_rip64", "add rax, [rip+0x100]; mov r10d, eax; ret (64-bit mode: RIP-relative, zero-extension)",
      { 0x48, 0x03, 0x05, 0x00, 0x01, 0x00, 0x00, /* add rax, qword [rip+0x100] */
        0x41, 0x89, 0xc2,         /* mov r10d, eax */
        0xc3 },                   /* ret */
      11, check_add_rip64, true },
};
#define NB_SNIPPETS (sizeof(snippets) / sizeof(snippets[0]))

/* ---- translating one block with logging into memory ---- */
typedef struct Where {
    uintptr_t code, code_end;     /* the block's host code */
    uintptr_t buf, buf_end;       /* the whole code buffer */
    uintptr_t tb;                 /* the TranslationBlock */
} Where;

static void put_num(FILE *o, const Where *w, uint64_t v, const char *orig, size_t orig_len)
{
    if (v >= w->code && v <= w->code_end) {
        fprintf(o, "0x%" PRIx64, v - w->code);
        return;
    }
    if (w->tb && v >= w->tb && v < w->tb + 4) {
        fprintf(o, "TB|%u", (unsigned)(v - w->tb));
        return;
    }
    if (v >= w->buf && v < w->buf_end) {
        fprintf(o, "codebuf+0x%" PRIx64, v - w->buf);
        return;
    }
    for (size_t i = 0; i < sizeof(host_syms) / sizeof(host_syms[0]); i++)
        if ((uintptr_t)host_syms[i].addr == v) {
            fprintf(o, "<%s>", host_syms[i].name);
            return;
        }
    /* some other host address (user space: below 2^47; longer numbers
     * such as sign-extended masks stay as they are) */
    if (orig_len - 2 > 8 && v >= 0x100000000ull && v < 0x800000000000ull) {
        fputs("ADDR", o);
        return;
    }
    fwrite(orig, 1, orig_len, o);
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* Make the log position-free: the out_asm address column becomes an offset
 * from the block start (the format jit_disas_at uses with base 0); numbers
 * inside the block become offsets, inside the code buffer codebuf+N, the TB
 * pointer TB|n, known helpers <name>, any other long hex number ADDR. */
static char *normalize(const char *in, const Where *w)
{
    char *out = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&out, &len);
    const char *p = in;
    bool line_start = true;
    while (*p) {
        if (line_start && !strncmp(p, "  0x", 4)) {
            const char *q = p + 4;
            while (is_hex(*q))
                q++;
            uint64_t v = strtoull(p + 4, NULL, 16);
            if (*q == ':' && v >= w->code && v <= w->code_end) {
                fprintf(o, "  0x%08" PRIx64, v - w->code);
                p = q;
                line_start = false;
                continue;
            }
        }
        line_start = false;
        if (p[0] == '0' && p[1] == 'x' && is_hex(p[2]) && (p == in || !is_hex(p[-1]))) {
            const char *q = p + 2;
            while (is_hex(*q))
                q++;
            put_num(o, w, strtoull(p + 2, NULL, 16), p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (*p == '\n')
            line_start = true;
        fputc(*p++, o);
    }
    fclose(o);
    return out;
}

/* The section of the log starting with the line beginning with head, up to
 * the next blank line. */
static char *section(const char *log, const char *head)
{
    const char *s = strstr(log, head);
    if (!s)
        return strdup("");
    const char *e = strstr(s, "\n\n");
    size_t n = e ? (size_t)(e - s) + 1 : strlen(s);
    return strndup(s, n);
}

static char *translate_snippet(const Snippet *sn, char *why, size_t n)
{
    AddressSpace *mem = address_space_new("memory");
    AddressSpace *io = address_space_new("io");
    char *norm = NULL;
    if (!mem || !io || !memory_region_add_ram(mem, "ram", 0, RAM_SIZE)) {
        fail(why, n, "cannot create the address space");
        goto out_as;
    }
    if (address_space_write(mem, CODE_BASE, sn->code, sn->len) != MEMTX_OK) {
        fail(why, n, "cannot write the snippet");
        goto out_as;
    }
    X86CPU *x86 = x86_cpu_new(mem, io, "qemu32");
    if (!x86) {
        fail(why, n, "x86_cpu_new failed");
        goto out_as;
    }
    x86_cpu_set_flat32(x86, CODE_BASE, 0, 0);
    CPUState *cpu = env_cpu(x86);
    if (sn->mode64) {
        /* only the translator's view: 64-bit code (no page tables needed,
         * the test translates and never runs the block) */
        x86_env(cpu)->hflags |= HF_CS64_MASK | HF_LMA_MASK;
    }

    char *log = NULL;
    size_t loglen = 0;
    cpu->logfile = open_memstream(&log, &loglen);
    cpu->log_mask = LOG_IN_ASM | LOG_OP | LOG_OP_OPT | LOG_OUT_ASM;
    fprintf(cpu->logfile, "# %s: %s\n# -d in_asm,op,op_opt,out_asm; host addresses normalised "
            "(out_asm offsets from the block start)\n", sn->name, sn->what);
    uint64_t pc, cs_base;
    uint32_t flags;
    cpu->ops->get_tb_cpu_state(cpu, &pc, &cs_base, &flags);
    TranslationBlock *tb = tb_gen_code(cpu, pc, cs_base, flags, tb_cpu_cflags(cpu));
    fclose(cpu->logfile);
    cpu->logfile = NULL;
    if (!tb || !tb->host_code) {
        fail(why, n, "no host code for the block");
    } else {
        const CodeBuffer *cb = &cpu->tb_ctx->cb;
        Where w = {
            .code = (uintptr_t)tb->host_code, .code_end = (uintptr_t)tb->host_code + tb->host_size,
            .buf = (uintptr_t)cb->rx, .buf_end = (uintptr_t)cb->rx + cb->size, .tb = (uintptr_t)tb,
        };
        norm = normalize(log, &w);
    }
    free(log);
    cpu_common_free(cpu);
    free(x86);
out_as:
    if (io)
        address_space_free(io);
    if (mem)
        address_space_free(mem);
    return norm;
}

/* ---- comparing with the golden file ---- */
static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&buf, &len);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
        fwrite(tmp, 1, k, o);
    fclose(f);
    fclose(o);
    return buf;
}

static const char *line_at(const char *s, int line, size_t *len)
{
    for (int i = 1; i < line && s; i++) {
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    if (!s || !*s) {
        *len = 0;
        return NULL;
    }
    const char *e = strchr(s, '\n');
    *len = e ? (size_t)(e - s) : strlen(s);
    return s;
}

/* First differing line number (1-based), 0 if equal. */
static int first_diff(const char *a, const char *b)
{
    int line = 1;
    for (;; line++) {
        size_t la, lb;
        const char *pa = line_at(a, line, &la), *pb = line_at(b, line, &lb);
        if (!pa && !pb)
            return strcmp(a, b) ? line : 0;   /* differ only in a trailing newline */
        if (!pa || !pb || la != lb || memcmp(pa, pb, la))
            return line;
    }
}

/* A few lines of unified-ish diff from the first difference, as '#' lines. */
static void print_diff(const char *want, const char *got, int line)
{
    printf("# --- expected  +++ got (from line %d)\n", line);
    for (int i = line; i < line + 8; i++) {
        size_t la, lb;
        const char *pa = line_at(want, i, &la), *pb = line_at(got, i, &lb);
        if (!pa && !pb)
            break;
        if (pa && pb && la == lb && !memcmp(pa, pb, la)) {
            printf("#  %.*s\n", (int)la, pa);
            continue;
        }
        if (pa)
            printf("# -%.*s\n", (int)la, pa);
        if (pb)
            printf("# +%.*s\n", (int)lb, pb);
    }
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/golden/expected";
    const char *u = getenv("UPDATE_GOLDEN");
    bool update = u && *u == '1';
    int fails = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(120);
    for (size_t k = 0; k < NB_SNIPPETS; k++) {
        const Snippet *sn = &snippets[k];
        char why[1024] = "", path[512];
        snprintf(path, sizeof(path), "%s/%s.txt", dir, sn->name);
        char *got = translate_snippet(sn, why, sizeof(why));
        char *want = NULL;
        int line = 0;
        bool ok = got != NULL;
        if (ok) {
            /* twice: a dump that differs between two translations in one
             * run (uninitialised state, an address left in) is no golden */
            char why2[256];
            char *again = translate_snippet(sn, why2, sizeof(why2));
            if (!again || strcmp(again, got)) {
                ok = fail(why, sizeof(why), "two translations differ (normalisation misses something)");
                if (again)
                    print_diff(got, again, first_diff(got, again));
            }
            free(again);
        }
        if (ok && update) {
            FILE *f = fopen(path, "w");
            ok = f && fputs(got, f) >= 0;
            if (f && fclose(f))
                ok = false;
            if (!ok)
                fail(why, sizeof(why), "cannot write %s", path);
        } else if (ok) {
            want = read_file(path);
            line = want ? first_diff(want, got) : 0;
            if (!want) {
                ok = fail(why, sizeof(why), "cannot read %s (UPDATE_GOLDEN=1 to create)", path);
            } else if (line) {
                size_t la, lb;
                const char *pa = line_at(want, line, &la), *pb = line_at(got, line, &lb);
                ok = fail(why, sizeof(why),
                          "differs (UPDATE_GOLDEN=1 to accept): %s line %d: want '%.*s' got '%.*s'",
                          path, line, (int)(pa ? la : 0), pa ? pa : "", (int)(pb ? lb : 0),
                          pb ? pb : "");
            }
        }
        if (ok)
            printf("ok - golden/%s\n", sn->name);
        else {
            fails++;
            printf("not ok - golden/%s: %s\n", sn->name, why);
            if (line)
                print_diff(want, got, line);
        }
        free(want);

        /* the property, checked on the dump just made */
        char pname[96];
        snprintf(pname, sizeof(pname), "golden/%s property", sn->name);
        if (got) {
            Dump d = { got, section(got, "OP: "), section(got, "OP after optimization"),
                       section(got, "OUT: ") };
            char pwhy[256] = "";
            if (sn->check(&d, pwhy, sizeof(pwhy))) {
                printf("ok - %s\n", pname);
            } else {
                fails++;
                printf("not ok - %s: %s\n", pname, pwhy);
            }
            free((char *)d.op);
            free((char *)d.op_opt);
            free((char *)d.out);
        } else {
            fails++;
            printf("not ok - %s: no dump\n", pname);
        }
        free(got);
    }
    return fails ? 1 : 0;
}
