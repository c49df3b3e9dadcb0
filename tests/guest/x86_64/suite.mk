# 64-bit bare-metal guests: a 32-bit multiboot entry switches to long mode
# (start.S); C built -m64. Linked as ELF64 and converted to ELF32 so both
# kasou's multiboot loader and qemu-system-x86_64 -kernel accept them. Each
# runs under kasou (-cpu qemu64) and qemu-system-x86_64; the outputs must be
# equal line by line (run.sh).
include tests/guest/x86/runtime.mk

GUEST_X64_DIR    := tests/guest/x86_64
GUEST_X64_OUT    := $(BUILD)/tests/guest/x86_64
GUEST_X64_CFLAGS := -m64 -mno-red-zone -mcmodel=small -ffreestanding -fno-pic -fno-pie \
                    -fno-stack-protector -nostdlib -O2 -mgeneral-regs-only -fno-builtin \
                    -fno-asynchronous-unwind-tables -Wall -Wextra -Werror \
                    -Wno-unused-parameter -I$(GUEST_X64_DIR) -I$(GUEST_X86_DIR)
GUEST_X64_LDFLAGS := -m64 -nostdlib -no-pie -static \
                     -Wl,--build-id=none,-z,noexecstack,--no-warn-rwx-segments \
                     -T $(GUEST_X64_DIR)/guest.ld
GUEST_X64_RT     := $(GUEST_X64_OUT)/rt/start.o $(GUEST_X64_OUT)/rt/lib64.o \
                    $(GUEST_X64_OUT)/rt/lib.o
GUEST_X64_HDRS   := $(GUEST_X64_DIR)/lib64.h $(GUEST_X86_DIR)/lib.h

# Programs that pass under kasou are listed in GUEST_X64_PROGS (make check);
# GUEST_X64_PENDING are built, and runnable by hand with run.sh, but wait
# for the 64-bit translator.
GUEST_X64_PROGS   := hello paging64 rings64 compat64 df64 debug64
GUEST_X64_PENDING :=
# run with -cpu max on both sides (features qemu64 lacks)
GUEST_X64_MAX     := max64
GUEST_X64_ALL     := $(GUEST_X64_PROGS) $(GUEST_X64_PENDING) $(GUEST_X64_MAX)
GUEST_X64_ELFS    := $(patsubst %,$(GUEST_X64_OUT)/%.elf,$(GUEST_X64_ALL))

$(GUEST_X64_OUT)/rt/start.o: $(GUEST_X64_DIR)/start.S
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(GUEST_X64_OUT)/rt/lib64.o: $(GUEST_X64_DIR)/lib64.c $(GUEST_X64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(GUEST_X64_OUT)/rt/lib.o: $(GUEST_X86_DIR)/lib.c $(GUEST_X64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(GUEST_X64_OUT)/%.o: $(GUEST_X64_DIR)/%.c $(GUEST_X64_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(GUEST_X64_OUT)/%.elf64: $(GUEST_X64_OUT)/%.o $(GUEST_X64_RT) $(GUEST_X64_DIR)/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(GUEST_X64_RT) $< -lgcc
$(GUEST_X64_OUT)/%.elf: $(GUEST_X64_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@

.SECONDARY: $(GUEST_X64_RT) $(patsubst %,$(GUEST_X64_OUT)/%.o,$(GUEST_X64_ALL)) \
            $(patsubst %,$(GUEST_X64_OUT)/%.elf64,$(GUEST_X64_ALL))

CHECK_DEPS += $(GUEST_X64_ELFS)
ifneq ($(strip $(GUEST_X64_PROGS)),)
CHECK_SUITES += "tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,chain=off,tlb-inline=off' tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,one-insn-per-tb=on' tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_PROGS)"
CHECK_SUITES += "GUEST_CPU=max tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_MAX)"
# the -d trap lines of the system side, in the issue's shapes
CHECK_SUITES += "tests/guest/x86_64/trap-log.sh $(GUEST_X64_OUT)"
CHECK_SUITES += "GUEST_CPU=max KASOU_ACCEL='-accel tci' tests/guest/x86_64/run.sh $(GUEST_X64_OUT) $(GUEST_X64_MAX)"
endif
