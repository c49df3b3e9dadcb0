# Bare-metal AArch64 guest programs, each run under kasou and QEMU
# (qemu-system-aarch64 -M virt -cpu cortex-a57); the outputs must be equal
# line by line, kasou must exit 0 (PSCI SYSTEM_OFF) and the program's own
# self-checks must print PASS and no FAIL. Built with clang for AArch64 and
# linked with binutils' aarch64-linux-gnu-ld: Debian's gcc-aarch64-linux-gnu
# conflicts with gcc-multilib, which the x86 guests need.
GUEST_A64_DIR    := tests/guest/arm64
GUEST_A64_OUT    := $(BUILD)/tests/guest/arm64
GUEST_A64_CC     := clang --target=aarch64-linux-gnu
GUEST_A64_LD     := aarch64-linux-gnu-ld
GUEST_A64_CFLAGS := -ffreestanding -fno-pic -fno-stack-protector -nostdlib -O2 \
                    -mgeneral-regs-only -mstrict-align -fno-builtin \
                    -fno-asynchronous-unwind-tables -march=armv8-a+crc \
                    -Wall -Wextra -Werror -Wno-unused-parameter -I$(GUEST_A64_DIR)
GUEST_A64_LDFLAGS := -static --build-id=none -z noexecstack --no-warn-rwx-segments \
                     -T $(GUEST_A64_DIR)/guest.ld
GUEST_A64_RT     := $(GUEST_A64_OUT)/rt/start.o $(GUEST_A64_OUT)/rt/lib.o

GUEST_A64_PROGS  := arith ldst excp mmu smc irq randdp randldst rtc pmu asid
# sysinline: the system instructions translated without helpers at EL1
GUEST_A64_PROGS  += sysinline
GUEST_A64_ELFS   := $(patsubst %,$(GUEST_A64_OUT)/%.elf,$(GUEST_A64_PROGS) semihost)

$(GUEST_A64_OUT)/rt/%.o: $(GUEST_A64_DIR)/%.S
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(GUEST_A64_CFLAGS) -c $< -o $@

$(GUEST_A64_OUT)/rt/%.o: $(GUEST_A64_DIR)/%.c $(GUEST_A64_DIR)/lib.h
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(GUEST_A64_CFLAGS) -c $< -o $@

$(GUEST_A64_OUT)/%.o: $(GUEST_A64_DIR)/%.c $(GUEST_A64_DIR)/lib.h $(GUEST_A64_DIR)/runcode.h
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(GUEST_A64_CFLAGS) -c $< -o $@

$(GUEST_A64_OUT)/%.elf: $(GUEST_A64_OUT)/%.o $(GUEST_A64_RT) $(GUEST_A64_DIR)/guest.ld
	$(GUEST_A64_LD) $(GUEST_A64_LDFLAGS) -o $@ $(GUEST_A64_RT) $<

.SECONDARY: $(patsubst %,$(GUEST_A64_OUT)/%.o,$(GUEST_A64_PROGS)) $(GUEST_A64_RT)

CHECK_DEPS   += $(GUEST_A64_ELFS)
CHECK_SUITES += "tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,chain=off,tlb-inline=off' tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,one-insn-per-tb=on' tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_PROGS)"
CHECK_SUITES += "tests/guest/arm64/cli.sh $(GUEST_A64_OUT) $(BUILD)/tests/guest/x86/arith.elf"

# bootinfo: the same runtime behind an arm64 Image header, booted as Linux
# is (raw and gzip'd Image, -append, -initrd, a device tree in x0)
GUEST_A64_OBJCOPY := aarch64-linux-gnu-objcopy
$(GUEST_A64_OUT)/bootinfo.img.elf: $(GUEST_A64_OUT)/bootinfo.o $(GUEST_A64_OUT)/rt/image_head.o \
                                   $(GUEST_A64_RT) $(GUEST_A64_DIR)/guest-image.ld
	$(GUEST_A64_LD) -static --build-id=none -z noexecstack --no-warn-rwx-segments \
	    -T $(GUEST_A64_DIR)/guest-image.ld -o $@ $(GUEST_A64_OUT)/rt/image_head.o $(GUEST_A64_RT) $<
$(GUEST_A64_OUT)/bootinfo.Image: $(GUEST_A64_OUT)/bootinfo.img.elf
	$(GUEST_A64_OBJCOPY) -O binary $< $@
$(GUEST_A64_OUT)/bootinfo.Image.gz: $(GUEST_A64_OUT)/bootinfo.Image
	gzip -9nc $< > $@
.SECONDARY: $(GUEST_A64_OUT)/bootinfo.o $(GUEST_A64_OUT)/rt/image_head.o
CHECK_DEPS   += $(GUEST_A64_OUT)/bootinfo.Image $(GUEST_A64_OUT)/bootinfo.Image.gz
CHECK_SUITES += "tests/guest/arm64/image.sh $(GUEST_A64_OUT)"

# FP/SIMD guests: FP and Advanced SIMD allowed (the runtime stays
# general-registers only; each program enables CPACR_EL1.FPEN itself)
GUEST_A64_FP_PROGS  := fpmove fparith neonint simdscalar fpfma align neonsat randsimd
GUEST_A64_FP_CFLAGS := $(filter-out -mgeneral-regs-only,$(GUEST_A64_CFLAGS)) -fno-vectorize -fno-slp-vectorize
$(patsubst %,$(GUEST_A64_OUT)/%.o,$(GUEST_A64_FP_PROGS)): $(GUEST_A64_OUT)/%.o: $(GUEST_A64_DIR)/%.c $(GUEST_A64_DIR)/lib.h $(GUEST_A64_DIR)/vregs.h
	@mkdir -p $(dir $@)
	$(GUEST_A64_CC) $(GUEST_A64_FP_CFLAGS) -c $< -o $@
.SECONDARY: $(patsubst %,$(GUEST_A64_OUT)/%.o,$(GUEST_A64_FP_PROGS))
CHECK_DEPS   += $(patsubst %,$(GUEST_A64_OUT)/%.elf,$(GUEST_A64_FP_PROGS))
CHECK_SUITES += "tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_FP_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_FP_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,one-insn-per-tb=on' tests/guest/arm64/run.sh $(GUEST_A64_OUT) $(GUEST_A64_FP_PROGS)"

# What QEMU 7.2 lacks (Device-memory alignment, store-exclusive alignment
# with the monitor open), checked against the Arm ARM by the programs
# themselves, kasou only
GUEST_A64_ARCH_PROGS := alignsys
CHECK_DEPS   += $(patsubst %,$(GUEST_A64_OUT)/%.elf,$(GUEST_A64_ARCH_PROGS))
CHECK_SUITES += "tests/guest/arm64/archonly.sh $(GUEST_A64_OUT) 'alignsys:alignment fault: read64 at 0x0000000080000004'"
