/*
 * decodegen: turns an instruction pattern file (frontend/arm64/a64.decode)
 * into a C decoder. Built and run on the build host by the Makefile; its
 * output goes to build/ and is never committed.
 *
 * The pattern file, one pattern per line (see a64.decode's header):
 *   NAME  tokens...  [field=value ...]
 * where the tokens, most significant bit first, cover exactly 32 bits:
 *   0 1 .      fixed zero, fixed one, don't care (any run of these)
 *   f:N        an N-bit unsigned field named f
 *   f:sN       an N-bit field, sign-extended
 * `f=value` gives a field a constant (so one handler serves several lines).
 * Lines between `{` and `}` form a group: they may overlap and are tried in
 * order, the first whose handler accepts wins. Outside groups, two patterns
 * that can match the same word are an error, as is a group member no word
 * can reach.
 *
 * Output (decodegen IN OUT):
 *   - `typedef struct { int32_t f; ... } arg_NAME;` per NAME (the union of
 *     the fields of its lines; one NAME must keep one field list);
 *   - prototypes `static bool trans_NAME(A64_DECODE_CTX *, arg_NAME *);`
 *   - `static bool a64_decode(A64_DECODE_CTX *ctx, uint32_t insn)`: false
 *     when no handler accepted the word (undefined instruction);
 *   - `a64_patterns[]`: mask, value, name and fields of each line, for
 *     tests and listings, and `a64_match(insn)`: the first line whose bits
 *     match (-1 if none), handlers not consulted.
 * Must stay true: the decoder tries lines in file order, so the first line
 * of a group is the preferred one.
 *
 * `decodegen --check IN` only parses and checks (used by its own tests).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERNS 1024
#define MAX_FIELDS 12
#define MAX_NAME 48

typedef struct Field {
    char name[MAX_NAME];
    int pos, len;          /* len 0: a constant */
    bool sign;
    int64_t value;         /* constant fields */
} Field;

typedef struct Pattern {
    char name[MAX_NAME];
    uint32_t mask, value;
    Field fields[MAX_FIELDS];
    int nfields;
    int group;             /* 0: none, else group number */
    int line;
} Pattern;

typedef struct Gen {
    const char *path;
    Pattern pats[MAX_PATTERNS];
    int npats;
    int errors;
} Gen;

static void err(Gen *g, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(Gen *g, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", g->path, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    g->errors++;
}

static bool valid_ident(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return false;
    return true;
}

static Field *find_field(Pattern *p, const char *name)
{
    for (int i = 0; i < p->nfields; i++)
        if (!strcmp(p->fields[i].name, name))
            return &p->fields[i];
    return NULL;
}

/* One pattern line (comments already stripped). */
static void parse_pattern(Gen *g, char *line, int lineno, int group)
{
    Pattern *p;
    char *tok, *save = NULL;
    int bit = 32;

    if (g->npats >= MAX_PATTERNS) {
        err(g, lineno, "too many patterns");
        return;
    }
    p = &g->pats[g->npats];
    memset(p, 0, sizeof(*p));
    p->group = group;
    p->line = lineno;
    tok = strtok_r(line, " \t", &save);
    if (strlen(tok) >= MAX_NAME || !valid_ident(tok)) {
        err(g, lineno, "bad pattern name '%s'", tok);
        return;
    }
    strcpy(p->name, tok);
    while ((tok = strtok_r(NULL, " \t", &save))) {
        char *colon = strchr(tok, ':'), *eq = strchr(tok, '=');
        if (eq) {
            *eq = '\0';
            char *end;
            long long v = strtoll(eq + 1, &end, 0);
            if (!valid_ident(tok) || *end || end == eq + 1) {
                err(g, lineno, "bad constant field '%s'", tok);
                return;
            }
            if (find_field(p, tok) || p->nfields >= MAX_FIELDS) {
                err(g, lineno, "field '%s' given twice (or too many fields)", tok);
                return;
            }
            Field *f = &p->fields[p->nfields++];
            snprintf(f->name, sizeof(f->name), "%s", tok);
            f->len = 0;
            f->value = v;
        } else if (colon) {
            *colon = '\0';
            const char *w = colon + 1;
            bool sign = false;
            if (*w == 's') {
                sign = true;
                w++;
            }
            char *end;
            long len = strtol(w, &end, 10);
            if (!valid_ident(tok) || *end || end == w || len < 1 || len > 32) {
                err(g, lineno, "bad field '%s:%s'", tok, colon + 1);
                return;
            }
            if (find_field(p, tok) || p->nfields >= MAX_FIELDS) {
                err(g, lineno, "field '%s' given twice (or too many fields)", tok);
                return;
            }
            if (len > bit) {
                err(g, lineno, "field '%s' runs past bit 0", tok);
                return;
            }
            bit -= (int)len;
            Field *f = &p->fields[p->nfields++];
            snprintf(f->name, sizeof(f->name), "%s", tok);
            f->pos = bit;
            f->len = (int)len;
            f->sign = sign;
        } else {
            for (const char *c = tok; *c; c++) {
                if (*c != '0' && *c != '1' && *c != '.') {
                    err(g, lineno, "bad bit '%c' in '%s'", *c, tok);
                    return;
                }
                if (bit == 0) {
                    err(g, lineno, "more than 32 bits");
                    return;
                }
                bit--;
                if (*c != '.') {
                    p->mask |= 1u << bit;
                    if (*c == '1')
                        p->value |= 1u << bit;
                }
            }
        }
    }
    if (bit != 0) {
        err(g, lineno, "pattern covers %d bits, not 32", 32 - bit);
        return;
    }
    g->npats++;
}

static void parse_file(Gen *g, FILE *f)
{
    char buf[512];
    int lineno = 0, group = 0, ngroups = 0;
    while (fgets(buf, sizeof(buf), f)) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        char *e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*s)
            continue;
        if (!strcmp(s, "{")) {
            if (group)
                err(g, lineno, "nested group");
            group = ++ngroups;
            continue;
        }
        if (!strcmp(s, "}")) {
            if (!group)
                err(g, lineno, "'}' without '{'");
            group = 0;
            continue;
        }
        parse_pattern(g, s, lineno, group);
    }
    if (group)
        err(g, lineno, "group not closed");
}

