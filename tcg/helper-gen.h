/*
 * Helper declarations from one .def file per guest. A guest's helpers.def
 * has lines DEF_HELPER_<n>(name, flags, ret, t1 .. tn) with types from
 * {void, i32, s32, i64, ptr, env}; `env` is the guest's CPU pointer,
 * whose C type the guest names in HELPER_ENV_TYPE.
 * Include with HELPER_MODE set to:
 *   HELPER_PROTO - prototypes of `helper_<name>` (written in C by the guest)
 *   HELPER_INFO  - the TCGHelperInfo tables (in exactly one .c file)
 *   HELPER_GEN   - `gen_helper_<name>(s, [ret,] args...)` builder wrappers
 */
#include "tcg/tcg.h"

#define dh_ctype_void void
#define dh_ctype_i32 uint32_t
#define dh_ctype_s32 int32_t
#define dh_ctype_i64 uint64_t
#define dh_ctype_ptr void *
#define dh_ctype_env HELPER_ENV_TYPE *
#define dh_ctype(t) dh_ctype_##t

#define dh_calltype_void TCG_CALL_VOID
#define dh_calltype_i32 TCG_CALL_I32
#define dh_calltype_s32 TCG_CALL_I32
#define dh_calltype_i64 TCG_CALL_I64
#define dh_calltype_ptr TCG_CALL_PTR
#define dh_calltype_env TCG_CALL_PTR
#define dh_calltype(t) dh_calltype_##t

#define dh_retdecl_void
#define dh_retdecl_i32 , TCGv retval
#define dh_retdecl_s32 , TCGv retval
#define dh_retdecl_i64 , TCGv retval
#define dh_retdecl_ptr , TCGv retval
#define dh_retdecl(t) dh_retdecl_##t
#define dh_retvar_void TCGV_NONE
#define dh_retvar_i32 retval
#define dh_retvar_s32 retval
#define dh_retvar_i64 retval
#define dh_retvar_ptr retval
#define dh_retvar(t) dh_retvar_##t

#undef DEF_HELPER_0
#undef DEF_HELPER_1
#undef DEF_HELPER_2
#undef DEF_HELPER_3
#undef DEF_HELPER_4
#undef DEF_HELPER_5
#undef DEF_HELPER_6

#define HELPER_PROTO 1
#define HELPER_INFO 2
#define HELPER_GEN 3
#if HELPER_MODE == HELPER_PROTO
#define DEF_HELPER_0(n, f, r) dh_ctype(r) helper_##n(void);
#define DEF_HELPER_1(n, f, r, a) dh_ctype(r) helper_##n(dh_ctype(a));
#define DEF_HELPER_2(n, f, r, a, b) dh_ctype(r) helper_##n(dh_ctype(a), dh_ctype(b));
#define DEF_HELPER_3(n, f, r, a, b, c) dh_ctype(r) helper_##n(dh_ctype(a), dh_ctype(b), dh_ctype(c));
#define DEF_HELPER_4(n, f, r, a, b, c, d) \
    dh_ctype(r) helper_##n(dh_ctype(a), dh_ctype(b), dh_ctype(c), dh_ctype(d));
#define DEF_HELPER_5(n, f, r, a, b, c, d, e) \
    dh_ctype(r) helper_##n(dh_ctype(a), dh_ctype(b), dh_ctype(c), dh_ctype(d), dh_ctype(e));
#define DEF_HELPER_6(n, f, r, a, b, c, d, e, g) \
    dh_ctype(r) helper_##n(dh_ctype(a), dh_ctype(b), dh_ctype(c), dh_ctype(d), dh_ctype(e), dh_ctype(g));

#elif HELPER_MODE == HELPER_INFO
#define DH_INFO(n, f, r, cnt, ...) \
    const TCGHelperInfo helper_info_##n = { .func = (void *)helper_##n, .name = #n, .flags = (f), \
        .nb_args = (cnt), .ret_type = dh_calltype(r), .arg_types = { __VA_ARGS__ } };
#define DEF_HELPER_0(n, f, r) DH_INFO(n, f, r, 0, 0)
#define DEF_HELPER_1(n, f, r, a) DH_INFO(n, f, r, 1, dh_calltype(a))
#define DEF_HELPER_2(n, f, r, a, b) DH_INFO(n, f, r, 2, dh_calltype(a), dh_calltype(b))
#define DEF_HELPER_3(n, f, r, a, b, c) DH_INFO(n, f, r, 3, dh_calltype(a), dh_calltype(b), dh_calltype(c))
#define DEF_HELPER_4(n, f, r, a, b, c, d) \
    DH_INFO(n, f, r, 4, dh_calltype(a), dh_calltype(b), dh_calltype(c), dh_calltype(d))
#define DEF_HELPER_5(n, f, r, a, b, c, d, e) \
    DH_INFO(n, f, r, 5, dh_calltype(a), dh_calltype(b), dh_calltype(c), dh_calltype(d), dh_calltype(e))
#define DEF_HELPER_6(n, f, r, a, b, c, d, e, g) \
    DH_INFO(n, f, r, 6, dh_calltype(a), dh_calltype(b), dh_calltype(c), dh_calltype(d), dh_calltype(e), dh_calltype(g))

#elif HELPER_MODE == HELPER_GEN
#define DEF_HELPER_0(n, f, r) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r)) \
    { tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 0, NULL); }
#define DEF_HELPER_1(n, f, r, a) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1) \
    { TCGv v[] = { a1 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 1, v); }
#define DEF_HELPER_2(n, f, r, a, b) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1, TCGv a2) \
    { TCGv v[] = { a1, a2 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 2, v); }
#define DEF_HELPER_3(n, f, r, a, b, c) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1, TCGv a2, TCGv a3) \
    { TCGv v[] = { a1, a2, a3 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 3, v); }
#define DEF_HELPER_4(n, f, r, a, b, c, d) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1, TCGv a2, TCGv a3, TCGv a4) \
    { TCGv v[] = { a1, a2, a3, a4 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 4, v); }
#define DEF_HELPER_5(n, f, r, a, b, c, d, e) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1, TCGv a2, TCGv a3, TCGv a4, TCGv a5) \
    { TCGv v[] = { a1, a2, a3, a4, a5 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 5, v); }
#define DEF_HELPER_6(n, f, r, a, b, c, d, e, g) extern const TCGHelperInfo helper_info_##n; \
    static inline void gen_helper_##n(TCGContext *s dh_retdecl(r), TCGv a1, TCGv a2, TCGv a3, TCGv a4, TCGv a5, TCGv a6) \
    { TCGv v[] = { a1, a2, a3, a4, a5, a6 }; tcg_gen_call(s, &helper_info_##n, dh_retvar(r), 6, v); }
#else
#error "set HELPER_MODE to HELPER_PROTO, HELPER_INFO or HELPER_GEN"
#endif
