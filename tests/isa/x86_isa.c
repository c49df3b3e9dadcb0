/*
 * What the x86 CPU implements, listed from the sources of truth rather
 * than by hand: every mnemonic of the opcode table (frontend/x86/
 * opcodes.def) with its encodings and whether a translator handler exists
 * (handlers are weak symbols: a row without one is #UD), every MSR that
 * RDMSR answers on a CPU model, and the CPUID feature bits each model
 * advertises (read through CPUID itself).
 *   x86_isa [MODEL]      the listing (`make isa-list`)
 *   x86_isa --check      one "ok/not ok - isa/x86/MNEMONIC" line per
 *                        mnemonic: a table row without a handler fails
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "frontend/x86/cpu.h"
#include "frontend/x86/cpuid.h"
#include "frontend/x86/decode.h"
#include "frontend/x86/helpers.h"
#include "frontend/x86/translate.h"
#include "softmmu/memory.h"

#define X86_OP(map, opc, ext, pfx, mnem, ...) \
    bool x86_trans_##mnem(DisasContext *dc, X86Insn *insn) __attribute__((weak));
#include "frontend/x86/opcodes.def"
#undef X86_OP
#define X86_OP(map, opc, ext, pfx, mnem, ...) x86_trans_##mnem,
static const X86TransFn row_handler[] = {
#include "frontend/x86/opcodes.def"
};
#undef X86_OP

static const char *const map_prefix[] = { "", "0F ", "0F38 ", "0F3A " };
static const char *const pfx_name[] = { "", "66 ", "F3 ", "F2 " };

/* Rows of one mnemonic, in table order, as "[pfx] [map] opc[/ext]". */
static void print_encodings(const char *mnem)
{
    const char *sep = "";
    for (int i = 0; i < x86_opcode_table_size; i++) {
        const X86OpcodeEntry *e = &x86_opcode_table[i];
        if (strcmp(e->mnemonic, mnem))
            continue;
        printf("%s%s%s%02X", sep, pfx_name[e->pfx & 3], map_prefix[e->map & 3], e->opcode);
        if (e->ext >= 0)
            printf("/%d", e->ext);
        sep = ", ";
    }
}

/* Each mnemonic once, in table order; returns the number without a handler. */
static int list_mnemonics(bool check)
{
    int missing = 0, n = 0;
    for (int i = 0; i < x86_opcode_table_size; i++) {
        const X86OpcodeEntry *e = &x86_opcode_table[i];
        if (e->flags & (X86F_PREFIX | X86F_ESCAPE | X86F_INVALID))
            continue;
        bool first = true;
        for (int j = 0; j < i && first; j++)
            if (!(x86_opcode_table[j].flags & (X86F_PREFIX | X86F_ESCAPE | X86F_INVALID)) &&
                !strcmp(x86_opcode_table[j].mnemonic, e->mnemonic))
                first = false;
        if (!first)
            continue;
        n++;
        bool has = row_handler[i] != NULL;
        missing += !has;
        if (check) {
            if (has)
                printf("ok - isa/x86/%s\n", e->mnemonic);
            else
                printf("not ok - isa/x86/%s: a row of opcodes.def without a translator handler (#UD)\n",
                       e->mnemonic);
            continue;
        }
        printf("  %-12s %s  ", e->mnemonic, has ? "yes" : "#UD");
        print_encodings(e->mnemonic);
        printf("\n");
    }
    if (!check)
        printf("  (%d mnemonics, %d rows, %d without a handler)\n", n, x86_opcode_table_size, missing);
    return missing;
}

static void list_msrs(CPUX86State *env)
{
    static const uint32_t ranges[][2] = { { 0, 0x1000 }, { 0xc0000000u, 0xc0001000u } };
    char buf[32];
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        for (uint32_t idx = ranges[r][0]; idx < ranges[r][1]; idx++) {
            uint64_t v;
            if (x86_msr_read(env, idx, &v))
                printf("  %08" PRIx32 "  %s\n", idx, x86_msr_name(idx, buf, sizeof(buf)));
        }
    }
}