/* Can some word match both? */
static bool overlaps(const Pattern *a, const Pattern *b)
{
    return ((a->value ^ b->value) & a->mask & b->mask) == 0;
}

/* Does every word matching b also match a? */
static bool covers(const Pattern *a, const Pattern *b)
{
    return (a->mask & ~b->mask) == 0 && ((a->value ^ b->value) & a->mask) == 0;
}

static void check_patterns(Gen *g)
{
    for (int i = 0; i < g->npats; i++) {
        Pattern *a = &g->pats[i];
        for (int j = i + 1; j < g->npats; j++) {
            Pattern *b = &g->pats[j];
            if (a->group && a->group == b->group) {
                if (covers(a, b))
                    err(g, b->line, "%s can never match: line %d (%s) takes every word first",
                        b->name, a->line, a->name);
            } else if (overlaps(a, b)) {
                err(g, b->line, "%s overlaps %s (line %d) outside a group", b->name, a->name,
                    a->line);
            }
        }
        /* fields of one name: the same list everywhere */
        for (int j = 0; j < i; j++) {
            Pattern *b = &g->pats[j];
            if (strcmp(a->name, b->name))
                continue;
            bool same = a->nfields == b->nfields;
            for (int k = 0; same && k < a->nfields; k++)
                same = find_field(b, a->fields[k].name) != NULL;
            if (!same)
                err(g, a->line, "%s: field list differs from line %d", a->name, b->line);
            break;
        }
        /* a field may not overlap a fixed bit: it would always read the same */
        for (int k = 0; k < a->nfields; k++) {
            Field *f = &a->fields[k];
            if (f->len && (a->mask >> f->pos) & ((f->len == 32 ? ~0u : (1u << f->len) - 1)))
                err(g, a->line, "internal: field %s overlaps fixed bits", f->name);
        }
    }
}

static bool first_of_name(const Gen *g, int i)
{
    for (int j = 0; j < i; j++)
        if (!strcmp(g->pats[j].name, g->pats[i].name))
            return false;
    return true;
}

static void emit_extract(FILE *o, const Field *f)
{
    if (!f->len)
        fprintf(o, "%lld", (long long)f->value);
    else if (f->sign)
        fprintf(o, "a64_sextract(insn, %d, %d)", f->pos, f->len);
    else
        fprintf(o, "a64_extract(insn, %d, %d)", f->pos, f->len);
}

