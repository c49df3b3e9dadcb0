# The x87 native differential test in 64-bit mode: tests/native-fpu/fpu.c
# built as an x86-64 Linux program (the oracle) and on the x86_64 guest
# runtime; compared by tests/native/run.sh with base "insn64" (which runs
# the guest with -cpu qemu64). This file sits one level down so that it is
# read after tests/guest/x86_64/suite.mk, whose runtime it uses; without
# that runtime it adds nothing.
ifdef GUEST_X64_CFLAGS
NFPU64_OUT := $(BUILD)/tests/native-fpu/64
NFPU64_RT  := $(GUEST_X64_OUT)/rt/start.o $(GUEST_X64_OUT)/rt/lib64.o $(GUEST_X64_OUT)/rt/lib.o
NFPU64_DEPS := tests/native-fpu/fpu.c $(GUEST_X64_DIR)/lib64.h $(GUEST_X86_HDRS)

$(NFPU64_OUT)/insn64-native: $(NFPU64_DEPS)
	@mkdir -p $(dir $@)
	gcc -m64 -O2 -fno-pic -no-pie -mno-red-zone -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native-fpu/fpu.c -o $@

$(NFPU64_OUT)/insn64.o: $(NFPU64_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@

$(NFPU64_OUT)/insn64-full.o: $(NFPU64_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@

$(NFPU64_OUT)/insn64.elf64 $(NFPU64_OUT)/insn64-full.elf64: $(NFPU64_OUT)/%.elf64: \
		$(NFPU64_OUT)/%.o $(NFPU64_RT) $(GUEST_X64_DIR)/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(NFPU64_RT) $< -lgcc
$(NFPU64_OUT)/insn64.elf $(NFPU64_OUT)/insn64-full.elf: $(NFPU64_OUT)/%.elf: $(NFPU64_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@

.SECONDARY: $(NFPU64_OUT)/insn64.o $(NFPU64_OUT)/insn64-full.o $(NFPU64_OUT)/insn64.elf64 \
            $(NFPU64_OUT)/insn64-full.elf64

CHECK_DEPS   += $(NFPU64_OUT)/insn64-native $(NFPU64_OUT)/insn64.elf $(NFPU64_OUT)/insn64-full.elf
CHECK_SUITES += "tests/native/run.sh $(NFPU64_OUT) insn64"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NFPU64_OUT) insn64"
endif
