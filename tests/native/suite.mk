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

# And in 16-bit mode (entry16.S): insn.c and lib.c built with -m16 run in a
# 16-bit code segment; the oracle is the 32-bit host build (same forms,
# same results: -m16 code is the same operations with 66/67 prefixes).
NATIVE16_CFLAGS := $(subst -m32,-m16,$(GUEST_X86_CFLAGS))
$(NATIVE_OUT)/m16/%.o: tests/native/%.c $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NATIVE16_CFLAGS) $(NATIVE16_DEFS) -c $< -o $@
$(NATIVE_OUT)/m16/lib.o: $(GUEST_X86_DIR)/lib.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NATIVE16_CFLAGS) -c $< -o $@
$(NATIVE_OUT)/m16/insn-full.o: tests/native/insn.c $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(NATIVE16_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@
# one relocatable object, every symbol prefixed m16_ (no clash with the
# 32-bit runtime's printf, memcpy...)
$(NATIVE_OUT)/m16/%-all.o: $(NATIVE_OUT)/m16/%.o $(NATIVE_OUT)/m16/lib.o $(NATIVE_OUT)/m16/div16.o
	ld -m elf_i386 -r $^ -o $@
	objcopy --prefix-symbols=m16_ $@
$(NATIVE_OUT)/m16/entry16.o: tests/native/entry16.S
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -c $< -o $@
$(NATIVE_OUT)/insn16.elf $(NATIVE_OUT)/insn16-full.elf: $(NATIVE_OUT)/insn16%.elf: \
		$(NATIVE_OUT)/m16/insn%-all.o $(NATIVE_OUT)/m16/entry16.o $(GUEST_X86_RT) tests/native/native16.ld
	$(GUEST_X86_CC) $(subst $(GUEST_X86_DIR)/guest.ld,tests/native/native16.ld,$(GUEST_X86_LDFLAGS)) \
	    -o $@ $(GUEST_X86_RT) $(NATIVE_OUT)/m16/entry16.o $<

.SECONDARY: $(NATIVE_OUT)/m16/insn.o $(NATIVE_OUT)/m16/insn-full.o $(NATIVE_OUT)/m16/lib.o \
            $(NATIVE_OUT)/m16/div16.o $(NATIVE_OUT)/m16/insn-all.o $(NATIVE_OUT)/m16/insn-full-all.o \
            $(NATIVE_OUT)/m16/entry16.o

CHECK_DEPS   += $(NATIVE_OUT)/insn16.elf $(NATIVE_OUT)/insn16-full.elf
CHECK_SUITES += "tests/native/run.sh $(NATIVE_OUT) insn16"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NATIVE_OUT) insn16"

# And in compatibility mode (entry32c.S): insn.c and lib.c compiled -m32,
# assembled as .code32 into the 64-bit image, run in a 32-bit code segment
# under long mode; the oracle is the 32-bit host build.
NATIVE32C_DIR := $(NATIVE_OUT)/m32c
$(NATIVE32C_DIR)/%.s: tests/native/%.c $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -S $< -o $@
$(NATIVE32C_DIR)/insn-full.s: tests/native/insn.c $(NATIVE_SRC_DEPS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -DNATIVE_FULL=1 -S $< -o $@
$(NATIVE32C_DIR)/lib.s: $(GUEST_X86_DIR)/lib.c $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X86_CFLAGS) -S $< -o $@
$(NATIVE32C_DIR)/%.o: $(NATIVE32C_DIR)/%.s
	(echo .code32; cat $<) | as --64 -o $@
$(NATIVE32C_DIR)/%-all.o: $(NATIVE32C_DIR)/%.o $(NATIVE32C_DIR)/lib.o $(NATIVE32C_DIR)/div16.o
	ld -m elf_x86_64 -r $^ -o $@
	objcopy --prefix-symbols=m32_ $@
$(NATIVE32C_DIR)/entry32c.o: tests/native/entry32c.S
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(NATIVE_OUT)/insn32c.elf64 $(NATIVE_OUT)/insn32c-full.elf64: $(NATIVE_OUT)/insn32c%.elf64: \
		$(NATIVE32C_DIR)/insn%-all.o $(NATIVE32C_DIR)/entry32c.o $(NATIVE64_RT) tests/guest/x86_64/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(NATIVE64_RT) $(NATIVE32C_DIR)/entry32c.o $<
$(NATIVE_OUT)/insn32c.elf $(NATIVE_OUT)/insn32c-full.elf: $(NATIVE_OUT)/%.elf: $(NATIVE_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@

.SECONDARY: $(addprefix $(NATIVE32C_DIR)/,insn.s insn-full.s lib.s div16.s insn.o insn-full.o lib.o \
              div16.o insn-all.o insn-full-all.o entry32c.o) \
            $(NATIVE_OUT)/insn32c.elf64 $(NATIVE_OUT)/insn32c-full.elf64

CHECK_DEPS   += $(NATIVE_OUT)/insn32c.elf $(NATIVE_OUT)/insn32c-full.elf
CHECK_SUITES += "tests/native/run.sh $(NATIVE_OUT) insn32c"
CHECK_SUITES += "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NATIVE_OUT) insn32c"

# Hosted x86-64 against a 64-bit guest, one case per line: fault64.c
# (64-bit faults: the host's signal context against the guest's trap
# frame) and compat64.c (registers across compatibility mode).
NATIVE64_X      := fault64 compat64
NATIVE64_X_ELFS := $(foreach n,$(NATIVE64_X),$(NATIVE_OUT)/$(n).elf $(NATIVE_OUT)/$(n)-full.elf)
$(foreach n,$(NATIVE64_X),$(NATIVE_OUT)/$(n)-native): $(NATIVE_OUT)/%-native: tests/native/%.c
	@mkdir -p $(dir $@)
	gcc -m64 -O2 -fno-pic -no-pie -mno-red-zone -Wall -Wextra -Werror -Wno-unused-parameter \
	    -DNATIVE_HOSTED $< -o $@
$(foreach n,$(NATIVE64_X),$(NATIVE_OUT)/$(n).o): $(NATIVE_OUT)/%.o: tests/native/%.c \
		tests/guest/x86_64/lib64.h $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -c $< -o $@
$(foreach n,$(NATIVE64_X),$(NATIVE_OUT)/$(n)-full.o): $(NATIVE_OUT)/%-full.o: tests/native/%.c \
		tests/guest/x86_64/lib64.h $(GUEST_X86_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_X86_CC) $(GUEST_X64_CFLAGS) -DNATIVE_FULL=1 -c $< -o $@
$(NATIVE64_X_ELFS:.elf=.elf64): $(NATIVE_OUT)/%.elf64: $(NATIVE_OUT)/%.o $(NATIVE64_RT) tests/guest/x86_64/guest.ld
	$(GUEST_X86_CC) $(GUEST_X64_LDFLAGS) -o $@ $(NATIVE64_RT) $< -lgcc
$(NATIVE64_X_ELFS): $(NATIVE_OUT)/%.elf: $(NATIVE_OUT)/%.elf64
	objcopy -O elf32-i386 $< $@

.SECONDARY: $(NATIVE64_X_ELFS:.elf=.o) $(NATIVE64_X_ELFS:.elf=.elf64)

CHECK_DEPS   += $(foreach n,$(NATIVE64_X),$(NATIVE_OUT)/$(n)-native) $(NATIVE64_X_ELFS)
CHECK_SUITES += $(foreach n,$(NATIVE64_X),"tests/native/run.sh $(NATIVE_OUT) $(n)" \
                  "KASOU_ACCEL='-accel tci' tests/native/run.sh $(NATIVE_OUT) $(n)")