static void emit(Gen *g, FILE *o)
{
    fprintf(o, "/* Generated by decodegen from %s: do not edit. */\n", g->path);
    fprintf(o, "#include <stdbool.h>\n#include <stdint.h>\n\n");
    fprintf(o, "static inline int32_t a64_extract(uint32_t insn, int pos, int len)\n"
               "{ return (int32_t)((insn >> pos) & (len == 32 ? ~0u : (1u << len) - 1)); }\n");
    fprintf(o, "static inline int32_t a64_sextract(uint32_t insn, int pos, int len)\n"
               "{ return (int32_t)((int32_t)(insn << (32 - pos - len)) >> (32 - len)); }\n\n");

    /* the pattern table */
    fprintf(o, "typedef struct A64PatternField { const char *name; int8_t pos, len; bool sign; int32_t value; } A64PatternField;\n");
    fprintf(o, "typedef struct A64Pattern { uint32_t mask, value; const char *name; int group, nfields;\n"
               "    A64PatternField fields[%d]; } A64Pattern;\n", MAX_FIELDS);
    fprintf(o, "#define A64_NB_PATTERNS %d\n", g->npats);
    fprintf(o, "static const A64Pattern a64_patterns[A64_NB_PATTERNS] __attribute__((unused)) = {\n");
    for (int i = 0; i < g->npats; i++) {
        Pattern *p = &g->pats[i];
        fprintf(o, "    { 0x%08xu, 0x%08xu, \"%s\", %d, %d, {", p->mask, p->value, p->name, p->group,
                p->nfields);
        for (int k = 0; k < p->nfields; k++) {
            Field *f = &p->fields[k];
            fprintf(o, " { \"%s\", %d, %d, %s, %lld },", f->name, f->pos, f->len,
                    f->sign ? "true" : "false", (long long)f->value);
        }
        fprintf(o, " } },\n");
    }
    fprintf(o, "};\n\n");
    fprintf(o, "static inline int __attribute__((unused)) a64_match(uint32_t insn)\n{\n"
               "    for (int i = 0; i < A64_NB_PATTERNS; i++)\n"
               "        if ((insn & a64_patterns[i].mask) == a64_patterns[i].value)\n"
               "            return i;\n    return -1;\n}\n\n");

    fprintf(o, "#ifdef A64_DECODE_CTX\n");
    for (int i = 0; i < g->npats; i++) {
        Pattern *p = &g->pats[i];
        if (!first_of_name(g, i))
            continue;
        fprintf(o, "typedef struct arg_%s {", p->name);
        for (int k = 0; k < p->nfields; k++)
            fprintf(o, " int32_t %s;", p->fields[k].name);
        if (!p->nfields)
            fprintf(o, " int32_t unused_;");
        fprintf(o, " } arg_%s;\n", p->name);
        fprintf(o, "static bool trans_%s(A64_DECODE_CTX *ctx, arg_%s *a);\n", p->name, p->name);
    }
    /* dispatch on bits 28:25 (the Arm ARM's op0): lines whose bits there
     * are not all fixed appear under every value they can take */
    fprintf(o, "\nstatic bool a64_decode(A64_DECODE_CTX *ctx, uint32_t insn)\n{\n");
    fprintf(o, "    switch ((insn >> 25) & 0xf) {\n");
    for (unsigned op0 = 0; op0 < 16; op0++) {
        fprintf(o, "    case 0x%x:\n", op0);
        for (int i = 0; i < g->npats; i++) {
            Pattern *p = &g->pats[i];
            uint32_t m = (p->mask >> 25) & 0xf, v = (p->value >> 25) & 0xf;
            if ((op0 & m) != v)
                continue;
            fprintf(o, "        if ((insn & 0x%08xu) == 0x%08xu) {\n", p->mask, p->value);
            fprintf(o, "            arg_%s a = {", p->name);
            for (int k = 0; k < p->nfields; k++) {
                fprintf(o, " .%s = ", p->fields[k].name);
                emit_extract(o, &p->fields[k]);
                fprintf(o, ",");
            }
            fprintf(o, " };\n            if (trans_%s(ctx, &a))\n                return true;\n", p->name);
            fprintf(o, "        }\n");
        }
        fprintf(o, "        return false;\n");
    }
    fprintf(o, "    }\n    return false;\n}\n#endif\n");
}

int main(int argc, char **argv)
{
    static Gen g;
    bool check_only = argc == 3 && !strcmp(argv[1], "--check");
    if (!check_only && argc != 3) {
        fprintf(stderr, "usage: decodegen IN.decode OUT.c | decodegen --check IN.decode\n");
        return 2;
    }
    g.path = check_only ? argv[2] : argv[1];
    FILE *in = fopen(g.path, "r");
    if (!in) {
        fprintf(stderr, "decodegen: cannot open %s\n", g.path);
        return 1;
    }
    parse_file(&g, in);
    fclose(in);
    if (!g.errors)
        check_patterns(&g);
    if (g.errors)
        return 1;
    if (check_only)
        return 0;
    FILE *o = fopen(argv[2], "w");
    if (!o) {
        fprintf(stderr, "decodegen: cannot write %s\n", argv[2]);
        return 1;
    }
    emit(&g, o);
    if (fclose(o) != 0) {
        remove(argv[2]);
        return 1;
    }
    return 0;
}
