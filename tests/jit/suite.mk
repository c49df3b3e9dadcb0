# The x86-64 JIT against the interpreter, plus golden host-code dumps
# (tests/jit/test_jit.c). UPDATE_GOLDEN=1 make check rewrites tests/jit/golden.
JIT_TEST := $(BUILD)/tests/jit/test_jit
JIT_TEST_OBJS := $(BUILD)/tcg/tcg.o $(BUILD)/tcg/liveness.o $(BUILD)/tcg/dump.o $(BUILD)/tcg/disas.o $(BUILD)/tcg/optimize.o $(BUILD)/tcg/regalloc.o \
                 $(BUILD)/tcg/codebuf.o $(BUILD)/backend/x86_64/codegen.o \
                 $(BUILD)/backend/interp/interp.o

$(JIT_TEST): tests/jit/test_jit.c $(JIT_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(JIT_TEST_OBJS) $(shell pkg-config --libs capstone libffi)

CHECK_DEPS += $(JIT_TEST)
CHECK_SUITES += "$(JIT_TEST) tests/jit/golden"
