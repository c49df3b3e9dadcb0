# Golden dumps of x86 guest snippets: -d in_asm,op,op_opt,out_asm of one
# block each, position-free, against tests/golden/expected/<name>.txt
# (tests/golden/test_golden.c). UPDATE_GOLDEN=1 make check rewrites them.
GOLDEN_TEST := $(BUILD)/tests/golden/test_golden
GOLDEN_TEST_OBJS := $(filter-out $(BUILD)/machine/%,$(KASOU_OBJS))

$(GOLDEN_TEST): tests/golden/test_golden.c $(GOLDEN_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(GOLDEN_TEST_OBJS) $(LDFLAGS) $(LDLIBS)

CHECK_DEPS += $(GOLDEN_TEST)
CHECK_SUITES += "$(GOLDEN_TEST) tests/golden/expected"
