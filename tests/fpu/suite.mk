# fpu/ soft-float against the host CPU's x87 and SSE units (bit-exact
# results and exception flags in every rounding mode and precision).
TEST_FPU_SRCS := tests/fpu/test_softfloat.c fpu/softfloat.c
TEST_FPU_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TEST_FPU_SRCS))

$(BUILD)/tests/fpu/test_softfloat: $(TEST_FPU_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

-include $(BUILD)/tests/fpu/test_softfloat.d

CHECK_DEPS += $(BUILD)/tests/fpu/test_softfloat
CHECK_SUITES += $(BUILD)/tests/fpu/test_softfloat
