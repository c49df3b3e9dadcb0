# Native differential test: tests/native/insn.c built hosted (host CPU = the
# oracle) and as a bare-metal guest for kasou; run.sh compares the per-form
# hashes.  `make native-full` builds the variants that print every case.
include tests/guest/x86/runtime.mk

NATIVE_OUT  := $(BUILD)/tests/native
NATIVE_HOST := $(NATIVE_OUT)/insn-native
NATIVE_ELF  := $(NATIVE_OUT)/insn.elf
NATIVE_FULL_ELF := $(NATIVE_OUT)/insn-full.elf
NATIVE_SRC_DEPS := tests/native/insn.c $(GUEST_X86_HDRS)

$(NATIVE_HOST): $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	gcc -m32 -O2 -fno-pic -no-pie -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native/insn.c -o $@

$(NATIVE_OUT)/insn.o: $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(NATIVE_OUT)/insn-full.o: $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@

$(NATIVE_OUT)/%.elf: $(NATIVE_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

.PHONY: native-full
native-full: $(NATIVE_HOST) $(NATIVE_FULL_ELF)
	@echo "full lines: $(NATIVE_HOST) -v ; scripts/run-guest.sh kasou $(NATIVE_FULL_ELF)"

.SECONDARY: $(NATIVE_OUT)/insn.o $(NATIVE_OUT)/insn-full.o

CHECK_DEPS   += $(NATIVE_HOST) $(NATIVE_ELF) $(NATIVE_FULL_ELF)
CHECK_SUITES += "tests/native/run.sh $(NATIVE_OUT)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NATIVE_OUT)"

# The same in 64-bit mode (insn64.c): hosted x86-64 program vs a guest on
# the x86_64 runtime of tests/guest/x86_64 (its objects are named by path:
# that suite.mk is read after this one).
NATIVE64_HOST := $(NATIVE_OUT)/insn64-native
NATIVE64_RT   := $(BUILD)/tests/guest/x86_64/rt/start.o $(BUILD)/tests/guest/x86_64/rt/lib64.o \
                 $(BUILD)/tests/guest/x86_64/rt/lib.o
NATIVE64_DEPS := tests/native/insn64.c tests/guest/x86_64/lib64.h $(GUEST_X86_HDRS)

$(NATIVE64_HOST): $(NATIVE64_DEPS)
	@mkdir -p $(dir $@)
	gcc -m64 -O2 -fno-pic -no-pie -mno-red-zone -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED tests/native/insn64.c -o $@

$(NATIVE_OUT)/insn64.o: $(NATIVE64_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@

$(NATIVE_OUT)/insn64-full.o: $(NATIVE64_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@

$(NATIVE_OUT)/insn64.elf64 $(NATIVE_OUT)/insn64-full.elf64: $(NATIVE_OUT)/%.elf64: \
		$(NATIVE_OUT)/%.o $(NATIVE64_RT) tests/guest/x86_64/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(NATIVE64_RT) $< -lgcc
$(NATIVE_OUT)/insn64.elf $(NATIVE_OUT)/insn64-full.elf: $(NATIVE_OUT)/%.elf: $(NATIVE_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@

.SECONDARY: $(NATIVE_OUT)/insn64.o $(NATIVE_OUT)/insn64-full.o $(NATIVE_OUT)/insn64.elf64 \
            $(NATIVE_OUT)/insn64-full.elf64

CHECK_DEPS   += $(NATIVE64_HOST) $(NATIVE_OUT)/insn64.elf $(NATIVE_OUT)/insn64-full.elf
CHECK_SUITES += "tests/native/run.sh $(NATIVE_OUT) insn64"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NATIVE_OUT) insn64"
