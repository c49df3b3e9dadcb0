# Native differential test of MMX/SSE..SSE4.2: tests/native-sse/sse.c built
# hosted (host CPU = the oracle) and as a bare-metal guest for kasou; tests/native/run.sh (bases sse, sse64)
# compares the per-form hashes, under the JIT and the interpreter.
include tests/guest/x86/runtime.mk

NSSE_OUT  := $(BUILD)/tests/native-sse
NSSE_DEPS := tests/native-sse/sse.c tests/native-sse/forms.h $(GUEST_X86_HDRS)
# the C code must leave every MMX/SSE register to the snippets
NSSE_CFLAGS := $(filter-out -mgeneral-regs-only,$(GUEST_X86_CFLAGS)) -mno-sse -mno-sse2 -mno-mmx

$(NSSE_OUT)/sse-native: $(NSSE_DEPS)
	@mkdir -p $(dir $@)
	gcc -m32 -O2 -fno-pic -no-pie -mno-sse -mno-sse2 -mno-mmx -Wall -Wextra -Werror \
	    -Wno-unused-parameter -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native-sse/sse.c -o $@

$(NSSE_OUT)/sse.o: $(NSSE_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE_CFLAGS) -c $< -o $@

$(NSSE_OUT)/sse-full.o: $(NSSE_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@

$(NSSE_OUT)/%.elf: $(NSSE_OUT)/%.o $(GUEST_X86_RT) $(GUEST_X86_DIR)/guest.ld
	$(call guest_x86_link,$@,$(GUEST_X86_RT) $<)

.SECONDARY: $(NSSE_OUT)/sse.o $(NSSE_OUT)/sse-full.o

CHECK_DEPS   += $(NSSE_OUT)/sse-native $(NSSE_OUT)/sse.elf $(NSSE_OUT)/sse-full.elf
CHECK_SUITES += "tests/native/run.sh $(NSSE_OUT) sse"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NSSE_OUT) sse"

# The system side (#UD/#NM/#GP, FXSAVE image): a bare-metal guest whose
# output must equal QEMU's, run by the guest suite's runner.
$(NSSE_OUT)/ssesys.o: tests/native-sse/ssesys.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE_CFLAGS) -c $< -o $@
.SECONDARY: $(NSSE_OUT)/ssesys.o
CHECK_DEPS   += $(NSSE_OUT)/ssesys.elf
CHECK_SUITES += "tests/guest/x86/run.sh $(NSSE_OUT) ssesys"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/guest/x86/run.sh $(NSSE_OUT) ssesys"

# Faults where QEMU is no oracle (#XM, reserved MXCSR bits, the MMX
# exponent): ssefault.c hosted (signals) against the same guest under kasou.
$(NSSE_OUT)/ssefault-native: tests/native-sse/ssefault.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	gcc -m32 -O2 -fno-pic -no-pie -mno-sse -mno-sse2 -mno-mmx -Wall -Wextra -Werror \
	    -Wno-unused-parameter -DNATIVE_HOSTED -I$(GUEST_X86_DIR) $< -o $@
$(NSSE_OUT)/ssefault.o: tests/native-sse/ssefault.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE_CFLAGS) -c $< -o $@
.SECONDARY: $(NSSE_OUT)/ssefault.o
CHECK_DEPS   += $(NSSE_OUT)/ssefault-native $(NSSE_OUT)/ssefault.elf
CHECK_SUITES += "tests/native-sse/fault.sh $(NSSE_OUT)"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native-sse/fault.sh $(NSSE_OUT)"

# The same test in 64-bit mode (sse.c built -m64 adds forms64.h: REX.W
# forms, XMM8-15, RIP-relative operands), on the x86_64 guest runtime of
# tests/guest/x86_64 when the tree has it (its objects are named by path:
# that suite.mk is read after this one).
ifneq ($(wildcard tests/guest/x86_64/lib64.h),)
NSSE64_RT := $(BUILD)/tests/guest/x86_64/rt/start.o $(BUILD)/tests/guest/x86_64/rt/lib64.o \
             $(BUILD)/tests/guest/x86_64/rt/lib.o
NSSE64_CFLAGS = $(filter-out -mgeneral-regs-only,$(GUEST_X64_CFLAGS)) -mno-sse -mno-sse2 -mno-mmx

$(NSSE_OUT)/sse64-native: $(NSSE_DEPS) tests/native-sse/forms64.h
	@mkdir -p $(dir $@)
	gcc -m64 -O2 -fno-pic -no-pie -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -Wall -Wextra \
	    -Werror -Wno-unused-parameter -DNATIVE_HOSTED -I$(GUEST_X86_DIR) tests/native-sse/sse.c -o $@
$(NSSE_OUT)/sse64.o: $(NSSE_DEPS) tests/native-sse/forms64.h
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE64_CFLAGS) -c tests/native-sse/sse.c -o $@
$(NSSE_OUT)/sse64-full.o: $(NSSE_DEPS) tests/native-sse/forms64.h
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NSSE64_CFLAGS) -DNATIVE_FULL=1 -c tests/native-sse/sse.c -o $@
$(NSSE_OUT)/sse64.elf64 $(NSSE_OUT)/sse64-full.elf64: $(NSSE_OUT)/%.elf64: $(NSSE_OUT)/%.o \
		$(NSSE64_RT) tests/guest/x86_64/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(NSSE64_RT) $< -lgcc
$(NSSE_OUT)/sse64.elf $(NSSE_OUT)/sse64-full.elf: $(NSSE_OUT)/%.elf: $(NSSE_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@
.SECONDARY: $(NSSE_OUT)/sse64.o $(NSSE_OUT)/sse64-full.o $(NSSE_OUT)/sse64.elf64 \
            $(NSSE_OUT)/sse64-full.elf64
CHECK_DEPS   += $(NSSE_OUT)/sse64-native $(NSSE_OUT)/sse64.elf $(NSSE_OUT)/sse64-full.elf
CHECK_SUITES += "tests/native/run.sh $(NSSE_OUT) sse64"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NSSE_OUT) sse64"
endif
