# softmmu/ unit tests: memory map, MMIO sizing, bounds checks, soft TLB
# (tests/softmmu/test_softmmu.c, with the TB layer stubbed).
SOFTMMU_TEST_OBJS := $(BUILD)/softmmu/memory.o $(BUILD)/softmmu/tlb.o $(BUILD)/tcg/log.o
$(BUILD)/tests/softmmu/test_softmmu: tests/softmmu/test_softmmu.c $(SOFTMMU_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(SOFTMMU_TEST_OBJS)

CHECK_DEPS += $(BUILD)/tests/softmmu/test_softmmu
CHECK_SUITES += $(BUILD)/tests/softmmu/test_softmmu

# The exec loop + TB cache + translator loop with a toy guest, under the JIT
# (chained and not) and the interpreter (tests/softmmu/test_exec.c).
EXEC_TEST_OBJS := $(filter $(BUILD)/tcg/% $(BUILD)/backend/% $(BUILD)/softmmu/%,$(KASOU_OBJS))
$(BUILD)/tests/softmmu/test_exec: tests/softmmu/test_exec.c $(EXEC_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(EXEC_TEST_OBJS) $(LDLIBS)

CHECK_DEPS += $(BUILD)/tests/softmmu/test_exec
CHECK_SUITES += $(BUILD)/tests/softmmu/test_exec
