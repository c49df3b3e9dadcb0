# Native differential test of the x87: tests/native-fpu/fpu.c built hosted
# (host CPU = the oracle) and as a bare-metal guest for kasou; the per-form
# hashes are compared by tests/native/run.sh (same protocol, same names of
# the three programs in the build directory).
include tests/guest/x86/runtime.mk

NFPU_OUT  := $(BUILD)/tests/native-fpu
NFPU_SRC_DEPS := tests/native-fpu/fpu.c $(GUEST_X86_HDRS)

$(NFPU_OUT)/insn-native: $(NFPU_SRC_DEPS)
	@mkdir -p $(dir $@)
	gcc -m32 -O2 -fno-pic -no-pie -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native-fpu/fpu.c -o $@

$(NFPU_OUT)/insn.o: $(NFPU_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(NFPU_OUT)/insn-full.o: $(NFPU_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@

$(NFPU_OUT)/%.elf: $(NFPU_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

.SECONDARY: $(NFPU_OUT)/insn.o $(NFPU_OUT)/insn-full.o

CHECK_DEPS   += $(NFPU_OUT)/insn-native $(NFPU_OUT)/insn.elf $(NFPU_OUT)/insn-full.elf
CHECK_SUITES += "tests/native/run.sh $(NFPU_OUT)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NFPU_OUT)"

# The transcendentals, compared with a tolerance (trans.sh).
$(NFPU_OUT)/trans-native: tests/native-fpu/trans.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	gcc -m32 -O2 -fno-pic -no-pie -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native-fpu/trans.c -o $@

$(NFPU_OUT)/trans.o: tests/native-fpu/trans.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

.SECONDARY: $(NFPU_OUT)/trans.o

CHECK_DEPS   += $(NFPU_OUT)/trans-native $(NFPU_OUT)/trans.elf
CHECK_SUITES += "tests/native-fpu/trans.sh $(NFPU_OUT)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native-fpu/trans.sh $(NFPU_OUT)"
