# Register-level unit tests of the pc board's interrupt controllers, PCI
# host, fw_cfg, ACPI PM and ACPI tables (tests/devices-pc/*.c), each
# device driven through its registers with a fake device clock.
DEVPC_TEST_DEVS := apic ioapic timer pci piix acpi_pm fw_cfg hpet
DEVPC_TEST_OBJS := $(patsubst %,$(BUILD)/devices/%.o,$(DEVPC_TEST_DEVS)) $(BUILD)/softmmu/memory.o \
                   $(BUILD)/machine/acpi.o $(BUILD)/machine/fw_cfg_linux.o
DEVPC_TEST_SRCS := $(wildcard tests/devices-pc/*.c)
$(BUILD)/tests/devices-pc/test_devices_pc: $(DEVPC_TEST_SRCS) tests/devices-pc/devtest.h $(DEVPC_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(DEVPC_TEST_SRCS) $(DEVPC_TEST_OBJS) $(LDLIBS)

CHECK_DEPS += $(BUILD)/tests/devices-pc/test_devices_pc
CHECK_SUITES += $(BUILD)/tests/devices-pc/test_devices_pc

# Bare-metal guests of the chipset (sources in tests/guest/x86, built by
# its pattern rule), run under QEMU and kasou: pcboard's output must match
# QEMU's line by line (JIT and interpreter); pcpower's power off and
# resets must end both with status 0.
include tests/guest/x86/runtime.mk
DEVPC_GUESTS := $(GUEST_X86_OUT)/pcboard.elf $(GUEST_X86_OUT)/pcpower.elf
.SECONDARY: $(GUEST_X86_OUT)/pcboard.o $(GUEST_X86_OUT)/pcpower.o
CHECK_DEPS += $(DEVPC_GUESTS)
CHECK_SUITES += "tests/guest/x86/run.sh $(GUEST_X86_OUT) pcboard"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/x86/run.sh $(GUEST_X86_OUT) pcboard"
CHECK_SUITES += "tests/devices-pc/power.sh $(GUEST_X86_OUT)/pcpower.elf"
