# IR core and interpreter unit tests: no guest frontend needed. Symbols
# owned by other layers (cpu_ld_mmu, helper_lookup_tb_ptr) are stubbed in
# the test itself.
TEST_IR_SRCS := tests/unit/test_ir.c tcg/tcg.c tcg/optimize.c tcg/liveness.c \
                tcg/dump.c backend/interp/interp.c
TEST_IR_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(TEST_IR_SRCS))

$(BUILD)/tests/unit/test_ir: $(TEST_IR_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lffi -lm

-include $(BUILD)/tests/unit/test_ir.d

CHECK_DEPS += $(BUILD)/tests/unit/test_ir
CHECK_SUITES += $(BUILD)/tests/unit/test_ir
