# Device unit tests: each device's registers driven through a port space,
# timing against a fake clock, checked against the datasheets.
DEVICE_TESTS := i8259 i8254 mc146818rtc uart16550 i8042
DEVICE_TEST_OBJS := $(BUILD)/softmmu/memory.o $(BUILD)/devices/timer.o
DEVICE_TEST_BINS := $(patsubst %,$(BUILD)/tests/devices/test_%,$(DEVICE_TESTS))

$(BUILD)/tests/devices/test_%: tests/devices/test_%.c tests/devices/devtest.h $(BUILD)/devices/%.o $(DEVICE_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/devices/$*.o $(DEVICE_TEST_OBJS)

CHECK_DEPS += $(DEVICE_TEST_BINS)
CHECK_SUITES += $(DEVICE_TEST_BINS)

# The timer list itself (devices/timer.o is already among the objects).
$(BUILD)/tests/devices/test_timer: tests/devices/test_timer.c tests/devices/devtest.h $(DEVICE_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(DEVICE_TEST_OBJS)

CHECK_DEPS += $(BUILD)/tests/devices/test_timer
CHECK_SUITES += $(BUILD)/tests/devices/test_timer
