# Bare-metal x86 guest programs, each run under kasou and QEMU; the outputs
# must be equal line by line, kasou must exit with status 1 (exit(0)) and the
# program's own self-checks must print PASS and no FAIL.
include tests/guest/x86/runtime.mk

GUEST_X86_PROGS := arith logic bitops muldiv string bcd control misc ring3 debugreg \
                   exceptions paging smc pae gates tasks sysenter timer sysregs x87
GUEST_X86_ELFS  := $(patsubst %,$(GUEST_X86_OUT)/%.elf,$(GUEST_X86_PROGS))

$(GUEST_X86_OUT)/%.o: $(GUEST_X86_DIR)/%.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(GUEST_X86_OUT)/%.elf: $(GUEST_X86_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

.SECONDARY: $(patsubst %,$(GUEST_X86_OUT)/%.o,$(GUEST_X86_PROGS))

CHECK_DEPS   += $(GUEST_X86_ELFS)
CHECK_SUITES += "tests/guest/x86/run.sh $(GUEST_X86_OUT) $(GUEST_X86_PROGS)"
# The same guests with the interpreter and with each fast path off: the JIT,
# the interpreter and every switch must print what QEMU prints.
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/x86/run.sh $(GUEST_X86_OUT) $(GUEST_X86_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,chain=off,tlb-inline=off' tests/guest/x86/run.sh $(GUEST_X86_OUT) $(GUEST_X86_PROGS)"
CHECK_SUITES += "KASOU_ACCEL='-accel tcg,one-insn-per-tb=on' tests/guest/x86/run.sh $(GUEST_X86_OUT) $(GUEST_X86_PROGS)"
# A guest idle in HLT costs no host CPU and keeps host time (not QEMU-compared).
CHECK_DEPS   += $(GUEST_X86_OUT)/idle.elf
CHECK_SUITES += "tests/guest/x86/idle.sh $(GUEST_X86_OUT)/idle.elf"
# The keyboard controller and both reset lines, rebooting under QEMU and kasou.
CHECK_DEPS   += $(GUEST_X86_OUT)/kbc.elf
CHECK_SUITES += "tests/guest/x86/reset.sh $(GUEST_X86_OUT)/kbc.elf"
# -rtc base= (a date, a day, localtime, utc) against QEMU.
CHECK_DEPS   += $(GUEST_X86_OUT)/rtcdate.elf
CHECK_SUITES += "tests/guest/x86/rtc.sh $(GUEST_X86_OUT)/rtcdate.elf"
# DR7.GD (QEMU 7.2 lacks it: checked against the SDM) and the -d trap lines
# of the debug registers, INVD and WBINVD.
CHECK_DEPS   += $(GUEST_X86_OUT)/debuggd.elf
CHECK_SUITES += "tests/guest/x86/debuggd.sh $(GUEST_X86_OUT)/debuggd.elf"
# Segment limit and type checks on data accesses (QEMU 7.2 has none): the
# sdm.* cases against the SDM, every other line against QEMU.
CHECK_DEPS   += $(GUEST_X86_OUT)/seglimit.elf
CHECK_SUITES += "tests/guest/x86/seglimit.sh $(GUEST_X86_OUT)/seglimit.elf"
