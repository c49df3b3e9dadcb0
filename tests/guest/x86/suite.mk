# Bare-metal x86 guest programs, each run under kasou and QEMU; the outputs
# must be equal line by line, kasou must exit with status 1 (exit(0)) and the
# program's own self-checks must print PASS and no FAIL.
include tests/guest/x86/runtime.mk

GUEST_X86_PROGS := arith logic bitops muldiv string bcd control misc ring3 debugreg \
                   exceptions paging smc pae gates tasks sysenter timer sysregs x87 lzcnt \
                   tasks16
GUEST_X86_ELFS  := $(patsubst %,$(GUEST_X86_OUT)/%.elf,$(GUEST_X86_PROGS))

$(GUEST_X86_OUT)/%.o: $(GUEST_X86_DIR)/%.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@

$(GUEST_X86_OUT)/%.elf: $(GUEST_X86_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $(GUEST_X86_EXTRA) $<)

# the guests that run code at CPL3 link the ring-3 runtime (user.h)
GUEST_X86_USER_PROGS := ring3 gates sysenter xsave xsavesdm
$(patsubst %,$(GUEST_X86_OUT)/%.elf,$(GUEST_X86_USER_PROGS)): GUEST_X86_EXTRA := $(GUEST_X86_OUT)/rt/user.o
$(patsubst %,$(GUEST_X86_OUT)/%.elf,$(GUEST_X86_USER_PROGS)): $(GUEST_X86_OUT)/rt/user.o

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
# FERR#/IRQ 13 and IGNNE# with CR0.NE = 0 (QEMU 7.2 aborts on FERR#:
# checked against the SDM) and their -d trap lines.
CHECK_DEPS   += $(GUEST_X86_OUT)/ferr.elf
CHECK_SUITES += "tests/guest/x86/sdm.sh ferr $(GUEST_X86_OUT)/ferr.elf"
# CR4.VME/PVI (QEMU's TCG lacks them: checked against the SDM) and their
# -d trap lines.
CHECK_DEPS   += $(GUEST_X86_OUT)/vme.elf
CHECK_SUITES += "tests/guest/x86/sdm.sh vme $(GUEST_X86_OUT)/vme.elf"
# DR7.GD (QEMU 7.2 lacks it: checked against the SDM) and the -d trap lines
# of the debug registers, INVD and WBINVD.
CHECK_DEPS   += $(GUEST_X86_OUT)/debuggd.elf
CHECK_SUITES += "tests/guest/x86/sdm.sh debuggd $(GUEST_X86_OUT)/debuggd.elf"
# The XSAVE feature set (x87 and SSE components) on -cpu max, both emulators.
.SECONDARY: $(GUEST_X86_OUT)/xsave.o
CHECK_DEPS   += $(GUEST_X86_OUT)/xsave.elf
CHECK_SUITES += "GUEST_CPU=max tests/guest/x86/run.sh $(GUEST_X86_OUT) xsave"
CHECK_SUITES += "GUEST_CPU=max KASOU_ACCEL='-accel tci' tests/guest/x86/run.sh $(GUEST_X86_OUT) xsave"
CHECK_SUITES += "GUEST_CPU=max KASOU_ACCEL='-accel tcg,chain=off,tlb-inline=off' tests/guest/x86/run.sh $(GUEST_X86_OUT) xsave"
CHECK_SUITES += "GUEST_CPU=max KASOU_ACCEL='-accel tcg,one-insn-per-tb=on' tests/guest/x86/run.sh $(GUEST_X86_OUT) xsave"
# What QEMU 7.2 lacks of XSAVE (#NM with CR0.TS, reserved MXCSR bits, the
# x87 registers an initialising XRSTOR zeroes): kasou only, against the SDM.
$(GUEST_X86_OUT)/xsavesdm.o: $(GUEST_X86_DIR)/xsave.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -DXSAVE_SDM -c $< -o $@
.SECONDARY: $(GUEST_X86_OUT)/xsavesdm.o
CHECK_DEPS   += $(GUEST_X86_OUT)/xsavesdm.elf
CHECK_SUITES += "tests/guest/x86/sdm.sh xsavesdm $(GUEST_X86_OUT)/xsavesdm.elf"
CHECK_SUITES += "tests/guest/x86/sdm.sh xsavesdm-qemu32 $(GUEST_X86_OUT)/xsavesdm.elf"
# Segment limit and type checks on data accesses (QEMU 7.2 has none): the
# sdm.* cases against the SDM, every other line against QEMU.
CHECK_DEPS   += $(GUEST_X86_OUT)/seglimit.elf
CHECK_SUITES += "tests/guest/x86/seglimit.sh $(GUEST_X86_OUT)/seglimit.elf"