/* Feature names per CPUID register bit, as Linux's /proc/cpuinfo spells them. */
typedef struct FeatureReg {
    const char *what;
    uint32_t leaf, subleaf;
    int reg;                 /* R_EAX.. of the result */
    const char *names[32];
} FeatureReg;

static const FeatureReg feature_regs[] = {
    { "CPUID.1:EDX", 1, 0, R_EDX, { "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8",
      "apic", NULL, "sep", "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL,
      "ds", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe" } },
    { "CPUID.1:ECX", 1, 0, R_ECX, { "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx",
      "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca",
      "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline", "aes", "xsave", "osxsave",
      "avx", "f16c", "rdrand", "hypervisor" } },
    { "CPUID.7.0:EBX", 7, 0, R_EBX, { "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL,
      "smep", "bmi2", "erms", "invpcid", "rtm", NULL, NULL, "mpx", NULL, "avx512f", "avx512dq",
      "rdseed", "adx", "smap" } },
    { "CPUID.D.1:EAX", 0xd, 1, R_EAX, { "xsaveopt", "xsavec", "xgetbv1", "xsaves" } },
    { "CPUID.80000001:EDX", 0x80000001u, 0, R_EDX, { [11] = "syscall", [20] = "nx", [22] = "mmxext",
      [25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm" } },
    { "CPUID.80000001:ECX", 0x80000001u, 0, R_ECX, { "lahf_lm", "cmp_legacy", "svm", "extapic",
      "cr8_legacy", "abm", "sse4a", "misalignsse", "3dnowprefetch" } },
};

static void cpuid(CPUX86State *env, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    env->regs[R_EAX] = leaf;
    env->regs[R_ECX] = subleaf;
    helper_cpuid(env);
    out[0] = (uint32_t)env->regs[R_EAX];
    out[1] = (uint32_t)env->regs[R_EBX];
    out[2] = (uint32_t)env->regs[R_ECX];
    out[3] = (uint32_t)env->regs[R_EDX];
}

static void list_cpuid(CPUX86State *env)
{
    uint32_t r[4];
    cpuid(env, 0, 0, r);
    char vendor[13];
    memcpy(vendor, &r[1], 4); memcpy(vendor + 4, &r[3], 4); memcpy(vendor + 8, &r[2], 4);
    vendor[12] = 0;
    uint32_t max_basic = r[0];
    cpuid(env, 0x80000000u, 0, r);
    uint32_t max_ext = r[0];
    cpuid(env, 1, 0, r);
    printf("  vendor %s, max leaf 0x%x, max extended leaf 0x%x, CPUID.1:EAX 0x%08x\n", vendor,
           max_basic, max_ext, r[0]);
    for (size_t i = 0; i < sizeof(feature_regs) / sizeof(feature_regs[0]); i++) {
        const FeatureReg *f = &feature_regs[i];
        uint32_t max = f->leaf >= 0x80000000u ? max_ext : max_basic;
        if (f->leaf > max)
            continue;
        cpuid(env, f->leaf, f->subleaf, r);
        uint32_t bits = r[f->reg == R_EAX ? 0 : f->reg == R_EBX ? 1 : f->reg == R_ECX ? 2 : 3];
        printf("  %-19s", f->what);
        for (int b = 0; b < 32; b++)
            if (bits & (1u << b))
                printf(" %s", f->names[b] ? f->names[b] : "?");
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--check")) {
        list_mnemonics(true);
        return 0;
    }
    const char *model = argc > 1 ? argv[1] : "max";
    AddressSpace *mem = address_space_new("memory"), *io = address_space_new("io");
    X86CPU *cpu = mem && io ? x86_cpu_new(mem, io, model) : NULL;
    if (!cpu) {
        fprintf(stderr, "x86_isa: no CPU model '%s'\n", model);
        return 1;
    }
    printf("x86 instructions (frontend/x86/opcodes.def; \"yes\" = translated, \"#UD\" = row without a handler):\n");
    list_mnemonics(false);
    printf("\nMSRs that RDMSR answers on -cpu %s (others raise #GP):\n", model);
    list_msrs(cpu);
    printf("\nCPUID of -cpu %s:\n", model);
    list_cpuid(cpu);
    return 0;
}
